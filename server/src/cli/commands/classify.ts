import {
  classifierFor,
  explainTable,
  isSpecial,
  splitWords,
  type EngineConfig,
  type ProjectFacts,
  type StorageExplanation,
} from '../../engine/index.js';
import { loadProject } from '../../host/scan.js';
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
    .option(
      '--project <dir>',
      'read the schema of this project: say whom the rows of --in are about (the link used) and where the column is decided now',
    )
    .option('--json', 'print JSON')
    .action((identifiers: string[], options: { config?: string; in?: string; project?: string; json?: boolean }) => {
      const config = configForCommand(io, options.config);
      let facts: ProjectFacts | undefined;
      if (options.project && options.in) {
        const { project } = loadProject({ paths: [options.project], cwd: io.cwd, config });
        project.refreshFacts();
        facts = project.facts;
      }
      const results = identifiers.map((id) => {
        const result = classifyIdentifier(config, id, options.in);
        const storage = facts && options.in ? explainTable(facts, options.in, id) : undefined;
        return storage ? { ...result, storage } : result;
      });
      io.stdout.write(
        options.json ? JSON.stringify(results, null, 2) + '\n' : results.map(formatResult).join('\n') + '\n',
      );
      exit(0);
    });
};

interface IdentifierClass {
  identifier: string;
  words: string[];
  category?: string;
  special: boolean;
  why: string;
  /** With --project and --in: whom the table's rows are about (the link used) and where the column is decided. */
  storage?: StorageExplanation;
}

function classifyIdentifier(config: EngineConfig, identifier: string, container?: string): IdentifierClass {
  const found = classifierFor(config).classify(identifier, container ? { kind: 'field', container } : {});
  const words = splitWords(identifier);
  if (!found)
    return {
      identifier,
      words,
      special: false,
      why: 'no vocabulary term matches (add one under vocabulary.add in .gdpr-lint.yaml)',
    };
  return { identifier, words, category: found.category, special: isSpecial(found.category), why: found.why };
}

function formatResult(r: IdentifierClass): string {
  const verdict = r.category
    ? `${r.category}${r.special ? ' (special category: Art. 9 / health identifier)' : ' (personal data, not special)'}`
    : 'not classified';
  const lines = [`${r.identifier}: ${verdict}`, `  words: ${r.words.join(' ')}`, `  why: ${r.why}`];
  if (r.storage) {
    lines.push(`  rows of ${r.storage.table}: ${r.storage.link}`);
    if (r.storage.column) lines.push(`  storage: ${r.storage.notCurrent ?? 'defined here now'}`);
  }
  return lines.join('\n');
}
