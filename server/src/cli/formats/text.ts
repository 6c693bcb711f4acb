import pc from 'picocolors';
import { escapeControl, LineIndex, safeText } from '../../engine/index.js';
import type { LocatedFinding, Report } from '../../host/located.js';

/** Colours only on a terminal, never with NO_COLOR (https://no-color.org), always with FORCE_COLOR. */
export function wantsColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}

interface TextOptions {
  color: boolean;
  quiet?: boolean;
}

/** Human output: findings grouped by file with a code frame, then what could not be analysed, then a summary. */
export function formatText(report: Report, options: TextOptions): string {
  const c = pc.createColors(options.color);
  const out: string[] = [];
  const visible = report.findings.filter((f) => !f.suppressed && (!options.quiet || f.severity === 'error'));
  const byFile = new Map<string, LocatedFinding[]>();
  for (const f of visible) {
    const list = byFile.get(f.file);
    if (list) list.push(f);
    else byFile.set(f.file, [f]);
  }
  const sev = (s: string) => (s === 'error' ? c.red(s) : s === 'warning' ? c.yellow(s) : c.blue(s));
  for (const [file, findings] of byFile) {
    out.push(c.underline(escapeControl(file)));
    const lines = new LineIndex(report.texts.get(file) ?? '');
    for (const f of findings) {
      const role = f.role ? c.dim(` [${f.role}]`) : '';
      out.push(
        `  ${c.dim(`${f.line}:${f.column}`.padEnd(8))} ${sev(f.severity).padEnd(options.color ? 17 : 7)} ${f.message}  ${c.dim(f.ruleId)}${role}`,
      );
      out.push(...codeFrame(lines, f, c));
    }
    out.push('');
  }
  const unparsed = new Map<string, number>();
  const otherNotes: string[] = [];
  for (const note of report.notes) {
    if (note.kind === 'sql-unparsed') unparsed.set(note.file, (unparsed.get(note.file) ?? 0) + 1);
    // A whole file whose TypeScript syntax is not analysed: its note is the sentence saying why.
    else if (note.kind === 'ts-syntax') otherNotes.push(`  ${escapeControl(note.file)}: ${safeText(note.message)}`);
    else
      otherNotes.push(
        `  ${escapeControl(note.file)}: ${note.kind === 'skipped' ? 'skipped' : note.kind}: ${safeText(note.message)}`,
      );
  }
  if (!options.quiet && (unparsed.size > 0 || otherNotes.length > 0)) {
    out.push(c.dim('Analysed as far as possible:'));
    for (const [file, count] of unparsed)
      out.push(
        c.dim(
          `  ${escapeControl(file)}: ${count} statement${count > 1 ? 's' : ''} could not be parsed (token-level analysis used)`,
        ),
      );
    out.push(...otherNotes.map((l) => c.dim(l)));
    out.push('');
  }
  const counts = { error: 0, warning: 0, note: 0 };
  for (const f of report.findings) if (!f.suppressed) counts[f.severity]++;
  const suppressed = report.findings.filter((f) => f.suppressed).length;
  const total = counts.error + counts.warning + counts.note;
  const summary =
    total === 0
      ? c.green(`No GDPR findings in ${report.stats.files} files`)
      : `${total} finding${total > 1 ? 's' : ''} (${counts.error} error, ${counts.warning} warning, ${counts.note} note) in ${report.stats.files} files`;
  const since = report.change ? ` introduced since ${report.change.ref} (${report.change.base.slice(0, 12)})` : '';
  out.push(
    `${summary}${since}${suppressed ? c.dim(`, ${suppressed} suppressed`) : ''} ${c.dim(`[${report.stats.durationMs} ms]`)}`,
  );
  const roles = rolesLine(report);
  if (roles && !options.quiet) out.push(c.dim(roles));
  return out.join('\n') + '\n';
}

/** What the file roles left out: `412 test, 30 fixture files: only rules for hard-coded identifiers run there...`. */
function rolesLine(report: Pick<Report, 'stats' | 'rules' | 'includeTests'>): string | undefined {
  const counts = Object.entries(report.stats.roles ?? {});
  const skipped = counts.filter(([role]) => role === 'generated' || role === 'vendored');
  const partial = report.includeTests ? [] : counts.filter(([role]) => role !== 'generated' && role !== 'vendored');
  const parts: string[] = [];
  if (partial.length > 0) {
    const everywhere = Object.values(report.rules)
      .filter((r) => (r.roles?.length ?? 0) > 0 && r.id !== 'suppression-comment')
      .map((r) => r.id);
    const list = partial.map(([role, n]) => `${n} ${role}`).join(', ');
    parts.push(
      `${list} file${partial.length === 1 && partial[0]![1] === 1 ? '' : 's'} not production code: only ${everywhere.join(', ') || 'suppression checks'} ran there (--include-tests analyses them fully)`,
    );
  }
  if (skipped.length > 0)
    parts.push(
      `${skipped.map(([role, n]) => `${n} ${role}`).join(', ')} file${skipped.length === 1 && skipped[0]![1] === 1 ? '' : 's'} not analysed`,
    );
  return parts.length > 0 ? `${parts.join('; ')}.` : undefined;
}

/**
 * The flagged line with its number and the range underlined (`^~~~`); a range over several
 * lines is underlined to the end of its first line. Identifier-shaped digits are masked.
 */
function codeFrame(lines: LineIndex, f: LocatedFinding, c: ReturnType<typeof pc.createColors>): string[] {
  const lineNo = f.line - 1;
  if (lineNo >= lines.lineCount) return [];
  const raw = lines.lineText(lineNo);
  if (raw.length > 200) return [];
  const text = safeText(raw.replace(/\t/g, ' '));
  const startCol = Math.min(f.column - 1, text.length);
  const endCol =
    f.endLine === f.line
      ? Math.min(Math.max(f.endColumn - 1, startCol + 1), Math.max(text.length, startCol + 1))
      : Math.max(text.length, startCol + 1);
  const width = Math.max(1, endCol - startCol);
  const gutter = `${String(f.line).padStart(6)} | `;
  const blank = `${' '.repeat(6)} | `;
  return [c.dim(gutter) + text, c.dim(blank) + ' '.repeat(startCol) + c.red(c.bold('^' + '~'.repeat(width - 1)))];
}
