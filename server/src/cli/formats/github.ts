import { escapeControl, safeText } from '../../engine/index.js';
import type { Report } from '../../host/located.js';

const COMMAND = { error: 'error', warning: 'warning', note: 'notice' } as const;

/**
 * GitHub Actions workflow commands: each finding becomes a PR annotation without code scanning.
 * `::error file=F,line=L,col=C,endLine=EL,endColumn=EC,title=T::message`.
 */
export function formatGithub(report: Report): string {
  const prefix = report.pathPrefix ?? '';
  const lines = report.findings
    .filter((f) => !f.suppressed)
    .map((f) => {
      const title = `gdpr-lint ${f.ruleId}`;
      const props = [
        `file=${escapeProperty(escapeControl(prefix + f.file))}`,
        `line=${f.line}`,
        `col=${f.column}`,
        `endLine=${f.endLine}`,
        // GitHub only honours endColumn on single-line annotations.
        ...(f.endLine === f.line ? [`endColumn=${f.endColumn}`] : []),
        `title=${escapeProperty(title)}`,
      ];
      return `::${COMMAND[f.severity]} ${props.join(',')}::${escapeData(safeText(f.message))}`;
    });
  return lines.length > 0 ? lines.join('\n') + '\n' : '';
}

/** Message part of a workflow command: `%`, CR and LF are percent-encoded. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Property values additionally encode `:` and `,`, which delimit the command. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
