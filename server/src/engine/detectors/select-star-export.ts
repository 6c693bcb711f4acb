import ts from 'typescript';
import type { Detector, DetectorContext } from '../detector.js';
import { packData } from '../pack.js';
import type { Fix } from '../types.js';
import { Classifier, classifierFor } from '../vocabulary/classify.js';
import { dottedName, scopeInside, type SelectScope, type TableRef } from '../sql/analysis.js';
import { copyDirection, scopeExportContext, statementExportContext, type ExportContext } from '../sql/export-context.js';
import { sqlStatementsOf, structureOf } from '../sql/index.js';
import { wholeRecordFetches, type WholeRecordFetch } from '../sql/orm-fetches.js';
import { assessTable, type TableAssessment, type TableVocabulary } from '../sql/personal-tables.js';
import { DEFAULT_EXPORT_SINKS, exportSinkOf, type ExportSink, type ExportSinks } from '../sql/result-flow.js';
import type { SqlDialect, SqlStatement } from '../sql/types.js';

const RULE = 'select-star-export';

interface RuleOptions extends TableVocabulary {
  exportWords: Classifier;
  sinks: ExportSinks;
}

const DEFAULTS = {
  personalTables: ['patient*', 'personne*', 'person', 'people', 'dossier*'],
  technicalTables: ['param*', 'parametre*', 'setting*', 'config*', 'feature flag*', 'flag*'],
  systemSchemas: ['sys', 'information_schema', 'pg_catalog'],
  exportWords: ['export*', 'extract*', 'dump*', 'partner*', 'partenaire*'],
};

const optionCache = new WeakMap<object, RuleOptions>();

/** Options are derived from the config (pack parameters + team options): built once per config. */
function optionsOf(ctx: DetectorContext): RuleOptions {
  const cached = optionCache.get(ctx.config);
  if (cached) return cached;
  const list = (key: keyof typeof DEFAULTS): string[] => {
    const value = ctx.options[key];
    return Array.isArray(value) ? value.map(String) : DEFAULTS[key];
  };
  const options: RuleOptions = {
    personalTables: list('personalTables'),
    technicalTables: list('technicalTables'),
    systemSchemas: list('systemSchemas'),
    exportWords: new Classifier([{ category: 'identity', terms: { rule: list('exportWords') } }]),
    sinks: { ...DEFAULT_EXPORT_SINKS, ...packData<Partial<ExportSinks>>(ctx.config.pack, 'export-sinks', {}) },
  };
  optionCache.set(ctx.config, options);
  return options;
}

/**
 * `select-star-export`: `SELECT *` / `t.*` over personal-data tables or in exports and
 * migrations, and ORM whole-record reads that feed an export (Art. 5(1)(c), 25(2), 28(3)(a), 29).
 */
export const selectStarExport: Detector = {
  ruleId: RULE,
  languages: ['sql', 'typescript', 'javascript'],
  check(ctx) {
    const options = optionsOf(ctx);
    for (const statement of sqlStatementsOf(ctx.file, ctx.project)) {
      ctx.tick(1 + (statement.tokens.length >> 4));
      // Only the statements this rule reads are given to the parser (it costs milliseconds each).
      if (!statement.tokens.some((t) => t.kind === 'star') && statement.kind !== 'copy') continue;
      if (!statement.parsed) {
        const line = ctx.file.lines.position(statement.start).line + 1;
        const head = statement.tokens.slice(0, 2).map((t) => t.value).join(' ');
        ctx.note('sql-unparsed', `line ${line}: "${head.slice(0, 30)} ..." not accepted by the ${statement.dialect ?? 'SQL'} parser; analysed by tokens`, { start: statement.start, end: statement.end });
      }
      checkStatement(ctx, statement, options);
    }
    if (ctx.file.ts) for (const fetch of wholeRecordFetches(ctx.file.ts)) {
      ctx.tick();
      checkFetch(ctx, fetch, options);
    }
  },
};

function checkStatement(ctx: DetectorContext, statement: SqlStatement, options: RuleOptions): void {
  const { scopes } = structureOf(statement);
  const isCopy = statement.kind === 'copy';
  let embedded: ExportContext | undefined | null = null;
  const embeddedContext = (): ExportContext | undefined => {
    if (embedded === null) {
      const sink = statement.origin === 'embedded' && statement.node && ctx.file.ts ? exportSinkOf(statement.node, ctx.file.ts, options.sinks) : undefined;
      embedded = sink ? { where: sinkPhrase(sink), kind: 'export' } : undefined;
    }
    return embedded;
  };
  const statementContext = statementExportContext(statement, options.exportWords);
  if (isCopy) checkCopyTable(ctx, statement, options);
  for (const scope of scopes) {
    if (scope.role === 'predicate' || !scope.items.some((i) => i.star) || !leaves(statement, scope)) continue;
    const context = scopeExportContext(scope, statement) ?? statementContext ?? embeddedContext();
    for (const item of scope.items) {
      if (!item.star) continue;
      const tables = coveredTables(ctx, statement, scope, item.star.qualifier, options);
      if (!tables) continue;
      const personal = tables.filter((t) => t.holdsPersonalData);
      if (personal.length === 0 && !context) continue;
      const first = statement.tokens[item.star.first]!;
      const last = statement.tokens[item.star.last]!;
      const star = item.star.qualifier ? `${item.star.qualifier}.*` : '*';
      const starText = item.inFunction ? `${item.inFunction}(${star})` : `SELECT ${star}`;
      const shown = personal.length > 0 ? personal : tables;
      const fixes = tables.length === 1 && !tables[0]!.presumed && !item.inFunction ? starFixes(ctx, statement, first.start, last.end, tables[0]!, item.star.qualifier) : [];
      ctx.report({
        range: { start: first.start, end: last.end },
        message: `${starText} ${context ? 'exports' : 'reads'} every column of ${describeTables(shown)}${context ? ` ${context.where}` : ''}: list only the columns this ${context ? 'job' : 'query'} needs (Art. 5(1)(c)).`,
        fixes,
        data: findingData(shown[0], context),
      });
    }
  }
}

/** `COPY table TO ...` (no query, no column list): every column of the table is written out. */
function checkCopyTable(ctx: DetectorContext, statement: SqlStatement, options: RuleOptions): void {
  const tokens = statement.tokens;
  if (tokens[1]?.value === '(' || copyDirection(statement) !== 'TO') return;
  const name = dottedName(tokens, 1);
  if (!name || tokens[name.last + 1]?.value === '(') return;
  const table = assessTable(name.name, ctx.project.schema, ctx.config, options);
  const range = { start: tokens[1]!.start, end: tokens[name.last]!.end };
  const fixes: Fix[] = [];
  if (table.columns.length > 0) {
    const list = (columns: string[]) => `${ctx.file.text.slice(range.start, range.end)} (${columns.map((c) => quoteIdentifier(c, statement.dialect)).join(', ')})`;
    fixes.push({ title: `List the ${table.columns.length} columns of ${name.name} in COPY`, edits: [{ ...range, newText: list(table.columns.map((c) => c.name)) }], isPreferred: true });
    const safe = nonSensitive(table);
    if (safe.length > 0 && safe.length < table.columns.length) fixes.push({ title: `Copy only the ${safe.length} non-sensitive columns of ${name.name}`, edits: [{ ...range, newText: list(safe) }] });
  }
  ctx.report({
    range,
    message: `COPY ${name.name} TO exports every column of ${describeTables([table])} to a file: list only the columns this job needs (Art. 5(1)(c)).`,
    fixes,
    data: findingData(table, { where: 'to a file (COPY ... TO)', kind: 'export' }),
  });
}

/** Does the output of `scope` leave the statement? A derived table or CTE body leaves only through an outer star. */
function leaves(statement: SqlStatement, scope: SelectScope, depth = 0): boolean {
  if (scope.open < 0 || depth > 8) return true;
  const { scopes, ctes } = structureOf(statement);
  const cte = ctes.find((c) => c.open === scope.open);
  const users: { outer: SelectScope; ref: TableRef }[] = [];
  for (const outer of scopes) {
    for (const ref of outer.from) {
      if (ref.derived?.open === scope.open || (cte && !ref.derived && ref.name.toLowerCase() === cte.name.toLowerCase())) users.push({ outer, ref });
    }
  }
  if (!cte && users.length === 0) return true;
  return users.some(({ outer, ref }) => outer.role === 'output' && outer.items.some((i) => i.star && (!i.star.qualifier || sameName(i.star.qualifier, ref.alias ?? ref.name))) && leaves(statement, outer, depth + 1));
}

function sameName(a: string, b: string): boolean {
  const last = (s: string) => s.toLowerCase().split('.').pop();
  return last(a) === last(b);
}

/** The tables a star covers; undefined when it covers only a derived table or CTE that is itself a star (flagged there). */
function coveredTables(ctx: DetectorContext, statement: SqlStatement, scope: SelectScope, qualifier: string | undefined, options: RuleOptions): TableAssessment[] | undefined {
  const { scopes, ctes } = structureOf(statement);
  let refs = scope.from;
  if (qualifier) {
    refs = scope.from.filter((r) => (r.alias && sameName(qualifier, r.alias)) || (!r.derived && sameName(qualifier, r.name)));
    if (refs.length === 0) return [assessTable(qualifier, ctx.project.schema, ctx.config, options)];
  }
  const out: TableAssessment[] = [];
  for (const ref of refs) {
    const cte = !ref.derived && !ref.name.includes('.') ? ctes.find((c) => c.name.toLowerCase() === ref.name.toLowerCase()) : undefined;
    const body = ref.derived ? scopeInside(scopes, ref.derived.open, ref.derived.close) : cte ? scopeInside(scopes, cte.open, cte.close) : undefined;
    if (ref.derived || cte) {
      if (!body || body.items.some((i) => i.star)) continue;
      const names = cte?.columns ?? body.items.map((i) => i.name).filter((n): n is string => !!n);
      out.push(assessNames(ctx, ref.alias ?? ref.name, names));
      continue;
    }
    out.push(assessTable(ref.name, ctx.project.schema, ctx.config, options));
  }
  return out.length > 0 ? out : undefined;
}

/** A derived table or CTE: judged by the names of the columns it projects. */
function assessNames(ctx: DetectorContext, name: string, columns: string[]): TableAssessment {
  const classifier = classifierFor(ctx.config);
  const personal: TableAssessment['personal'] = [];
  for (const column of columns) {
    const c = classifier.classify(column, { kind: 'column' });
    if (c) personal.push({ name: column, category: c.category, special: c.special });
  }
  return { name, columns: [], personal, holdsPersonalData: personal.length > 0, presumed: false, technical: false };
}

function checkFetch(ctx: DetectorContext, fetch: WholeRecordFetch, options: RuleOptions): void {
  const source = ctx.file.ts!;
  const sink = exportSinkOf(fetch.result, source, options.sinks);
  const table = fetch.table ? assessTable(fetch.table, ctx.project.schema, ctx.config, options) : undefined;
  if (!sink && !(fetch.sqlBuilder && table?.holdsPersonalData)) return;
  const context: ExportContext | undefined = sink ? { where: sinkPhrase(sink), kind: 'export' } : undefined;
  const subject = table ? describeTables([table]) : 'the table';
  const what = fetch.sqlBuilder ? 'column' : 'field';
  ctx.report({
    range: { start: fetch.report.getStart(source), end: fetch.report.end },
    message: `${fetch.shape} ${context ? 'exports' : 'reads'} every ${what} of ${subject}${context ? ` ${context.where}` : ''}: ${fetch.sqlBuilder ? 'select only the columns' : 'select only the fields'} this ${context ? 'job' : 'query'} needs (Art. 5(1)(c)).`,
    data: findingData(table, context),
  });
}

function sinkPhrase(sink: ExportSink): string {
  switch (sink.kind) {
    case 'file': return `to a file (${sink.name})`;
    case 'stream': return `to a stream (${sink.name})`;
    case 'download': return `in a file download (${sink.name})`;
    case 'http': return `to another system (${sink.name})`;
    case 'queue': return `to a message queue (${sink.name})`;
    case 'mail': return `by mail (${sink.name})`;
  }
}

/** `"patients" (nir: health-identifier, nom: identity, +4 more)` for each table. */
function describeTables(tables: TableAssessment[]): string {
  return tables.map((t) => {
    const name = `"${t.name}"`;
    if (t.personal.length > 0) {
      const ordered = [...t.personal].sort((a, b) => Number(b.special) - Number(a.special));
      const shown = ordered.slice(0, 5).map((p) => `${p.name}: ${p.category}`);
      const more = ordered.length > 5 ? `, +${ordered.length - 5} more` : '';
      return `${name} (${shown.join(', ')}${more})`;
    }
    if (t.presumed) return `${name} (personal data presumed from its name)`;
    return name;
  }).join(' and ');
}

function findingData(table: TableAssessment | undefined, context: ExportContext | undefined): Record<string, unknown> {
  return {
    table: table?.name,
    columns: table?.columns.map((c) => c.name) ?? [],
    sensitiveColumns: table?.personal.filter((p) => p.special).map((p) => p.name) ?? [],
    personalColumns: table?.personal.map((p) => ({ name: p.name, category: p.category })) ?? [],
    context: context ? 'export' : 'query',
  };
}

/** Columns without special-category data or a health identifier. */
function nonSensitive(table: TableAssessment): string[] {
  const special = new Set(table.personal.filter((p) => p.special).map((p) => p.name.toLowerCase()));
  return table.columns.map((c) => c.name).filter((c) => !special.has(c.toLowerCase()));
}

/** Quick fixes: the explicit column list (preferred), then only the non-sensitive columns. */
function starFixes(ctx: DetectorContext, statement: SqlStatement, start: number, end: number, table: TableAssessment, qualifier: string | undefined): Fix[] {
  if (table.columns.length === 0) return [];
  const escape = hostEscaper(ctx, statement, start);
  const list = (columns: string[]) => escape(columns.map((c) => (qualifier ? `${qualifier}.` : '') + quoteIdentifier(c, statement.dialect)).join(', '));
  const all = table.columns.map((c) => c.name);
  const fixes: Fix[] = [{ title: `Replace ${qualifier ? `${qualifier}.*` : '*'} with the ${all.length} columns of ${table.name}`, edits: [{ start, end, newText: list(all) }], isPreferred: true }];
  const safe = nonSensitive(table);
  if (safe.length > 0 && safe.length < all.length) {
    const dropped = all.filter((c) => !safe.includes(c));
    fixes.push({ title: `Select only the ${safe.length} non-sensitive columns of ${table.name} (drops ${dropped.join(', ')})`, edits: [{ start, end, newText: list(safe) }] });
  }
  return fixes;
}

function quoteIdentifier(name: string, dialect: SqlDialect | undefined): string {
  if (/^[A-Za-z_][A-Za-z0-9_$]*$/.test(name)) return name;
  if (dialect === 'mysql') return '`' + name.replace(/`/g, '``') + '`';
  if (dialect === 'transactsql') return `[${name.replace(/]/g, ']]')}]`;
  return `"${name.replace(/"/g, '""')}"`;
}

/** Escapes replacement text for the TS string or template that holds the star (SQL files: as is). */
function hostEscaper(ctx: DetectorContext, statement: SqlStatement, at: number): (text: string) => string {
  if (statement.origin !== 'embedded' || !statement.node) return (t) => t;
  let quote = '';
  const find = (node: ts.Node): void => {
    if (at < node.getStart(ctx.file.ts) || at >= node.end) return;
    if (ts.isStringLiteral(node)) quote = ctx.file.text[node.getStart(ctx.file.ts)]!;
    else if (ts.isTemplateLiteral(node) || ts.isTemplateLiteralToken(node)) quote = '`';
    ts.forEachChild(node, find);
  };
  find(statement.node);
  if (quote === '`') return (t) => t.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
  if (quote) return (t) => t.replace(/\\/g, '\\\\').split(quote).join('\\' + quote);
  return (t) => t;
}

