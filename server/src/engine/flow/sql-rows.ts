import ts from 'typescript';
import type { DetectorContext } from '../detector.js';
import { vocabularyOf } from '../pack.js';
import { sqlStatementsOf, structureOf, type SqlEmbedding, type SqlStatement, type SqlToken } from '../sql/index.js';
import type { ProjectionItem, SelectScope, TableRef } from '../sql/analysis.js';
import { classifierFor, type Classification } from '../vocabulary/classify.js';
import type { HealthEvidence } from './health-value.js';
import { localDeclarationOf } from '../names/locals.js';
import { propertyValue, unwrap } from '../syntax/ast.js';
import { splitWords } from '../vocabulary/words.js';

const KEY_WORDS = new Set(['id', 'ids', 'uuid', 'guid', 'key', 'pk', 'fk', 'ref']);

/** Option names under which a client takes the SQL text (`client.query({ query })`, pg `{ text, values }`). */
const SQL_OPTIONS = ['query', 'sql', 'text'];

/**
 * The rows of a raw SQL query carry the columns it selects, through any SQL client: `pool.query`,
 * `db.any`, `knex.raw`, `prisma.$queryRaw`, `sequelize.query`, a ClickHouse `client.query({ query })`
 * or a project wrapper with one of those method names (`sql-embedding.yaml` `calls`). A selected
 * column that is health data (`d.DiagnosisDescription`), a star over a table whose columns are
 * (`SELECT * FROM resultats`), or a person's identity joined to a special-category table
 * (`p.FullName ... FROM FactGeneticTestResult`: the row says this person had this test) makes the
 * rows health data downstream: in a log, a response, a file.
 */
export function sqlRowsEvidence(
  call: ts.CallExpression | ts.TaggedTemplateExpression,
  ctx: DetectorContext,
): HealthEvidence | undefined {
  const verdict = sqlRowsVerdict(call, ctx);
  return typeof verdict === 'object' ? verdict : undefined;
}

/**
 * What the result of a SQL call carries: health evidence, `clean` when the statement is known and
 * returns nothing of the kind (`SHOW TABLES`, a count, an UPDATE), `unknown` when the call runs no
 * SQL the file spells out. A known statement is more precise than the result variable's name.
 */
export function sqlRowsVerdict(
  call: ts.CallExpression | ts.TaggedTemplateExpression,
  ctx: DetectorContext,
): HealthEvidence | 'clean' | 'unknown' {
  const text = sqlArgument(call, ctx);
  if (!text) return 'unknown';
  const start = text.getStart();
  const statements = sqlStatementsOf(ctx.file, ctx.project).filter(
    (s) => s.origin === 'embedded' && s.start >= start && s.end <= text.end,
  );
  if (statements.length === 0)
    return /^\s*(show|describe|desc|explain|pragma)\b/i.test(text.getText().replace(/^[`'"]/, ''))
      ? 'clean'
      : 'unknown';
  const reading = statements.find((s) => s.kind === 'select' || /^\s*\(?\s*with\b/i.test(s.text));
  if (!reading) return statements.some((s) => /\breturning\b/i.test(s.text)) ? 'unknown' : 'clean';
  return rowsEvidence(reading, ctx) ?? 'clean';
}

/** The node holding the SQL a call runs: its first argument (or `query`/`sql`/`text` option), followed to a local's initializer. */
function sqlArgument(call: ts.CallExpression | ts.TaggedTemplateExpression, ctx: DetectorContext): ts.Node | undefined {
  const embedding = vocabularyOf<SqlEmbedding>(ctx.config.pack, 'sql-embedding');
  const callee = unwrap(ts.isTaggedTemplateExpression(call) ? call.tag : call.expression);
  const name = ts.isPropertyAccessExpression(callee)
    ? callee.name.text
    : ts.isIdentifier(callee)
      ? callee.text
      : undefined;
  if (!name || !(embedding.calls ?? []).includes(name)) return undefined;
  if (ts.isTaggedTemplateExpression(call)) return call.template;
  let arg = call.arguments[0] ? unwrap(call.arguments[0]) : undefined;
  if (arg && ts.isObjectLiteralExpression(arg))
    arg = SQL_OPTIONS.map((k) => propertyValue(arg as ts.ObjectLiteralExpression, k)).find((v) => v !== undefined);
  if (arg) arg = unwrap(arg);
  if (arg && ts.isIdentifier(arg)) {
    const d = localDeclarationOf(arg);
    arg = d && ts.isVariableDeclaration(d) && d.initializer ? unwrap(d.initializer) : undefined;
  }
  return arg &&
    (ts.isStringLiteralLike(arg) ||
      ts.isTemplateExpression(arg) ||
      ts.isBinaryExpression(arg) ||
      ts.isTaggedTemplateExpression(arg))
    ? arg
    : undefined;
}

function rowsEvidence(statement: SqlStatement, ctx: DetectorContext): HealthEvidence | undefined {
  const { scopes } = structureOf(statement);
  const scope = scopes.find((s) => s.role === 'output' && s.open === -1) ?? scopes.find((s) => s.role === 'output');
  if (!scope) return undefined;
  const classifier = classifierFor(ctx.config);
  const tokens = statement.tokens;
  const tables = scope.from.filter((t) => !t.derived && t.name);
  const tableOf = (qualifier: string | undefined): string | undefined => {
    if (!qualifier) return tables.length === 1 ? tables[0]!.name : undefined;
    return tables.find((t) => t.alias === qualifier || t.name === qualifier || t.name.endsWith(`.${qualifier}`))?.name;
  };
  const bare = (table: string) => table.split('.').pop()!;
  const identity: string[] = [];
  for (const item of scope.items) {
    if (item.star) {
      for (const table of item.star.qualifier
        ? [tableOf(item.star.qualifier)].filter((t): t is string => !!t)
        : tables.map((t) => t.name)) {
        const found = starEvidence(bare(table), ctx);
        if (found) return found;
      }
      continue;
    }
    if (!item.name) continue;
    const table = tableOf(qualifierOf(tokens, item));
    const c = classifier.classify(item.name, { kind: 'column', ...(table ? { container: bare(table) } : {}) });
    if (c?.special) return evidenceOf(c, item.name, table ? bare(table) : undefined);
    // A name, a birth date, a national number: not a key (`patient_id` is a pseudonym of the row).
    if (
      c &&
      (c.category === 'identity' || c.category === 'health-identifier') &&
      !KEY_WORDS.has(splitWords(item.name).pop() ?? '')
    )
      identity.push(item.name);
  }
  // A person's identity read from a join with a special-category table: the row links them to it.
  if (identity.length > 0) {
    for (const t of tables) {
      const c = classifier.classify(bare(t.name), { kind: 'table' });
      if (c?.special) {
        return {
          category: c.category,
          why: `${c.why}: the query joins ${bare(t.name)} to a person's identity (${identity[0]}), so each row says this person has one`,
          path: `${bare(t.name)} + ${identity[0]}`,
        };
      }
    }
  }
  return undefined;
}

/** `SELECT *` / `t.*` over a table: its columns from the schema index, or the table's own name. */
function starEvidence(table: string, ctx: DetectorContext): HealthEvidence | undefined {
  const classifier = classifierFor(ctx.config);
  for (const fact of ctx.project.schema.declarations(table)) {
    for (const column of fact.columns) {
      const c = classifier.classify(column.name, { kind: 'column', container: fact.name });
      if (c?.special)
        return {
          ...evidenceOf(c, column.name, fact.name),
          declared: { file: column.file, start: column.range.start, end: column.range.end },
        };
    }
  }
  const c = classifier.classify(table, { kind: 'table' });
  return c?.special
    ? { category: c.category, why: `${c.why}: the query reads every column of ${table}`, path: `${table}.*` }
    : undefined;
}

function evidenceOf(c: Classification, column: string, table: string | undefined): HealthEvidence {
  const path = table ? `${table}.${column}` : column;
  return { category: c.category, why: `${c.why} via the column ${path} of the query's rows`, path };
}

/** The qualifier of a projection item's first column reference (`d` of `d.DiagnosisDescription`, of `argMax(dt.EHR_url, ...) AS x`). */
function qualifierOf(tokens: readonly SqlToken[], item: ProjectionItem): string | undefined {
  for (let k = item.first; k + 2 <= item.last; k++) {
    const a = tokens[k]!;
    if (
      (a.kind === 'identifier' || a.kind === 'quoted-identifier') &&
      tokens[k + 1]!.value === '.' &&
      tokens[k + 2]!.kind !== 'star'
    )
      return a.value;
  }
  return undefined;
}

export type { SelectScope, TableRef };

/**
 * The interpolations of a SQL template that put values in the statement (`= ${id}`, `IN (${ids})`,
 * `VALUES (${a}, ${b})`, `'${name}'`), or undefined when the template is not SQL. The others
 * build its syntax (`WHERE ${conditions}`, `ORDER BY ${sortBy}`): SQL text with placeholders only
 * (`$1`, `:diagnosis`, `{diagnosis:String}`, `?`) carries no values; the values array does.
 */
export function sqlValueSpans(template: ts.TemplateExpression, ctx: DetectorContext): ts.Expression[] | undefined {
  if (template.getSourceFile() !== ctx.file.ts) return undefined;
  const start = template.getStart();
  const isSql = sqlStatementsOf(ctx.file, ctx.project).some(
    (s) => s.origin === 'embedded' && s.start >= start && s.end <= template.end,
  );
  if (!isSql) return undefined;
  let before = template.head.text;
  const out: ts.Expression[] = [];
  for (const span of template.templateSpans) {
    if (valuePosition(before)) out.push(span.expression);
    before += ' ? ' + span.literal.text;
  }
  return out;
}

/** Whether what precedes an interpolation puts a value there: a comparison, an open quote, a VALUES or IN list. */
function valuePosition(before: string): boolean {
  const text = before.replace(/--[^\n]*$/g, '');
  if (/'[^']*$/.test(text.replace(/''/g, ''))) return true;
  if (/(=|<>|!=|<|>|\blike|\bilike|\bbetween)\s*$/i.test(text) || /\bbetween\s+\S+\s+and\s*$/i.test(text)) return true;
  let depth = 0;
  for (let i = text.length - 1; i >= 0; i--) {
    const ch = text[i]!;
    if (ch === ')') depth++;
    else if (ch === '(') {
      if (depth === 0) return /\b(values|in)\s*$/i.test(text.slice(0, i));
      depth--;
    }
  }
  return false;
}
