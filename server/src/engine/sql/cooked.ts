import type { Range } from '../types.js';

/**
 * SQL text with, for each of its characters, the range it came from in the file. TS escapes
 * (`\n`, `\'`, `\\`), SQL `''` inside nested strings and concatenated pieces decode to other
 * lengths than they take in the file; the map keeps every SQL token anchored to the exact source
 * offsets, so a diagnostic underlines the `*` inside a TS string. A whole `.sql` file maps
 * one-to-one and stores no per-character arrays.
 */
export class CookedText {
  text = '';
  /** Per character: file offset where it starts / ends. Undefined = identity plus `base`. */
  private starts: number[] | undefined = [];
  private ends: number[] | undefined = [];
  private base = 0;
  /** Ranges (in SQL coordinates) that stand for one placeholder each: `${...}`, a concatenated expression. */
  readonly placeholders: Range[] = [];

  /** Appends `text` copied verbatim from the file at `fileOffset`. */
  appendRaw(text: string, fileOffset: number): void {
    const starts = this.mapped();
    for (let i = 0; i < text.length; i++) {
      starts.push(fileOffset + i);
      this.ends!.push(fileOffset + i + 1);
    }
    this.text += text;
  }

  /** Appends one decoded character (or a few) standing for `fileStart..fileEnd` in the file: an escape sequence. */
  appendDecoded(chars: string, fileStart: number, fileEnd: number): void {
    const starts = this.mapped();
    for (let i = 0; i < chars.length; i++) {
      starts.push(fileStart);
      this.ends!.push(fileEnd);
    }
    this.text += chars;
  }

  /** Appends a placeholder: `shown` is its SQL text, and all of it maps to `fileStart..fileEnd`. */
  appendPlaceholder(shown: string, fileStart: number, fileEnd: number): void {
    const at = this.text.length;
    this.appendDecoded(shown.length > 0 ? shown : '?', fileStart, fileEnd);
    this.placeholders.push({ start: at, end: this.text.length });
  }

  /** File range of the SQL range `start..end` (end exclusive). */
  fileRange(start: number, end: number): Range {
    if (!this.starts) return { start: this.base + start, end: this.base + Math.max(start, end) };
    const n = this.starts.length;
    if (n === 0) return { start: 0, end: 0 };
    const s = this.starts[Math.min(start, n - 1)]!;
    const e = end > start ? this.ends![Math.min(end - 1, n - 1)]! : s;
    return { start: s, end: Math.max(s, e) };
  }

  /** The file offset of SQL offset `at`. */
  fileOffset(at: number): number {
    return this.fileRange(at, at).start;
  }

  /** `start..end` of this text as its own cooked text. */
  slice(start: number, end: number): CookedText {
    const out = new CookedText();
    out.text = this.text.slice(start, end);
    if (!this.starts) {
      out.starts = undefined;
      out.ends = undefined;
      out.base = this.base + start;
    } else {
      out.starts = this.starts.slice(start, end);
      out.ends = this.ends!.slice(start, end);
    }
    for (const p of this.placeholders) {
      if (p.start >= start && p.end <= end) out.placeholders.push({ start: p.start - start, end: p.end - start });
    }
    return out;
  }

  /** A whole SQL file: offsets map one to one. */
  static ofFile(text: string, base = 0): CookedText {
    const out = new CookedText();
    out.text = text;
    out.starts = undefined;
    out.ends = undefined;
    out.base = base;
    return out;
  }

  private mapped(): number[] {
    if (!this.starts) {
      // Switching an identity text to explicit arrays (rare: appending to a file view).
      this.starts = Array.from({ length: this.text.length }, (_, i) => this.base + i);
      this.ends = this.starts.map((s) => s + 1);
    }
    return this.starts;
  }
}
