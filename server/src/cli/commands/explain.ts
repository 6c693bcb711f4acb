import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RuleMeta } from '../../engine/index.js';
import { didYouMean } from '../../host/config-validate.js';
import { packageRoot } from '../../host/rulepack.js';
import { UsageError } from '../../host/workspace.js';
import type { RegisterCommand } from '../run.js';
import { configForCommand } from './config-for-command.js';

/** `gdpr-lint explain RULE`: the rule's documentation page in the terminal. */
export const registerExplain: RegisterCommand = (program, io, exit) => {
  program
    .command('explain')
    .description('show the documentation of a rule: why, GDPR articles, examples, how to fix')
    .argument('<rule>', 'rule id, e.g. plaintext-health-data')
    .option('-c, --config <file>', 'configuration file (for team rules)')
    .action((id: string, options: { config?: string }) => {
      const config = configForCommand(io, options.config);
      const rule = config.pack.rules[id];
      if (!rule)
        throw new UsageError(
          `unknown rule "${id}"${didYouMean(id, Object.keys(config.pack.rules))} (see gdpr-lint rules)`,
        );
      io.stdout.write(explainRule(rule));
      exit(0);
    });
};

/** The doc page of a built-in rule, or a team rule's metadata and its own doc file when it has one. */
function explainRule(rule: RuleMeta): string {
  const header = `${rule.id}: ${rule.title}\nseverity: ${rule.severity}   GDPR: ${rule.gdpr.join(', ')}\n\n`;
  if (!rule.kind) {
    const page = readOrUndefined(join(packageRoot(), 'rules', `${rule.id}.md`));
    return page ?? `${header}${rule.message}\n\nDocumentation: ${rule.docs}\n`;
  }
  const source = typeof rule.source === 'string' ? rule.source : undefined;
  const doc = rule.docs.startsWith('file:')
    ? readOrUndefined(fileURLToPath(rule.docs))
    : source && !/^[a-z][a-z0-9+.-]*:/i.test(rule.docs)
      ? readOrUndefined(resolve(dirname(source), rule.docs))
      : undefined;
  const match = JSON.stringify(rule.match ?? {}, null, 2);
  return `${header}Team rule (${rule.kind}) from ${source ?? 'the configuration'}\n${rule.message}\n\nmatch: ${match}\n${doc ? `\n${doc}` : `\nDocumentation: ${rule.docs}\n`}`;
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
