import type { Detector } from '../detector.js';
import type { RuleMeta } from '../pack.js';
import { tableKey } from '../schema.js';
import {
  insertInfo,
  parenIndex,
  sqlStatementsOf,
  structureOf,
  updateInfo,
  type SqlStatement,
  type SqlToken,
} from '../sql/index.js';
import type { Range } from '../types.js';
import { nameMatcher, pathMatcher } from './glob.js';
import { matchList, ruleMessage } from './match.js';

/**
 * A SQL rule: statements over the named tables must (not) have a shape. `require: [where]`
 * reports a SELECT/UPDATE/DELETE without a WHERE, `require: [limit]` one without LIMIT/TOP/FETCH,
 * `forbid: [star]` a `SELECT *` / `t.*`, `allowedIn: [src/dal/**]` any access from other files.
 */
export function sqlRule(rule: RuleMeta): Detector {
  const tables = matchList(rule, 'tables');
  const isTable = tables.length > 0 ? nameMatcher(tables.map(tableKey)) : () => true;
  const statements = matchList(rule, 'statements');
  const required = matchList(rule, 'require');
  const forbidden = matchList(rule, 'forbid');
  const allowedIn = matchList(rule, 'allowedIn');
  const allowed = allowedIn.length > 0 ? pathMatcher(allowedIn) : undefined;
  return {
    ruleId: rule.id,
    languages: ['typescript', 'javascript', 'sql'],
    check(ctx) {
      const outsideAllowed = allowed !== undefined && !allowed(ctx.file.path);
      for (const statement of sqlStatementsOf(ctx.file, ctx.project)) {
        ctx.tick(1 + (statement.tokens.length >> 4));
        if (statements.length > 0 && !statements.includes(statement.kind)) continue;
        const refs = tablesOf(statement).filter((t) => isTable(tableKey(t.name)));
        if (refs.length === 0) continue;
        const first = refs[0]!;
        if (outsideAllowed) {
          ctx.report({
            range: first.range,
            message: ruleMessage(rule, `${first.name} is accessed outside ${allowedIn.join(', ')}`),
            data: { table: first.name },
          });
          continue;
        }
        const missing = required.filter((clause) => !hasClause(statement, clause));
        if (missing.length > 0 && statement.kind !== 'insert') {
          ctx.report({
            range: first.range,
            message: ruleMessage(
              rule,
              `${statement.kind.toUpperCase()} on ${first.name} without ${missing.map((c) => c.toUpperCase()).join(' or ')}`,
            ),
            data: { table: first.name },
          });
          continue;
        }
        if (forbidden.includes('star')) {
          const star = starOver(
            statement,
            refs.map((r) => r.name),
          );
          if (star)
            ctx.report({
              range: star,
              message: ruleMessage(rule, `SELECT * over ${first.name}`),
              data: { table: first.name },
            });
        }
      }
    },
  };
}

interface TableUse {
  name: string;
  range: Range;
}

/** The tables a statement reads or writes, with the range of each name. */
function tablesOf(statement: SqlStatement): TableUse[] {
  const { tokens } = statement;
  const use = (name: string, first: number, last: number): TableUse => ({
    name,
    range: { start: tokens[first]!.start, end: tokens[last]!.end },
  });
  const uses: TableUse[] = [];
  for (const scope of structureOf(statement).scopes)
    for (const ref of scope.from) if (!ref.derived) uses.push(use(ref.name, ref.first, ref.last));
  if (statement.kind === 'insert') {
    const info = insertInfo(tokens);
    if (info) uses.unshift(use(info.target.name, info.target.first, info.target.last));
  } else if (statement.kind === 'update') {
    const info = updateInfo(tokens);
    if (info) uses.unshift(use(info.target.name, info.target.first, info.target.last));
  } else if (statement.kind === 'delete') {
    const from = tokens.findIndex((t) => t.kind === 'keyword' && t.value === 'FROM');
    const name = from >= 0 ? nameAt(tokens, from + 1) : undefined;
    if (name) uses.unshift(use(name.name, from + 1, name.last));
  }
  const seen = new Set<number>();
  return uses.filter((u) => !seen.has(u.range.start) && seen.add(u.range.start));
}

function nameAt(tokens: readonly SqlToken[], k: number): { name: string; last: number } | undefined {
  let last = k;
  if (!isName(tokens[k])) return undefined;
  const parts = [tokens[k]!.value];
  while (tokens[last + 1]?.value === '.' && isName(tokens[last + 2])) {
    parts.push(tokens[last + 2]!.value);
    last += 2;
  }
  return { name: parts.join('.'), last };
}

function isName(token: SqlToken | undefined): boolean {
  return token !== undefined && (token.kind === 'identifier' || token.kind === 'quoted-identifier');
}

/** A clause at the statement's top level (not inside a subquery). */
function hasClause(statement: SqlStatement, clause: string): boolean {
  const words = clause === 'limit' ? ['LIMIT', 'TOP', 'FETCH'] : [clause.toUpperCase()];
  const parens = parenIndex(statement.tokens);
  return statement.tokens.some((t, i) => t.kind === 'keyword' && words.includes(t.value) && parens.parent[i] === -1);
}

/** The `*` of a projection over one of `tables`. */
function starOver(statement: SqlStatement, tables: string[]): Range | undefined {
  const keys = new Set(tables.map(tableKey));
  for (const scope of structureOf(statement).scopes) {
    if (scope.role !== 'output') continue;
    for (const item of scope.items) {
      if (!item.star) continue;
      const over = item.star.qualifier
        ? scope.from.filter(
            (f) => f.alias === item.star!.qualifier || tableKey(f.name) === tableKey(item.star!.qualifier!),
          )
        : scope.from;
      if (!over.some((f) => keys.has(tableKey(f.name)))) continue;
      const token = statement.tokens[item.star.last]!;
      return { start: token.start, end: token.end };
    }
  }
  return undefined;
}
