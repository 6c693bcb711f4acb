import type { TextEdit } from './types.js';

/**
 * Applies edits to a text: sorted by position, overlapping edits dropped (first one wins).
 * Shared by `gdpr-lint scan --fix` and the editor's fix-all.
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): { text: string; applied: TextEdit[]; dropped: TextEdit[] } {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  const applied: TextEdit[] = [];
  const dropped: TextEdit[] = [];
  let lastEnd = -1;
  for (const edit of sorted) {
    if (edit.start < lastEnd || edit.start < 0 || edit.end > text.length || edit.end < edit.start) {
      dropped.push(edit);
      continue;
    }
    applied.push(edit);
    lastEnd = edit.end;
  }
  let out = '';
  let cursor = 0;
  for (const edit of applied) {
    out += text.slice(cursor, edit.start) + edit.newText;
    cursor = edit.end;
  }
  out += text.slice(cursor);
  return { text: out, applied, dropped };
}
