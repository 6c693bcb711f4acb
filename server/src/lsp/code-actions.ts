import {
  CodeActionKind,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
  type TextEdit as LspTextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import {
  applyFixes,
  automaticFix,
  fileSuppressionFix,
  isSuppressionFix,
  JUSTIFICATION_PLACEHOLDER,
  lineEndingOf,
  suppressionFix,
  withLineEnding,
  type Finding,
  type Fix,
  type FileView,
  type TextEdit,
} from '../engine/index.js';
import type { FileAnalysis } from './analyzer.js';
import { isDiagnosticData, SOURCE, toTextEdit } from './convert.js';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.gdpr-lint`;

interface CodeActionContext {
  uri: string;
  /** Version of the document now; fixes are only offered when the analysis is of this version. */
  version: number | null;
  analysis: FileAnalysis | undefined;
  /** The parsed current file (for comment placement inside strings). */
  view: FileView | undefined;
  snippets: boolean;
}

export function codeActions(params: CodeActionParams, context: CodeActionContext): CodeAction[] {
  const only = params.context.only;
  const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
  const fresh = context.analysis !== undefined && context.analysis.version === context.version;
  const actions: CodeAction[] = [];
  if (wants(CodeActionKind.QuickFix) && context.analysis && context.view) {
    for (const diagnostic of params.context.diagnostics) {
      if (diagnostic.source !== SOURCE || !isDiagnosticData(diagnostic.data)) continue;
      const finding = context.analysis.byKey.get(diagnostic.data.key);
      if (!finding) continue;
      // A rule's own suppression fix is replaced by the editor's, which has a snippet placeholder.
      const fixes = (finding.fixes ?? []).filter((f) => !isSuppressionFix(f));
      if (fresh) for (const fix of fixes) actions.push(quickFix(fix, diagnostic, context));
      actions.push(suppressAction(finding, diagnostic, context.view, context));
      actions.push(disableForFileAction(finding, diagnostic, context.view, context));
    }
  }
  // Fix-all is a source action: only when asked for (on save, "Source Action..."), never in the lightbulb.
  if (only && wants(FIX_ALL_KIND) && fresh) {
    const fixAll = fixAllAction(context.analysis!, context.uri);
    if (fixAll) actions.push(fixAll);
  }
  return actions;
}

function edit(uri: string, edits: LspTextEdit[]): WorkspaceEdit {
  return { changes: { [uri]: edits } };
}

function quickFix(fix: Fix, diagnostic: Diagnostic, context: CodeActionContext): CodeAction {
  const lines = context.analysis!.lines;
  return {
    title: fix.title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred: fix.isPreferred === true,
    edit: edit(
      context.uri,
      inFileStyle(context.analysis!.text, fix.edits).map((e) => toTextEdit(lines, e)),
    ),
  };
}

function suppressAction(
  finding: Finding,
  diagnostic: Diagnostic,
  view: FileView,
  context: CodeActionContext,
): CodeAction {
  const fix = suppressionFix(view, view.lines.lineStart(diagnostic.range.start.line), finding.ruleId, {
    title: `Suppress ${finding.ruleId} with a justification`,
  });
  return {
    title: fix.title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    edit: justificationEdit(fix, view, context),
  };
}

function disableForFileAction(
  finding: Finding,
  diagnostic: Diagnostic,
  view: FileView,
  context: CodeActionContext,
): CodeAction {
  // The justification is asked for at once (a snippet tab stop): a bare disable would be reported by suppression-comment.
  const fix = fileSuppressionFix(view, finding.ruleId);
  return {
    title: fix.title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    edit: justificationEdit(fix, view, context),
  };
}

/** The edit of a suppression fix, its justification placeholder a snippet tab stop when the editor supports snippets. */
function justificationEdit(fix: Fix, view: FileView, context: CodeActionContext): WorkspaceEdit {
  const edits = fix.edits.map((e) => toTextEdit(view.lines, e));
  if (!context.snippets) return edit(context.uri, edits);
  const snippet = (text: string) =>
    text.replace(/[$}\\]/g, '\\$&').replace(JUSTIFICATION_PLACEHOLDER, `\${1:${JUSTIFICATION_PLACEHOLDER}}`);
  return {
    documentChanges: [
      {
        textDocument: { uri: context.uri, version: context.version },
        edits: edits.map((e) => ({ range: e.range, snippet: { kind: 'snippet', value: snippet(e.newText) } })),
      },
    ],
  };
}

/** Every safe fix of the file at once: identical edits once, overlaps dropped, as `gdpr-lint scan --fix` does. */
function fixAllAction(analysis: FileAnalysis, uri: string): CodeAction | undefined {
  const fixes = analysis.findings.map((f) => automaticFix(f)?.edits ?? []).filter((e) => e.length > 0);
  if (fixes.length === 0) return undefined;
  // Whole fixes, as `gdpr-lint scan --fix` takes them in one pass: the edits of those that went in.
  const { applied } = applyFixes(analysis.text, fixes);
  if (applied.length === 0) return undefined;
  const edits = uniqueEdits(applied.flatMap((i) => fixes[i]!));
  return {
    title: 'Fix all auto-fixable gdpr-lint problems',
    kind: FIX_ALL_KIND,
    edit: edit(
      uri,
      inFileStyle(analysis.text, edits).map((e) => toTextEdit(analysis.lines, e)),
    ),
  };
}

/** Each edit once (an import two fixes share), in text order: what an editor applies in one go. */
function uniqueEdits(edits: readonly TextEdit[]): TextEdit[] {
  const seen = new Map<string, TextEdit>();
  for (const e of edits) seen.set(`${e.start}:${e.end}:${e.newText}`, e);
  return [...seen.values()].sort((a, b) => a.start - b.start || a.end - b.end);
}

/** Edits whose inserted line breaks follow the file's (a CRLF file stays CRLF). */
function inFileStyle(text: string, edits: readonly TextEdit[]): TextEdit[] {
  const eol = lineEndingOf(text);
  return edits.map((e) => ({ ...e, newText: withLineEnding(e.newText, eol) }));
}
