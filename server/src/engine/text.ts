import { isDeployFile } from './manifests.js';
/** Offset <-> line/column conversion. Lines and columns here are 0-based; adapters add 1 where their format wants it. */
export class LineIndex {
  private readonly starts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
    }
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  position(offset: number): { line: number; character: number } {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: clamped - this.starts[lo]! };
  }

  offset(line: number, character: number): number {
    if (line < 0) return 0;
    if (line >= this.starts.length) return this.text.length;
    return Math.min(this.starts[line]! + Math.max(0, character), this.lineEnd(line));
  }

  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))]!;
  }

  /** Offset of the end of `line`, before its line break. */
  lineEnd(line: number): number {
    const next = line + 1 < this.starts.length ? this.starts[line + 1]! : this.text.length;
    let end = next;
    while (end > this.starts[line]! && (this.text.charCodeAt(end - 1) === 10 || this.text.charCodeAt(end - 1) === 13))
      end--;
    return end;
  }

  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }
}

export function languageOf(path: string): import('./types.js').Language | undefined {
  const lower = path.toLowerCase();
  if (lower === 'package.json' || lower.endsWith('/package.json') || isDeployFile(lower)) return 'json';
  if (lower.endsWith('.d.ts') || lower.endsWith('.d.mts') || lower.endsWith('.d.cts')) return undefined;
  const ext = lower.slice(lower.lastIndexOf('.'));
  switch (ext) {
    case '.ts':
    case '.tsx':
    case '.mts':
    case '.cts':
      return 'typescript';
    case '.js':
    case '.jsx':
    case '.mjs':
    case '.cjs':
      return 'javascript';
    case '.sql':
      return 'sql';
    case '.prisma':
      return 'prisma';
    default:
      return undefined;
  }
}

/** How many times `word` occurs in `text` as a whole identifier (no identifier character either side). */
export function wordOccurrences(text: string, word: string, stopAt = Infinity): number {
  const part = /[\w$]/;
  let count = 0;
  for (let at = text.indexOf(word); at >= 0 && count < stopAt; at = text.indexOf(word, at + 1)) {
    if (!part.test(text[at - 1] ?? ' ') && !part.test(text[at + word.length] ?? ' ')) count++;
  }
  return count;
}
