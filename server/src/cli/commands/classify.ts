import { classifierFor, isSpecial, splitWords, type EngineConfig } from '../../engine/index.js';
import type { RegisterCommand } from '../run.js';
import { configForCommand } from './config-for-command.js';

/** `gdpr-lint classify IDENTIFIER...`: how names are classified with this workspace's vocabulary, and why. */
export const registerClassify: RegisterCommand = (program, io, exit) => {
  program
    .command('classify')
    .description('show how identifiers are classified (category and why), with the team vocabulary')
    .argument('<identifiers...>', 'names as written in code: glycemie_a_jeun, resultatHiv, anapath')
    .option('-c, --config <file>', 'configuration file (default: found from the working directory upwards)')
    .option('--in <container>', 'the table, entity or type the name is declared in')
    .option('--json', 'print JSON')
    .action((identifiers: string[], options: { config?: string; in?: string; json?: boolean }) => {
      const config = configForCommand(io, options.config);
      const results = identifiers.map((id) => classifyIdentifier(config, id, options.in));
      io.stdout.write(options.json ? JSON.stringify(results, null, 2) + '\n' : results.map(formatResult).join('\n') + '\n');
      exit(0);
    });
};

export interface IdentifierClass {
  identifier: string;
  words: string[];
  category?: string;
  special: boolean;
  why: string;
}

export function classifyIdentifier(config: EngineConfig, identifier: string, container?: string): IdentifierClass {
  const found = classifierFor(config).classify(identifier, container ? { kind: 'field', container } : {});
  const words = splitWords(identifier);
  if (!found) return { identifier, words, special: false, why: 'no vocabulary term matches (add one under vocabulary.add in .gdpr-lint.yaml)' };
  return { identifier, words, category: found.category, special: isSpecial(found.category), why: found.why };
}

function formatResult(r: IdentifierClass): string {
  const verdict = r.category ? `${r.category}${r.special ? ' (special category: Art. 9 / health identifier)' : ' (personal data, not special)'}` : 'not classified';
  return `${r.identifier}: ${verdict}\n  words: ${r.words.join(' ')}\n  why: ${r.why}`;
}
