import ts from 'typescript';
import { listOption, ruleOptions } from '../config.js';
import type { EngineConfig } from '../config.js';
import type { DetectorContext, FileView } from '../detector.js';
import { healthDataIn } from '../flow/health-value.js';
import { storedValues } from '../flow/storage-sinks.js';
import { maskSensitiveDigits } from '../identifiers/mask.js';
import type { Destination, ExportColumn } from '../inventory/model.js';
import { vocabularyOf } from '../pack.js';
import { insertInfo, qualifiedNameAt, type SelectScope } from '../sql/analysis.js';
import {
  copyDirection,
  scopeExportContext,
  statementExportContext,
  type ExportContext,
} from '../sql/export-context.js';
import { parentStatementOf, sqlStatementsOf, structureOf } from '../sql/index.js';
import { wholeRecordFetches } from '../sql/orm-fetches.js';
import { assessTable, type TableVocabulary } from '../sql/personal-tables.js';
import { exportSinkOf, type ExportSink, type ExportSinks } from '../sql/result-flow.js';
import type { SqlStatement } from '../sql/types.js';
import type { Range } from '../types.js';
import { Classifier, classifierFor, type Category } from '../vocabulary/classify.js';
import { sortCategories, storedColumns } from '../inventory/context.js';
import { fileExposure, sinkDestination, type Exposure } from './destinations.js';
import { callersOf } from './erasure.js';
import { callsOf } from '../syntax/node-index.js';
import { calledName, forEachBoundName, unwrap } from '../syntax/ast.js';
import { accessChain } from '../names/binding.js';
import { exportKnowledge, type ExportKnowledge } from './knowledge.js';
import { knowledgeOf, knowledgePart } from '../knowledge.js';

/**
 * One export or migration output found in a file: a statement or job that takes data out of the
 * database (`COPY ... TO`, `INTO OUTFILE`, `CREATE TABLE ... AS`, `INSERT ... SELECT`, bcp, a query
 * whose rows the code writes to a file, a bucket, another host, a queue or a mail), or a write of
 * health data to a file in a public place. The privacy inventory lists them (Exports, Retention);
 * `export-to-public-location` and `export-without-erasure` report on them.
 */
export interface ExportFact {
  file: string;
  /** `export`: data leaves the database; `migration`: copied into another table. */
  kind: 'export' | 'migration';
  /** `query`: rows of a query or ORM read; `write`: a value the code writes (health data), not read from a query here. */
  origin: 'query' | 'write';
  /** The function (job) that runs it, or the file. */
  job: string;
  /** The statement (or the write), shortened, digits of identifiers masked. */
  statement: string;
  tables: string[];
  columns: string[];
  personalColumns: ExportColumn[];
  categories: Category[];
  /** Tables that hold personal data by their name when the schema does not show their columns (`patients`). */
  presumedPersonal: string[];
  selectStar: boolean;
  destination: Destination;
  /** Why others can read the destination (a web folder, a served directory, a public ACL...). */
  exposure?: Exposure;
  /** Where the inventory row points: the statement, the ORM read or the write. */
  at: number;
  /** What a finding about the output points at: the destination as written (path, bucket), else the write call or the statement. */
  anchor: Range;
  /** The TS call that writes the data out (a query's sink, a write of health data). */
  node?: ts.Node;
  /** The SQL statement that reads the data. */
  sql?: SqlStatement;
  /** A table copy made with `CREATE TEMPORARY TABLE`, `SELECT ... INTO #tmp`: gone with the session. */
  temporary?: boolean;
}

/** Does the output carry personal data: a personal column, or a table presumed personal from its name? */
export function carriesPersonalData(fact: ExportFact): boolean {
  return fact.personalColumns.length > 0 || fact.presumedPersonal.length > 0;
}

/** Special categories of Art. 9 or a national health identifier in the output. */
export function carriesSpecialData(fact: ExportFact): boolean {
  return fact.personalColumns.some((c) => c.special);
}

const COPY_WORDS = knowledgePart(
  'export-copy-words',
  (config) => new Classifier([{ category: 'identity', terms: { rule: exportKnowledge(config).copyWords } }]),
);

/**
 * An output that stays somewhere once the export has run: a file, a bucket object, or a copy of
 * a table (`CREATE TABLE ... AS`, `SELECT ... INTO`, or an `INSERT ... SELECT` into a table named
 * as a copy: `export_*`, `*_backup`, `tmp_*`, `archive.*`). An `INSERT ... SELECT` into one of the
 * application's own tables moves data inside the application, and a log file is logging: neither
 * is an export output.
 */
export function isExportOutput(fact: ExportFact, config: EngineConfig): boolean {
  const d = fact.destination;
  // Rows appended to a log are logging (rotated by the system), not an export left behind.
  if (d.kind === 'file' && d.target && /(\.log|[\\/]logs?[\\/][^\\/]*)$/i.test(d.target)) return false;
  if (d.kind === 'file' || d.kind === 'bucket') return true;
  if (d.kind !== 'table') return false;
  if (d.via !== 'INSERT ... SELECT') return true;
  const words = knowledgeOf(config).get(COPY_WORDS);
  return (
    !!d.target &&
    d.target
      .replace(/["`[\]]/g, '')
      .split('.')
      .some((part) => words.classify(part) !== undefined)
  );
}

interface Setup {
  ctx: DetectorContext;
  exportWords: Classifier;
  sinks: ExportSinks;
  known: ExportKnowledge;
  tables: TableVocabulary;
}

interface Cached {
  ts: number;
  schema: number;
  facts: ExportFact[];
}

/**
 * The export facts of the context's file, computed once per version of the project's TS sources
 * and schema (both decide what a query reads and where a path points) and shared by the rules and
 * the inventory.
 */
export function exportFactsOf(ctx: DetectorContext): ExportFact[] {
  const holder = ctx.project.memo<Cached>(ctx.file.path, 'exports:facts', () => ({ ts: -1, schema: -1, facts: [] }));
  if (holder.ts !== ctx.project.ts.version || holder.schema !== ctx.project.schema.version) {
    holder.facts = computeFacts(ctx);
    holder.ts = ctx.project.ts.version;
    holder.schema = ctx.project.schema.version;
  }
  return holder.facts;
}

function computeFacts(ctx: DetectorContext): ExportFact[] {
  const config = ctx.config;
  const select = ruleOptions(config, 'select-star-export');
  const setup: Setup = {
    ctx,
    exportWords: new Classifier([{ category: 'identity', terms: { rule: listOption(select, 'exportWords') } }]),
    sinks: vocabularyOf<ExportSinks>(config.pack, 'export-sinks'),
    known: exportKnowledge(config),
    tables: {
      personalTables: listOption(select, 'personalTables'),
      technicalTables: listOption(select, 'technicalTables'),
      systemSchemas: listOption(select, 'systemSchemas'),
    },
  };
  const view = ctx.file;
  const out: ExportFact[] = [];
  for (const statement of sqlStatementsOf(view, ctx.project)) {
    ctx.tick();
    const fact = statementExport(setup, view, statement);
    if (fact) out.push(fact);
  }
  if (view.ts) {
    out.push(...fetchExports(setup, view));
    out.push(...healthWrites(setup, view, new Set(out.map((f) => f.node).filter((n): n is ts.Node => !!n))));
    out.push(...helperExports(setup, view, new Set(out.map((f) => f.node).filter((n): n is ts.Node => !!n))));
  }
  return out;
}

/**
 * A write helper: a function that writes to a file what its callers pass it
 * (`writeWorkbook(sheets)` -> `XLSX.writeFile(book, './export-<ts>.xlsx')`), called from modules
 * that read whole records of the application's personal tables, or of models chosen at run time
 * (`models[type].findAll()`). The rows are not read where they are written: the callers' modules,
 * and the modules they import, say what they are.
 */
function helperExports(setup: Setup, view: FileView, known: Set<ts.Node>): ExportFact[] {
  const out: ExportFact[] = [];
  const source = view.ts!;
  if (!setup.sinks.files.some((name) => source.text.includes(name))) return out;
  for (const call of callsOf(source)) {
    if (!ts.isCallExpression(call) || known.has(call) || !setup.sinks.files.includes(calledName(call.expression)))
      continue;
    const fn = enclosingNamedFunction(call);
    if (!fn || fn.node.parameters.length === 0) continue;
    setup.ctx.tick();
    const workbookFirst = /^(XLSX|xlsx)\.writeFile(Sync|XLSX)?$/.test(
      call.expression.getText(source).replace(/\s+/g, ''),
    );
    const data = workbookFirst ? call.arguments.slice(0, 1) : call.arguments.slice(1);
    const tainted = parameterTaint(fn.node);
    if (!data.some((d) => mentionsAny(d, tainted))) continue;
    const read = callerReads(setup, fn.name);
    if (!read) continue;
    const sink: ExportSink = { kind: 'file', name: call.expression.getText(source).replace(/\s+/g, ''), node: call };
    const placed = sinkDestination(sink, setup.ctx, setup.known);
    if (placed.destination.kind !== 'file') continue;
    const columns = read.tables.flatMap((t) =>
      storedColumns(setup.ctx.project.schema, t).map((c) => ({ table: t, name: c.name })),
    );
    const personalColumns = classifyColumns(setup, columns, read.tables);
    out.push({
      file: view.path,
      kind: 'export',
      origin: 'query',
      job: fn.name,
      statement: shorten(call.getText(source)),
      tables: read.tables,
      columns: columns.length > 0 ? columns.map((c) => c.name) : ['*'],
      personalColumns,
      categories: sortCategories(personalColumns.map((c) => c.category)),
      presumedPersonal: presumed(setup, read.tables, personalColumns),
      selectStar: true,
      destination: { ...placed.destination, via: `${placed.destination.via} (rows read by ${read.where})` },
      ...(placed.exposure ? { exposure: placed.exposure } : {}),
      at: call.getStart(source),
      anchor: placed.anchor ?? { start: call.getStart(source), end: call.end },
      node: call,
    });
  }
  return out;
}

function enclosingNamedFunction(node: ts.Node): { node: ts.FunctionLikeDeclaration; name: string } | undefined {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (
      ts.isFunctionDeclaration(n) ||
      ts.isMethodDeclaration(n) ||
      ts.isArrowFunction(n) ||
      ts.isFunctionExpression(n)
    ) {
      // A callback (`sheets.forEach(s => ...)`) belongs to the function around it.
      if ((ts.isArrowFunction(n) || ts.isFunctionExpression(n)) && ts.isCallExpression(n.parent)) continue;
      const name = jobName(n.body ?? n) ?? undefined;
      return name && n.body ? { node: n, name } : undefined;
    }
  }
  return undefined;
}

/** The names of a function that hold what its parameters carry: locals made from them, objects filled with them, callback parameters over them. */
function parameterTaint(fn: ts.FunctionLikeDeclaration): Set<string> {
  const tainted = new Set<string>();
  for (const p of fn.parameters) forEachBoundName(p.name, (id) => tainted.add(id.text));
  const body = fn.body;
  if (!body) return tainted;
  for (let pass = 0; pass < 4; pass++) {
    const before = tainted.size;
    const visit = (n: ts.Node): void => {
      if (ts.isVariableDeclaration(n) && n.initializer && mentionsAny(n.initializer, tainted))
        forEachBoundName(n.name, (id) => tainted.add(id.text));
      if (ts.isCallExpression(n)) {
        const args = n.arguments;
        const carries =
          args.some((a) => mentionsAny(a, tainted)) ||
          (ts.isPropertyAccessExpression(n.expression) && mentionsAny(n.expression.expression, tainted));
        if (carries) {
          // `append(book, sheet)`: the object the data is filed into carries it; `rows.forEach(r => ...)`: so do callback parameters.
          for (const a of args) {
            const e = unwrap(a);
            if (ts.isIdentifier(e)) tainted.add(e.text);
            if (
              (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) &&
              ts.isPropertyAccessExpression(n.expression) &&
              mentionsAny(n.expression.expression, tainted)
            ) {
              for (const p of e.parameters) forEachBoundName(p.name, (id) => tainted.add(id.text));
            }
          }
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(body);
    if (tainted.size === before) break;
  }
  return tainted;
}

function mentionsAny(expr: ts.Node, names: Set<string>): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (
      ts.isIdentifier(n) &&
      names.has(n.text) &&
      !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n) &&
      !(ts.isPropertyAssignment(n.parent) && n.parent.name === n)
    ) {
      found = true;
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(expr);
  return found;
}

const MODEL_READS = new Set(['findAll', 'findMany', 'find', 'findAndCountAll']);

/**
 * What the callers of a write helper read: whole records of personal tables, or models chosen at
 * run time (`models[type].findAll()`, any table of the application, its personal ones among them),
 * in a caller's file or the project modules it imports (two levels down).
 */
function callerReads(setup: Setup, name: string): { tables: string[]; where: string } | undefined {
  const ctx = setup.ctx;
  const facts = ctx.project;
  const visited = new Set<string>();
  let frontier = [...new Set(callersOf(name, ctx).map((c) => c.file))];
  for (let level = 0; level < 3 && frontier.length > 0 && visited.size < 40; level++) {
    const next: string[] = [];
    for (const path of frontier) {
      if (visited.has(path) || !facts.inScope(path)) continue;
      visited.add(path);
      const sf = facts.ts.sourceFile(path);
      if (!sf) continue;
      ctx.tick();
      const found = personalReads(setup, sf);
      if (found) return { tables: found.tables, where: `${found.what} in ${path}` };
      for (const statement of sf.statements) {
        if (
          !ts.isImportDeclaration(statement) ||
          !ts.isStringLiteral(statement.moduleSpecifier) ||
          !statement.moduleSpecifier.text.startsWith('.')
        )
          continue;
        const target = facts.ts.resolveImport(statement.moduleSpecifier.text, path);
        if (target && !visited.has(target)) next.push(target);
      }
    }
    frontier = next;
  }
  return undefined;
}

function personalReads(setup: Setup, sf: ts.SourceFile): { tables: string[]; what: string } | undefined {
  for (const fetch of wholeRecordFetches(sf)) {
    if (fetch.table && assessTable(fetch.table, setup.ctx.project, setup.tables).holdsPersonalData)
      return { tables: [fetch.table], what: `${fetch.table}.${fetch.shape}` };
  }
  for (const call of callsOf(sf)) {
    if (
      !ts.isCallExpression(call) ||
      !ts.isPropertyAccessExpression(call.expression) ||
      !MODEL_READS.has(call.expression.name.text)
    )
      continue;
    const receiver = unwrap(call.expression.expression);
    if (!ts.isElementAccessExpression(receiver) || ts.isStringLiteralLike(unwrap(receiver.argumentExpression)))
      continue;
    const holder = accessChain(receiver.expression).names;
    if (!/^models?$/i.test(holder[holder.length - 1] ?? '')) continue;
    const tables = personalTablesOf(setup);
    if (tables.length > 0)
      return { tables, what: `${call.expression.getText(sf).replace(/\s+/g, '')}() (any model, chosen at run time)` };
  }
  return undefined;
}

/** The project's tables that hold personal data by their columns, most personal columns first (three at most). */
function personalTablesOf(setup: Setup): string[] {
  const facts = setup.ctx.project;
  const memo = facts.index<{ version: number; tables: string[] }>('exports:personal-tables', () => ({
    version: -1,
    tables: [],
  }));
  if (memo.version === facts.schema.version) return memo.tables;
  const scored: { name: string; n: number }[] = [];
  const seen = new Set<string>();
  for (const table of facts.schema.tables()) {
    const key = table.name.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    const assessed = assessTable(table.name, facts, setup.tables);
    if (assessed.holdsPersonalData && assessed.personal.length > 0 && !assessed.technical)
      scored.push({ name: table.name, n: assessed.personal.length });
  }
  memo.tables = scored
    .sort((a, b) => b.n - a.n || a.name.localeCompare(b.name))
    .slice(0, 3)
    .map((t) => t.name);
  memo.version = facts.schema.version;
  return memo.tables;
}

function statementExport(setup: Setup, view: FileView, statement: SqlStatement): ExportFact | undefined {
  const { scopes } = structureOf(statement);
  const outputs = scopes.filter((s) => s.role === 'output');
  const isCopyTable =
    statement.kind === 'copy' && statement.tokens[1]?.value !== '(' && copyDirection(statement) === 'TO';
  if (outputs.length === 0 && !isCopyTable) return undefined;
  let context: ExportContext | undefined = statementExportContext(statement, setup.exportWords);
  let scopeWithInto: SelectScope | undefined;
  for (const scope of outputs) {
    const found = scopeExportContext(scope, statement);
    if (found && !context) {
      context = found;
      scopeWithInto = scope;
    }
  }
  let sink: ExportSink | undefined;
  if (
    statement.origin === 'embedded' &&
    statement.node &&
    view.ts &&
    outputs.length > 0 &&
    (!context || scopeWithInto?.forFormat)
  ) {
    sink = exportSinkOf(statement.node, view.ts, setup.sinks, { tick: setup.ctx.tick });
  }
  if (!context && !sink) return undefined;
  const placed = sink
    ? sinkDestination(sink, setup.ctx, setup.known)
    : sqlDestination(setup, statement, scopeWithInto, context!);
  const { tables, columns, selectStar, aggregated } = isCopyTable
    ? { ...copiedTable(setup, statement), aggregated: false }
    : projection(setup, statement, outputs);
  const personalColumns = aggregatesOnly(classifyColumns(setup, columns, tables), aggregated);
  const node = sink?.node ?? statement.node;
  return {
    file: view.path,
    kind: sink ? 'export' : context!.kind,
    origin: 'query',
    job: node && view.ts ? (jobName(node) ?? view.path) : view.path,
    statement: shorten(statement.text),
    tables,
    columns: columns.map((c) => c.name),
    personalColumns,
    categories: sortCategories(personalColumns.map((c) => c.category)),
    presumedPersonal: aggregated ? [] : presumed(setup, tables, personalColumns),
    selectStar,
    destination: placed.destination,
    ...(placed.exposure ? { exposure: placed.exposure } : {}),
    at: statement.start,
    anchor:
      placed.anchor ??
      (sink
        ? { start: sink.node.getStart(view.ts), end: sink.node.end }
        : { start: statement.start, end: statement.end }),
    ...(sink ? { node: sink.node } : {}),
    sql: statement,
    ...(placed.temporary ? { temporary: true } : {}),
  };
}

/** Whole-record ORM or query-builder reads whose result is written out. */
function fetchExports(setup: Setup, view: FileView): ExportFact[] {
  const out: ExportFact[] = [];
  const source = view.ts!;
  for (const fetch of wholeRecordFetches(source)) {
    setup.ctx.tick();
    const sink = exportSinkOf(fetch.result, source, setup.sinks, { tick: setup.ctx.tick });
    if (!sink) continue;
    const tables = fetch.table ? [fetch.table] : [];
    const columns = tables.flatMap((t) =>
      storedColumns(setup.ctx.project.schema, t).map((c) => ({ table: t, name: c.name })),
    );
    const personalColumns = classifyColumns(setup, columns, tables);
    const placed = sinkDestination(sink, setup.ctx, setup.known);
    out.push({
      file: view.path,
      kind: 'export',
      origin: 'query',
      job: jobName(sink.node) ?? view.path,
      statement: shorten(fetch.result.getText(source)),
      tables,
      columns: columns.length > 0 ? columns.map((c) => c.name) : ['*'],
      personalColumns,
      categories: sortCategories(personalColumns.map((c) => c.category)),
      presumedPersonal: presumed(setup, tables, personalColumns),
      selectStar: true,
      destination: placed.destination,
      ...(placed.exposure ? { exposure: placed.exposure } : {}),
      at: fetch.report.getStart(source),
      anchor: placed.anchor ?? { start: sink.node.getStart(source), end: sink.node.end },
      node: sink.node,
    });
  }
  return out;
}

/**
 * Health data the code writes to a file in a public place, whatever it was read from
 * (`writeFile('public/reports/' + id + '.json', JSON.stringify(result))`). Only public places:
 * any other file write of health data is `plaintext-health-data`'s business.
 */
function healthWrites(setup: Setup, view: FileView, known: Set<ts.Node>): ExportFact[] {
  const out: ExportFact[] = [];
  const source = view.ts!;
  for (const stored of storedValues(source, setup.ctx.config, setup.ctx.project)) {
    if (!/\bfile\b/.test(stored.where)) continue;
    setup.ctx.tick();
    const call = enclosingCall(stored.value);
    if (!call || known.has(call)) continue;
    const sink: ExportSink = {
      kind: /stream/.test(stored.where) ? 'stream' : 'file',
      name: call.expression.getText(source).replace(/\s+/g, ''),
      node: call,
    };
    const placed = sinkDestination(sink, setup.ctx, setup.known);
    if (!placed.exposure || placed.destination.kind !== 'file') continue;
    const evidence = healthDataIn(stored.value, setup.ctx);
    if (!evidence) continue;
    const personalColumns: ExportColumn[] = [
      { name: evidence.path ?? stored.value.getText(source).slice(0, 40), category: evidence.category, special: true },
    ];
    out.push({
      file: view.path,
      kind: 'export',
      origin: 'write',
      job: jobName(call) ?? view.path,
      statement: shorten(call.getText(source)),
      tables: [],
      columns: [],
      personalColumns,
      categories: [evidence.category],
      presumedPersonal: [],
      selectStar: false,
      destination: placed.destination,
      exposure: placed.exposure,
      at: call.getStart(source),
      anchor: placed.anchor ?? { start: call.getStart(source), end: call.end },
      node: call,
    });
  }
  return out;
}

function enclosingCall(value: ts.Expression): ts.CallExpression | undefined {
  for (let n: ts.Node | undefined = value.parent; n; n = n.parent) {
    if (ts.isCallExpression(n)) return n;
    if (!ts.isParenthesizedExpression(n) && !ts.isAsExpression(n) && !ts.isAwaitExpression(n)) return undefined;
  }
  return undefined;
}

interface Column {
  table?: string;
  name: string;
}

const PERSON_CATEGORIES = new Set<Category>(['identity', 'contact', 'health-identifier']);
const AGGREGATES = new Set([
  'COUNT',
  'COUNT_BIG',
  'SUM',
  'AVG',
  'MIN',
  'MAX',
  'STDDEV',
  'VARIANCE',
  'PERCENTILE_CONT',
  'PERCENTILE_DISC',
  'MEDIAN',
  'APPROX_COUNT_DISTINCT',
]);

/**
 * Counts per code are not about a person: when every output scope aggregates (GROUP BY, or only
 * aggregate functions), special-category columns are dimensions of statistics, unless a column
 * that identifies a person (a name, a contact, an identifier) is grouped too.
 */
function aggregatesOnly(personal: ExportColumn[], aggregated: boolean): ExportColumn[] {
  if (!aggregated || personal.some((c) => PERSON_CATEGORIES.has(c.category))) return personal;
  return [];
}

/** A SELECT scope that groups rows (GROUP BY at its own level) or projects only aggregates. */
function isAggregated(statement: SqlStatement, scope: SelectScope): boolean {
  const { tokens } = statement;
  const { parens } = structureOf(statement);
  const level = parens.parent[scope.select];
  for (let k = scope.select + 1; k < scope.end; k++) {
    if (
      parens.parent[k] === level &&
      tokens[k]!.kind === 'keyword' &&
      tokens[k]!.value === 'GROUP' &&
      tokens[k + 1]?.value.toUpperCase() === 'BY'
    )
      return true;
  }
  return (
    scope.items.length > 0 &&
    scope.items.every(
      (item) =>
        !item.star && AGGREGATES.has(tokens[item.first]!.value.toUpperCase()) && tokens[item.first + 1]?.value === '(',
    )
  );
}

/** Tables and columns the output scopes take; a star is expanded from the schema when the table is known. */
function projection(
  setup: Setup,
  statement: SqlStatement,
  outputs: SelectScope[],
): { tables: string[]; columns: Column[]; selectStar: boolean; aggregated: boolean } {
  const tokens = statement.tokens;
  const { ctes } = structureOf(statement);
  const cteNames = new Set(ctes.map((c) => c.name.toLowerCase()));
  const schema = setup.ctx.project.schema;
  const tables: string[] = [];
  const columns: Column[] = [];
  let selectStar = false;
  for (const scope of outputs) {
    const refs = scope.from.filter((r) => !r.derived && !cteNames.has(r.name.toLowerCase()));
    for (const r of refs) if (!tables.includes(r.name)) tables.push(r.name);
    const tableOf = (qualifier: string | undefined) => {
      if (!qualifier) return refs.length === 1 ? refs[0]!.name : undefined;
      const q = qualifier.toLowerCase();
      return refs.find((r) => r.alias?.toLowerCase() === q || r.name.toLowerCase().split('.').pop() === q)?.name;
    };
    for (const item of scope.items) {
      if (item.star) {
        if (item.inFunction && /^COUNT/i.test(item.inFunction)) continue;
        selectStar = true;
        const covered = item.star.qualifier
          ? [tableOf(item.star.qualifier)].filter((t): t is string => !!t)
          : refs.map((r) => r.name);
        for (const table of covered) {
          const known = storedColumns(schema, table);
          if (known.length === 0) columns.push({ table, name: `${table}.*` });
          for (const c of known) columns.push({ table, name: c.name });
        }
        continue;
      }
      if (!item.name) continue;
      const qualified =
        item.last - item.first === 2 && tokens[item.first + 1]?.value === '.' ? tokens[item.first]!.value : undefined;
      const table = tableOf(qualified);
      columns.push({ ...(table ? { table } : {}), name: item.name });
    }
  }
  return {
    tables,
    columns: dedupe(columns),
    selectStar,
    aggregated: outputs.length > 0 && outputs.every((scope) => isAggregated(statement, scope)),
  };
}

/** `COPY patients TO '...'`: every column of the table. */
function copiedTable(
  setup: Setup,
  statement: SqlStatement,
): { tables: string[]; columns: Column[]; selectStar: boolean } {
  const name = qualifiedNameAt(statement.tokens, 1);
  if (!name) return { tables: [], columns: [], selectStar: true };
  const known = storedColumns(setup.ctx.project.schema, name.name);
  return { tables: [name.name], columns: known.map((c) => ({ table: name.name, name: c.name })), selectStar: true };
}

function dedupe(columns: Column[]): Column[] {
  const seen = new Set<string>();
  return columns.filter((c) => {
    const key = `${c.table ?? ''}.${c.name}`.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function classifyColumns(setup: Setup, columns: Column[], tables: string[]): ExportColumn[] {
  const classifier = classifierFor(setup.ctx.config);
  const out: ExportColumn[] = [];
  for (const column of columns) {
    const container = column.table ?? tables[0];
    const c = classifier.classify(column.name, { kind: 'column', ...(container ? { container } : {}) });
    if (c)
      out.push({
        ...(column.table ? { table: column.table } : {}),
        name: column.name,
        category: c.category,
        special: c.special,
      });
  }
  return out;
}

/** Tables the schema does not describe whose name says they hold personal data, when no column already says so. */
function presumed(setup: Setup, tables: string[], personal: ExportColumn[]): string[] {
  if (personal.length > 0) return [];
  return tables.filter((t) => {
    const assessed = assessTable(t, setup.ctx.project, setup.tables);
    return assessed.presumed && assessed.holdsPersonalData;
  });
}

interface Placed {
  destination: Destination;
  exposure?: Exposure;
  anchor?: Range;
  temporary?: boolean;
}

/** Where a SQL export writes, from the statement itself. */
function sqlDestination(
  setup: Setup,
  statement: SqlStatement,
  scope: SelectScope | undefined,
  context: ExportContext,
): Placed {
  const tokens = statement.tokens;
  const known = setup.known;
  const { parens } = structureOf(statement);
  const via =
    context.where
      .replace(
        /^(to a file|into a copy of the table|into another table|into a new table|as a \w+ document|through an export view) ?/,
        '',
      )
      .replace(/^\((.*)\)$/, '$1') || context.where;
  const file = (target: string | undefined, anchor?: Range): Placed => {
    // The database server writes the file with its own umask: a shared /tmp is not a public place for it.
    const exposure = target ? fileExposure(target, setup.ctx, known, { serverSide: true }) : undefined;
    return {
      destination: {
        kind: 'file',
        ...(target ? { target } : {}),
        public: !!exposure,
        ...(exposure ? { exposure: exposure.reason } : {}),
        via,
      },
      ...(exposure ? { exposure } : {}),
      ...(anchor ? { anchor } : {}),
    };
  };
  const tokenRange = (k: number): Range | undefined => {
    const t = tokens[k];
    return t ? { start: t.start, end: t.end } : undefined;
  };
  if (scope?.into?.kind === 'file') {
    const k = tokens.findIndex((t, i) => i >= scope.into!.at && t.kind === 'string');
    return file(k >= 0 ? tokens[k]!.value : undefined, k >= 0 ? tokenRange(k) : undefined);
  }
  if (scope?.into?.kind === 'table') {
    const name = qualifiedNameAt(tokens, scope.into.at + 1);
    const temporary =
      !!name && (/^#/.test(name.name) || /^(TEMP|TEMPORARY)$/i.test(tokens[scope.into.at + 1]?.value ?? ''));
    return {
      destination: { kind: 'table', ...(name ? { target: name.name } : {}), public: false, via: 'SELECT ... INTO' },
      ...(name ? { anchor: { start: tokens[scope.into.at + 1]!.start, end: tokens[name.last]!.end } } : {}),
      ...(temporary ? { temporary } : {}),
    };
  }
  if (statement.kind === 'copy') {
    const to = tokens.findIndex((t, k) => parens.parent[k] === -1 && t.kind === 'keyword' && t.value === 'TO');
    const next = tokens[to + 1];
    if (next?.kind === 'string') return file(next.value, tokenRange(to + 1));
    if (next && /^PROGRAM$/i.test(next.value))
      return {
        destination: {
          kind: 'program',
          ...(tokens[to + 2] ? { target: maskSensitiveDigits(tokens[to + 2]!.value) } : {}),
          public: false,
          via: 'COPY ... TO PROGRAM',
        },
      };
    return { destination: { kind: 'stream', target: next?.value ?? 'STDOUT', public: false, via: 'COPY ... TO' } };
  }
  if (statement.container === 'bcp-queryout') {
    const parent = parentStatementOf(statement);
    const m = parent ? /queryout\s+"?([^\s"']+)/i.exec(parent.text) : undefined;
    // Where the path is written in the file: inside the string token of the command that runs bcp.
    const holder = m && parent ? parent.tokens.find((t) => t.kind === 'string' && t.value.includes(m[0])) : undefined;
    const at = holder ? setup.ctx.file.text.indexOf(m![1]!, holder.start) : -1;
    return file(m?.[1], holder && at >= 0 && at < holder.end ? { start: at, end: at + m![1]!.length } : undefined);
  }
  const parent = parentStatementOf(statement);
  if (parent && context.kind === 'export' && /^(UNLOAD|EXPORT)$/i.test(parent.tokens[0]?.value ?? '')) {
    const k = parent.tokens.findIndex((t, i) => i > 0 && t.kind === 'string' && /[/:]/.test(t.value));
    const target = k >= 0 ? parent.tokens[k]!.value : undefined;
    const bucket = target && /^(s3|gs|az):\/\/([^/]+)/i.exec(target);
    if (bucket) return { destination: { kind: 'bucket', target: bucket[2]!, public: false, via } };
    return file(target, k >= 0 ? { start: parent.tokens[k]!.start, end: parent.tokens[k]!.end } : undefined);
  }
  if (statement.kind === 'create-table') {
    let k = tokens.findIndex((t) => t.kind === 'keyword' && t.value === 'TABLE') + 1;
    if (tokens[k]?.value.toUpperCase() === 'IF') k += 3;
    const name = k > 0 ? qualifiedNameAt(tokens, k) : undefined;
    const temporary =
      tokens.slice(0, Math.max(k, 1)).some((t) => /^(TEMP|TEMPORARY)$/i.test(t.value)) ||
      (!!name && name.name.startsWith('#'));
    return {
      destination: { kind: 'table', ...(name ? { target: name.name } : {}), public: false, via: 'CREATE TABLE ... AS' },
      ...(name ? { anchor: { start: tokens[k]!.start, end: tokens[name.last]!.end } } : {}),
      ...(temporary ? { temporary } : {}),
    };
  }
  if (statement.kind === 'insert') {
    const info = insertInfo(tokens, parens);
    return {
      destination: {
        kind: 'table',
        ...(info ? { target: info.target.name } : {}),
        public: false,
        via: 'INSERT ... SELECT',
      },
      ...(info ? { anchor: { start: tokens[info.target.first]!.start, end: tokens[info.target.last]!.end } } : {}),
    };
  }
  return { destination: { kind: 'unknown', public: false, via } };
}

/** The function that runs an export: `exportPatients`, `ExportService.run`, the variable an arrow is assigned to. */
function jobName(node: ts.Node): string | undefined {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (ts.isFunctionDeclaration(n) && n.name) return n.name.text;
    if (ts.isMethodDeclaration(n) && ts.isIdentifier(n.name)) {
      const cls = n.parent;
      return ts.isClassDeclaration(cls) && cls.name ? `${cls.name.text}.${n.name.text}` : n.name.text;
    }
    if (
      (ts.isArrowFunction(n) || ts.isFunctionExpression(n)) &&
      ts.isVariableDeclaration(n.parent) &&
      ts.isIdentifier(n.parent.name)
    )
      return n.parent.name.text;
    if (
      (ts.isArrowFunction(n) || ts.isFunctionExpression(n)) &&
      ts.isPropertyAssignment(n.parent) &&
      ts.isIdentifier(n.parent.name)
    )
      return n.parent.name.text;
  }
  return undefined;
}

/** The statement on one line, at most 100 characters, digits of identifiers masked. */
function shorten(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return maskSensitiveDigits(one.length > 100 ? `${one.slice(0, 97)}...` : one);
}
