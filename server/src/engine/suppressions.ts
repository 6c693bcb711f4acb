import type { Finding, Suppression } from './types.js';
import { LineIndex } from './text.js';

export interface SuppressionDirective {
  kind: 'disable-next-line' | 'disable-line' | 'disable' | 'enable';
  /** Rule ids; empty = every rule. */
  rules: string[];
  justification?: string;
  until?: string;
  basis?: string;
  /** 0-based line of the comment. */
  line: number;
  start: number;
  end: number;
}

const DIRECTIVE = /(?:\/\/|--|\/\*|#)\s*gdpr-lint-(disable-next-line|disable-line|disable|enable)\b([^\n\r]*)/g;

/** Reads suppression comments: `// gdpr-lint-disable-next-line RULE -- reason`, `-- ...` in SQL, block disable/enable. */
export function parseSuppressions(text: string, lines = new LineIndex(text)): SuppressionDirective[] {
  const directives: SuppressionDirective[] = [];
  for (const match of text.matchAll(DIRECTIVE)) {
    let rest = match[2] ?? '';
    rest = rest.replace(/\*\/.*$/, '');
    let justification: string | undefined;
    const dash = rest.indexOf('--');
    if (dash >= 0) {
      justification = rest.slice(dash + 2).trim() || undefined;
      rest = rest.slice(0, dash);
    }
    let until: string | undefined;
    let basis: string | undefined;
    rest = rest.replace(/\buntil=(\d{4}-\d{2}-\d{2})/, (_m, d: string) => ((until = d), ''));
    rest = rest.replace(/\bbasis=("[^"]*"|\S+)/, (_m, b: string) => ((basis = b.replace(/^"|"$/g, '')), ''));
    const rules = rest.split(/[\s,]+/).filter((r) => /^[a-z0-9][a-z0-9-]*$/.test(r));
    const start = match.index ?? 0;
    directives.push({
      kind: match[1] as SuppressionDirective['kind'],
      rules,
      justification,
      until,
      basis,
      line: lines.position(start).line,
      start,
      end: start + match[0].length,
    });
  }
  return directives;
}

/** The suppression that covers a finding, if any. */
export function suppressionFor(finding: Finding, directives: SuppressionDirective[], lines: LineIndex): Suppression | undefined {
  const line = lines.position(finding.range.start).line;
  const applies = (d: SuppressionDirective) => d.rules.length === 0 || d.rules.includes(finding.ruleId);
  const toSuppression = (d: SuppressionDirective): Suppression => ({ kind: 'inline', justification: d.justification, until: d.until, basis: d.basis });
  for (const d of directives) {
    if (!applies(d)) continue;
    if (d.kind === 'disable-next-line' && nextCodeLine(d.line, lines) === line) return toSuppression(d);
    if (d.kind === 'disable-line' && d.line === line) return toSuppression(d);
  }
  let open: SuppressionDirective | undefined;
  for (const d of directives) {
    if (d.start > finding.range.start) break;
    if (!applies(d)) continue;
    if (d.kind === 'disable') open = d;
    else if (d.kind === 'enable') open = undefined;
  }
  return open ? toSuppression(open) : undefined;
}

/** The line a `disable-next-line` comment applies to: the next line that is not blank or a comment. */
function nextCodeLine(line: number, lines: LineIndex): number {
  let next = line + 1;
  while (next < lines.lineCount) {
    const text = lines.lineText(next).trim();
    if (text !== '' && !/^(\/\/|--|#|\/\*|\*)/.test(text)) break;
    next++;
  }
  return next;
}
