import { LineIndex } from '../../engine/index.js';
import type { Report } from '../../host/located.js';

/** The JSON contract of DESIGN.md: 1-based positions, paths relative with forward slashes. */
export function formatJson(report: Report): string {
  const indexes = new Map<string, LineIndex>();
  const lineIndex = (file: string) => {
    let li = indexes.get(file);
    if (!li) indexes.set(file, (li = new LineIndex(report.texts.get(file) ?? '')));
    return li;
  };
  const findings = report.findings.map((f) => ({
    ruleId: f.ruleId,
    severity: f.severity,
    message: f.message,
    file: f.file,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
    ...(f.fixes
      ? {
          fixes: f.fixes.map((fix) => ({
            title: fix.title,
            ...(fix.isPreferred ? { isPreferred: true } : {}),
            edits: fix.edits.map((e) => {
              const li = lineIndex(f.file);
              const s = li.position(e.start);
              const en = li.position(e.end);
              return {
                line: s.line + 1,
                column: s.character + 1,
                endLine: en.line + 1,
                endColumn: en.character + 1,
                start: e.start,
                end: e.end,
                newText: e.newText,
              };
            }),
          })),
        }
      : {}),
    ...(f.suppressed ? { suppressed: f.suppressed } : {}),
    ...(f.role ? { role: f.role } : {}),
  }));
  const notes = report.notes.map((n) => ({ file: n.file, kind: n.kind, message: n.message }));
  return JSON.stringify({ findings, stats: report.stats, notes }, null, 2) + '\n';
}
