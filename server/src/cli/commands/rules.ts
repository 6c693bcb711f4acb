import { ruleSeverity, type EngineConfig } from '../../engine/index.js';
import type { RegisterCommand } from '../run.js';
import { configForCommand } from './config-for-command.js';

/** `gdpr-lint rules`: every rule (built-in and team) with the severity it runs at here and its GDPR articles. */
export const registerRules: RegisterCommand = (program, io, exit) => {
  program
    .command('rules')
    .description('list the rules with their severity (after the configuration) and GDPR articles')
    .option('-c, --config <file>', 'configuration file (default: found from the working directory upwards)')
    .option('--json', 'print JSON instead of a table')
    .action((options: { config?: string; json?: boolean }) => {
      const config = configForCommand(io, options.config);
      const rows = rulesTable(config);
      io.stdout.write(options.json ? JSON.stringify(rows, null, 2) + '\n' : formatTable(rows));
      exit(0);
    });
};

interface RuleRow {
  id: string;
  severity: string;
  gdpr: string;
  title: string;
  team: boolean;
}

function rulesTable(config: EngineConfig): RuleRow[] {
  return Object.values(config.pack.rules)
    .map((rule) => ({
      id: rule.id,
      severity: ruleSeverity(config, rule.id),
      gdpr: rule.gdpr.join(', '),
      title: rule.title,
      team: rule.kind !== undefined,
    }))
    .sort((a, b) => Number(a.team) - Number(b.team) || a.id.localeCompare(b.id));
}

function formatTable(rows: RuleRow[]): string {
  const header = { id: 'RULE', severity: 'SEVERITY', gdpr: 'GDPR', title: 'TITLE' };
  const width = (key: 'id' | 'severity' | 'gdpr') =>
    Math.max(header[key].length, ...rows.map((r) => r[key].length + (key === 'id' && r.team ? 7 : 0)));
  const line = (id: string, severity: string, gdpr: string, title: string) =>
    `${id.padEnd(width('id'))}  ${severity.padEnd(width('severity'))}  ${gdpr.padEnd(width('gdpr'))}  ${title}`.trimEnd();
  return (
    [
      line(header.id, header.severity, header.gdpr, header.title),
      ...rows.map((r) => line(r.team ? `${r.id} (team)` : r.id, r.severity, r.gdpr, r.title)),
    ].join('\n') + '\n'
  );
}
