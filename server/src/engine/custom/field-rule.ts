import type { Detector } from '../detector.js';
import type { RuleMeta } from '../pack.js';
import { classifierFor, type Category } from '../vocabulary/classify.js';
import { nameMatcher } from './glob.js';
import { matchList, ruleMessage, safeRegexes } from './match.js';

/**
 * A field rule: fields and columns (SQL DDL, Prisma models, ORM entities: whatever the schema
 * collectors index) whose name matches a list, a pattern or a vocabulary category must be
 * protected, e.g. "anything anapath_* is health data and must be encrypted".
 */
export function fieldRule(rule: RuleMeta): Detector {
  const names = matchList(rule, 'names');
  const byName = nameMatcher(names);
  const patterns = safeRegexes(matchList(rule, 'namePatterns'));
  const categories = new Set(matchList(rule, 'categories') as Category[]);
  const tables = matchList(rule, 'tables');
  const inTable = tables.length > 0 ? nameMatcher(tables) : () => true;
  const protectedBy = matchList(rule, 'protectedBy');
  const accepted = protectedBy.length > 0 ? nameMatcher(protectedBy) : () => true;
  return {
    ruleId: rule.id,
    languages: ['typescript', 'javascript', 'sql', 'prisma'],
    check(ctx) {
      const classifier = classifierFor(ctx.config);
      for (const table of ctx.project.schema.tables()) {
        if (table.file !== ctx.file.path || ![table.name, ...(table.aliases ?? [])].some(inTable)) continue;
        for (const column of table.columns) {
          if (column.file !== ctx.file.path) continue;
          const why =
            (names.length > 0 && byName(column.name) ? `matches ${names.join(', ')}` : undefined) ??
            (patterns.some((re) => re.test(column.name)) ? 'matches the rule pattern' : undefined) ??
            categoryWhy(classifier.classify(column.name, { kind: 'column', container: table.name }), categories);
          if (!why) continue;
          if (column.protection && accepted(column.protection)) continue;
          const state = column.protection
            ? `protected by ${column.protection}, which this rule does not accept`
            : 'stored without encryption';
          ctx.report({
            range: column.range,
            message: ruleMessage(rule, `${table.name}.${column.name} ${why}, ${state}`),
            data: { table: table.name, column: column.name },
          });
        }
      }
    },
  };
}

function categoryWhy(
  found: { category: Category; why: string } | undefined,
  categories: Set<Category>,
): string | undefined {
  return found && categories.has(found.category) ? found.why.replace(/^matched/, 'matches') : undefined;
}
