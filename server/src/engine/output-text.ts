import { maskSensitiveDigits } from './identifiers/mask.js';
import type { AnalysisNote, Finding } from './types.js';

/**
 * The one gate for text the tool emits about scanned code (messages, titles, justifications,
 * route paths, table names, export destinations): identifier-shaped digits masked, and control
 * characters (ANSI escapes, a newline that would start a `::warning::` workflow command) shown as
 * `\xNN` rather than interpreted by a terminal or a CI log.
 */
export function safeText(text: string): string {
  return escapeControl(maskSensitiveDigits(text));
}

/** Control characters as visible `\xNN` (tabs and line breaks too: emitted texts are one line). */
export function escapeControl(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** A finding whose every emitted text went through `safeText` (edits, which are code, untouched). */
export function safeFinding(finding: Finding): Finding {
  return {
    ...finding,
    message: safeText(finding.message),
    ...(finding.fixes ? { fixes: finding.fixes.map((fix) => ({ ...fix, title: safeText(fix.title) })) } : {}),
    ...(finding.related ? { related: finding.related.map((r) => ({ ...r, message: safeText(r.message) })) } : {}),
    ...(finding.suppressed?.justification !== undefined
      ? { suppressed: { ...finding.suppressed, justification: safeText(finding.suppressed.justification) } }
      : {}),
    ...(finding.data ? { data: safeStrings(finding.data) } : {}),
  };
}

export function safeNote(note: AnalysisNote): AnalysisNote {
  return { ...note, message: safeText(note.message) };
}

/** Every string of a plain value through `safeText`, except the keys named (paths that locate files). */
export function safeStrings<T>(value: T, keep: ReadonlySet<string> = KEEP): T {
  const visit = (v: unknown, key?: string): unknown => {
    if (typeof v === 'string') return key !== undefined && keep.has(key) ? v : safeText(v);
    if (Array.isArray(v)) return v.map((item) => visit(item));
    if (v && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, visit(item, k)]));
    return v;
  };
  return visit(value) as T;
}

/** Keys whose strings locate a file or are code: masking them would point at the wrong place. */
const KEEP: ReadonlySet<string> = new Set(['file', 'files', 'uri', 'newText']);

/** A value whose `file` paths are escaped for display (they are kept raw elsewhere: they locate files). */
export function displayPaths<T>(value: T): T {
  const visit = (v: unknown, key?: string): unknown => {
    if (typeof v === 'string') return key === 'file' ? escapeControl(v) : v;
    if (Array.isArray(v)) return v.map((item) => visit(item));
    if (v && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, visit(item, k)]));
    return v;
  };
  return visit(value) as T;
}
