/**
 * The protocol edge: every conversion between the engine's UTF-16 offsets and LSP positions,
 * and from engine findings/edits to LSP diagnostics/edits, lives here and nowhere else.
 */
import {
  DiagnosticSeverity,
  type Diagnostic,
  type DiagnosticRelatedInformation,
  type Position,
  type Range as LspRange,
  type TextEdit as LspTextEdit,
} from 'vscode-languageserver';
import type { Finding, LineIndex, Range, RulePack, Severity, TextEdit } from '../engine/index.js';

export const SOURCE = 'gdpr-lint';

export function toOffset(lines: LineIndex, position: Position): number {
  return lines.offset(position.line, position.character);
}

export function toRange(lines: LineIndex, range: Range): LspRange {
  return { start: lines.position(range.start), end: lines.position(range.end) };
}

export function toTextEdit(lines: LineIndex, edit: TextEdit): LspTextEdit {
  return { range: toRange(lines, edit), newText: edit.newText };
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  note: DiagnosticSeverity.Information,
};

/** The key that ties a diagnostic to the finding (and its fixes) stored at analysis time. */
export function findingKey(finding: Finding): string {
  return `${finding.ruleId}@${finding.range.start}-${finding.range.end}`;
}

interface DiagnosticData {
  key: string;
  fixable: boolean;
}

export interface ConvertContext {
  pack: RulePack;
  uriOf(path: string): string;
  /** Line index of another project file (for related locations), when known. */
  linesOf(path: string): LineIndex | undefined;
}

export function toDiagnostic(finding: Finding, lines: LineIndex, context: ConvertContext): Diagnostic {
  const docs = context.pack.rules[finding.ruleId]?.docs;
  const data: DiagnosticData = { key: findingKey(finding), fixable: (finding.fixes?.length ?? 0) > 0 };
  const diagnostic: Diagnostic = {
    range: toRange(lines, finding.range),
    severity: SEVERITY[finding.severity],
    code: finding.ruleId,
    // In a test, fixture or seed file only a few rules run: the source says why the file has so few diagnostics.
    source: finding.role ? `${SOURCE} (${finding.role} file)` : SOURCE,
    message: finding.message,
    data,
  };
  if (docs) diagnostic.codeDescription = { href: docs };
  const related = (finding.related ?? []).flatMap((r): DiagnosticRelatedInformation[] => {
    const relatedLines = r.file === finding.file ? lines : context.linesOf(r.file);
    if (!relatedLines) return [];
    return [{ location: { uri: context.uriOf(r.file), range: toRange(relatedLines, r.range) }, message: r.message }];
  });
  if (related.length > 0) diagnostic.relatedInformation = related;
  return diagnostic;
}

export function isDiagnosticData(value: unknown): value is DiagnosticData {
  return typeof value === 'object' && value !== null && typeof (value as { key?: unknown }).key === 'string';
}
