import { isSuppressionFix } from './suppressions.js';
import ts from 'typescript';
import { languageOf } from './text.js';
import type { Finding, Fix, TextEdit } from './types.js';

/**
 * Which fixes an automatic run applies: `safe` ones (the preferred fix unless it is marked
 * unsafe, or one marked safe), and with `unsafe` also the preferred fixes marked unsafe (an
 * encryption that needs a data migration). Suppression fixes are never applied automatically.
 */
export type FixType = 'safe' | 'unsafe';

/** The fix an automatic run (`scan --fix`, the editor's fix-all) applies for a finding, if any (never a suppression). */
export function automaticFix(finding: Finding, types: readonly FixType[] = ['safe']): Fix | undefined {
  const fixes = (finding.fixes ?? []).filter((f) => !isSuppressionFix(f));
  const safe = fixes.filter((f) => f.safe === true);
  const chosen = safe.find((f) => f.isPreferred) ?? safe[0] ?? fixes.find((f) => f.isPreferred && f.safe !== false);
  if (chosen) return chosen;
  return types.includes('unsafe') ? fixes.find((f) => f.isPreferred) : undefined;
}

/**
 * Applies edits to a text: identical edits once (two routes inserting the same import), sorted by
 * position, overlapping edits dropped (first one wins), inserted line breaks in the file's own
 * style (CRLF files stay CRLF). Shared by `gdpr-lint scan --fix` and the editor's fix-all.
 */
export function applyEdits(
  text: string,
  edits: readonly TextEdit[],
): { text: string; applied: TextEdit[]; dropped: TextEdit[] } {
  const unique = new Map<string, TextEdit>();
  for (const edit of edits) unique.set(`${edit.start}:${edit.end}:${edit.newText}`, edit);
  const sorted = [...unique.values()].sort((a, b) => a.start - b.start || a.end - b.end);
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
  const eol = lineEndingOf(text);
  let out = '';
  let cursor = 0;
  for (const edit of applied) {
    out += text.slice(cursor, edit.start) + withLineEnding(edit.newText, eol);
    cursor = edit.end;
  }
  out += text.slice(cursor);
  return { text: out, applied, dropped };
}

/**
 * Applies whole fixes to a text: a fix whose edits would overlap an edit of a fix taken before is
 * left out entirely (never half applied: a call without its import), for a later pass on the new
 * text; an edit identical to one already taken (the import two fixes share) is written once.
 * Fixes are taken in the order of their first edit. Returns the text and which fixes went in.
 */
export function applyFixes(
  text: string,
  fixes: readonly (readonly TextEdit[])[],
): { text: string; applied: number[]; left: number[] } {
  const order = fixes
    .map((edits, index) => ({ edits, index }))
    .sort((a, b) => (a.edits[0]?.start ?? 0) - (b.edits[0]?.start ?? 0) || a.index - b.index);
  const taken: TextEdit[] = [];
  const applied: number[] = [];
  const left: number[] = [];
  const same = (a: TextEdit, b: TextEdit) => a.start === b.start && a.end === b.end && a.newText === b.newText;
  const overlap = (a: TextEdit, b: TextEdit) => a.start < b.end && b.start < a.end;
  for (const { edits, index } of order) {
    const valid = edits.length > 0 && edits.every((e) => e.start >= 0 && e.end <= text.length && e.start <= e.end);
    const clash =
      edits.some((e) => taken.some((t) => !same(e, t) && overlap(e, t))) ||
      edits.some((e, i) => edits.some((f, j) => i !== j && !same(e, f) && overlap(e, f)));
    if (!valid || clash) {
      left.push(index);
      continue;
    }
    taken.push(...edits.filter((e) => !taken.some((t) => same(e, t))));
    applied.push(index);
  }
  return {
    text: applyEdits(text, taken).text,
    applied: applied.sort((a, b) => a - b),
    left: left.sort((a, b) => a - b),
  };
}

/** The line ending most of the text uses. */
export function lineEndingOf(text: string): '\n' | '\r\n' {
  let crlf = 0;
  let lf = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    if (text.charCodeAt(i - 1) === 13) crlf++;
    else lf++;
  }
  return crlf > lf ? '\r\n' : '\n';
}

/** `newText` with its line breaks in the given style. */
export function withLineEnding(newText: string, eol: '\n' | '\r\n'): string {
  return eol === '\n' ? newText.replace(/\r\n/g, '\n') : newText.replace(/\r?\n/g, '\r\n');
}

/**
 * How many syntax errors TypeScript finds in a TS/JS text (0 for other languages): a fix run
 * writes no file whose fixes would add one (the last guard of "a fix leaves code that parses").
 */
export function syntaxErrorCount(path: string, text: string): number {
  const language = languageOf(path);
  if (language !== 'typescript' && language !== 'javascript') return 0;
  const lower = path.toLowerCase();
  const kind = lower.endsWith('.tsx')
    ? ts.ScriptKind.TSX
    : lower.endsWith('.jsx')
      ? ts.ScriptKind.JSX
      : language === 'javascript'
        ? ts.ScriptKind.JS
        : ts.ScriptKind.TS;
  const fileName = `/${path.replace(/^\/+/, '')}`;
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, kind);
  const host: ts.CompilerHost = {
    getSourceFile: (f) => (f === fileName ? sf : undefined),
    getDefaultLibFileName: () => '/lib.d.ts',
    writeFile: () => undefined,
    getCurrentDirectory: () => '/',
    getCanonicalFileName: (f) => f,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => '\n',
    fileExists: (f) => f === fileName,
    readFile: () => undefined,
  };
  const program = ts.createProgram({
    rootNames: [fileName],
    options: { noLib: true, allowJs: true, noResolve: true, types: [] },
    host,
  });
  return program.getSyntacticDiagnostics(sf).length;
}
