import { safeText, type Severity } from '../../engine/index.js';
import type { LocatedFinding, Report } from '../../host/located.js';
import type { DeltaFlow } from '../../host/review/privacy-delta.js';

/** The hidden marker by which the GitHub Action finds and updates its own comment. */
export const COMMENT_MARKER = '<!-- gdpr-lint:pr-comment -->';

interface MarkdownOptions {
  /** Builds a link to a line of a file (path relative to the repository); relative `path#Lline` links without it. */
  link?: (path: string, line: number) => string;
  /** At most this many findings (and items per delta list) are listed; the rest is counted. */
  maxItems?: number;
}

const SEVERITIES: Severity[] = ['error', 'warning', 'note'];
const ICON: Record<Severity, string> = { error: '🔴', warning: '🟠', note: '🔵' };
/** GitHub refuses comments over 65,536 characters. */
const MAX_LENGTH = 60_000;

/** A pull-request comment: summary by rule and severity, the privacy delta, then the findings in a collapsible list. */
export function formatMarkdown(report: Report, options: MarkdownOptions = {}): string {
  const max = options.maxItems ?? 50;
  const prefix = report.pathPrefix ?? '';
  const where = (file: string, line: number) => {
    const path = prefix + file;
    const url = options.link
      ? options.link(path, line)
      : `${path.split('/').map(encodeURIComponent).join('/')}#L${line}`;
    return `[${cell(path)}:${line}](${url})`;
  };
  const findings = report.findings.filter((f) => !f.suppressed);
  const out: string[] = [COMMENT_MARKER, '### gdpr-lint privacy review', ''];
  out.push(headline(findings, report), '');
  if (findings.length > 0) out.push(...summaryTable(findings), '');
  if (report.change) out.push(...deltaSection(report, where, max));
  if (findings.length > 0) {
    const label = report.change ? 'Findings introduced by this change' : 'Findings';
    out.push('<details>', `<summary>${label} (${findings.length})</summary>`, '');
    for (const f of findings.slice(0, max)) out.push(findingLine(f, where));
    if (findings.length > max) out.push(`- … and ${findings.length - max} more`);
    out.push('', '</details>', '');
  }
  const suppressed = report.findings.length - findings.length;
  if (suppressed > 0) out.push(`_${suppressed} suppressed in code with a justification comment._`, '');
  return capLength(out.join('\n'));
}

function headline(findings: LocatedFinding[], report: Report): string {
  const counts = SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length] as const);
  const since = report.change
    ? ` introduced by this change (compared with \`${cell(report.change.ref)}\` at \`${report.change.base.slice(0, 12)}\`)`
    : '';
  if (findings.length === 0) return `✅ **No new GDPR findings**${since}.`;
  const detail = counts
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}${n > 1 ? 's' : ''}`)
    .join(', ');
  return `**${findings.length} finding${findings.length > 1 ? 's' : ''}** (${detail})${since}.`;
}

function summaryTable(findings: LocatedFinding[]): string[] {
  const byRule = new Map<string, Record<Severity, number>>();
  for (const f of findings) {
    const row = byRule.get(f.ruleId) ?? { error: 0, warning: 0, note: 0 };
    row[f.severity]++;
    byRule.set(f.ruleId, row);
  }
  const rows = [...byRule].sort(([a], [b]) => a.localeCompare(b));
  const total = (s: Severity) => findings.filter((f) => f.severity === s).length;
  return [
    '| Rule | Error | Warning | Note |',
    '|---|---:|---:|---:|',
    ...rows.map(([rule, n]) => `| \`${rule}\` | ${n.error} | ${n.warning} | ${n.note} |`),
    `| **Total** | **${total('error')}** | **${total('warning')}** | **${total('note')}** |`,
  ];
}

const FLOW_LABEL: Record<DeltaFlow['kind'], string> = {
  export: 'Export',
  'public-export': 'Export to a public place',
  retention: 'Export never deleted',
  'third-party': 'Third party',
  transit: 'Sent without encryption',
};

function deltaSection(report: Report, where: (file: string, line: number) => string, max: number): string[] {
  const delta = report.change!.delta;
  const out: string[] = ['#### Privacy delta', ''];
  if (delta.columns.length + delta.routes.length + delta.flows.length === 0) {
    return [...out, 'No special-category field, route, export or third-party flow added.', ''];
  }
  if (delta.columns.length > 0) {
    out.push(
      `**Special-category fields and columns added or changed (${delta.columns.length})**`,
      '',
      '| Field | Category | Type | Stored | Where |',
      '|---|---|---|---|---|',
    );
    for (const c of delta.columns.slice(0, max)) {
      const stored = c.protection ? `🔒 encrypted (\`${cell(c.protection)}\`)` : '⚠️ **plaintext**';
      out.push(
        `| \`${cell(c.table)}.${cell(c.column)}\` ${c.change === 'changed' ? '(changed)' : '(new)'} | ${c.category} | ${c.type ? `\`${cell(c.type)}\`` : ''} | ${stored} | ${where(c.file, c.line)} |`,
      );
    }
    out.push(...more(delta.columns.length, max), '');
  }
  if (delta.routes.length > 0) {
    out.push(
      `**Routes added or newly public (${delta.routes.length})**`,
      '',
      '| Route | Authentication | Where |',
      '|---|---|---|',
    );
    const auth = { none: '⚠️ **none (public)**', authenticated: '✅ authenticated', unknown: '❔ not determined' };
    for (const r of delta.routes.slice(0, max)) {
      const what = `\`${cell(r.method)} ${cell(r.path)}\`${r.change === 'lost-auth' ? ' (lost its authentication)' : ''}`;
      const why = r.publicReason ? ` (public by design: ${cell(r.publicReason)})` : '';
      out.push(`| ${what} | ${auth[r.auth]}${why} | ${where(r.file, r.line)} |`);
    }
    out.push(...more(delta.routes.length, max), '');
  }
  if (delta.flows.length > 0) {
    out.push(`**Exports and third-party flows added (${delta.flows.length})**`, '');
    for (const f of delta.flows.slice(0, max))
      out.push(`- ${FLOW_LABEL[f.kind]}: ${cell(f.message)} (${where(f.file, f.line)})`);
    out.push(...more(delta.flows.length, max), '');
  }
  return out;
}

function findingLine(f: LocatedFinding, where: (file: string, line: number) => string): string {
  const how = f.introduced === 'reachable' ? ' _(unchanged line, newly reachable)_' : '';
  return `- ${ICON[f.severity]} **${f.severity}** ${where(f.file, f.line)} ${cell(f.message)} (\`${f.ruleId}\`)${how}`;
}

function more(total: number, max: number): string[] {
  return total > max ? [`_… and ${total - max} more_`] : [];
}

/** Text from scanned code or messages inside markdown: one line, no table breaks, identifier digits masked. */
function cell(text: string): string {
  return safeText(text)
    .replace(/[\r\n]+/g, ' ')
    .replace(/\|/g, '\\|')
    .replace(/`/g, "'");
}

function capLength(markdown: string): string {
  if (markdown.length <= MAX_LENGTH) return markdown;
  const cut = markdown.lastIndexOf('\n', MAX_LENGTH - 200);
  const open = markdown.slice(0, cut).includes('<details>') && !markdown.slice(0, cut).includes('</details>');
  return `${markdown.slice(0, cut)}\n- … and more (comment truncated; see the SARIF report)\n${open ? '\n</details>\n' : ''}`;
}
