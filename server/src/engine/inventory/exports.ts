import ts from 'typescript';
import { ruleOptions } from '../config.js';
import type { FileView } from '../detector.js';
import { maskSensitiveDigits } from '../identifiers/mask.js';
import { packData } from '../pack.js';
import { dottedName, insertInfo, type SelectScope } from '../sql/analysis.js';
import { copyDirection, scopeExportContext, statementExportContext, type ExportContext } from '../sql/export-context.js';
import { parentStatementOf, sqlStatementsOf, structureOf } from '../sql/index.js';
import { wholeRecordFetches } from '../sql/orm-fetches.js';
import { DEFAULT_EXPORT_SINKS, exportSinkOf, type ExportSink, type ExportSinks } from '../sql/result-flow.js';
import type { SqlStatement } from '../sql/types.js';
import { Classifier, classifierFor } from '../vocabulary/classify.js';
import { contextFor, sortCategories, storedColumns, type Ids, type InventoryInput } from './context.js';
import { sinkDestination } from './destinations.js';
import { inventoryKnowledge, isPublicPath, type InventoryKnowledge } from './knowledge.js';
import type { Destination, ExportColumn, ExportEntry } from './model.js';

const EXPORT_WORDS = ['export*', 'extract*', 'dump*', 'partner*', 'partenaire*'];

/** An export with what retention needs: the file it is in and the sink call (TS) or statement (SQL). */
export interface ExportRecord {
  entry: ExportEntry;
  file: string;
  /** The TS node that writes the data out, or the SQL statement's string. */
  node?: ts.Node;
  statement?: SqlStatement;
}

interface Setup {
  input: InventoryInput;
  exportWords: Classifier;
  sinks: ExportSinks;
  known: InventoryKnowledge;
  ids: Ids;
}

/**
 * Every statement or job that takes data out of the database: `COPY ... TO`, `INTO OUTFILE`,
 * `CREATE TABLE ... AS`, `INSERT ... SELECT`, bcp, export views, and queries (SQL or whole-record
 * ORM reads) whose result the code writes to a file, a bucket, another host, a queue or a mail.
 * The contexts and sinks are the ones `select-star-export` uses.
 */
export function exportsOf(input: InventoryInput, ids: Ids): ExportRecord[] {
  const config = input.project.config;
  const words = ruleOptions(config, 'select-star-export')['exportWords'];
  const setup: Setup = {
    input,
    exportWords: new Classifier([{ category: 'identity', terms: { rule: Array.isArray(words) ? words.map(String) : EXPORT_WORDS } }]),
    sinks: { ...DEFAULT_EXPORT_SINKS, ...packData<Partial<ExportSinks>>(config.pack, 'export-sinks', {}) },
    known: inventoryKnowledge(config),
    ids,
  };
  const out: ExportRecord[] = [];
  for (const path of input.project.analysedPaths().sort()) {
    const view = input.project.file(path);
    if (!view) continue;
    for (const statement of sqlStatementsOf(view, input.project.facts)) {
      const record = statementExport(setup, view, statement);
      if (record) out.push(record);
    }
    if (view.ts) out.push(...fetchExports(setup, view));
  }
  return out;
}

function statementExport(setup: Setup, view: FileView, statement: SqlStatement): ExportRecord | undefined {
  const { scopes } = structureOf(statement);
  const outputs = scopes.filter((s) => s.role === 'output');
  const isCopyTable = statement.kind === 'copy' && statement.tokens[1]?.value !== '(' && copyDirection(statement) === 'TO';
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
  if (statement.origin === 'embedded' && statement.node && view.ts && outputs.length > 0 && (!context || scopeWithInto?.forFormat)) {
    sink = exportSinkOf(statement.node, view.ts, setup.sinks);
  }
  if (!context && !sink) return undefined;
  const ctx = contextFor(setup.input, view.path, 'select-star-export');
  const destination = sink && ctx ? sinkDestination(sink, ctx, setup.known) : sqlDestination(statement, scopeWithInto, context!, setup.known);
  const { tables, columns, selectStar } = isCopyTable ? copiedTable(setup, statement) : projection(setup, statement, outputs);
  const personalColumns = classifyColumns(setup, columns, tables);
  const node = sink?.node ?? statement.node;
  const entry: ExportEntry = {
    id: setup.ids.next('export', `${tables[0] ?? 'query'} ${destination.target ?? destination.kind}`),
    kind: sink ? 'export' : context!.kind,
    job: node && view.ts ? jobName(node) ?? view.path : view.path,
    statement: shorten(statement.text),
    tables,
    columns: columns.map((c) => c.name),
    personalColumns,
    categories: sortCategories(personalColumns.map((c) => c.category)),
    selectStar,
    destination,
    location: setup.input.locate(view.path, statement.start),
  };
  return { entry, file: view.path, ...(node ? { node } : {}), statement };
}

/** Whole-record ORM or query-builder reads whose result is written out. */
function fetchExports(setup: Setup, view: FileView): ExportRecord[] {
  const out: ExportRecord[] = [];
  const ctx = contextFor(setup.input, view.path, 'select-star-export');
  if (!ctx) return out;
  for (const fetch of wholeRecordFetches(view.ts!)) {
    const sink = exportSinkOf(fetch.result, view.ts!, setup.sinks);
    if (!sink) continue;
    const tables = fetch.table ? [fetch.table] : [];
    const columns = tables.flatMap((t) => storedColumns(setup.input.project.facts.schema, t).map((c) => ({ table: t, name: c.name })));
    const personalColumns = classifyColumns(setup, columns, tables);
    const destination = sinkDestination(sink, ctx, setup.known);
    out.push({
      entry: {
        id: setup.ids.next('export', `${tables[0] ?? 'records'} ${destination.target ?? destination.kind}`),
        kind: 'export',
        job: jobName(sink.node) ?? view.path,
        statement: shorten(fetch.result.getText(view.ts)),
        tables,
        columns: columns.length > 0 ? columns.map((c) => c.name) : ['*'],
        personalColumns,
        categories: sortCategories(personalColumns.map((c) => c.category)),
        selectStar: true,
        destination,
        location: setup.input.locate(view.path, fetch.report.getStart(view.ts)),
      },
      file: view.path,
      node: sink.node,
    });
  }
  return out;
}

interface Column {
  table?: string;
  name: string;
}

/** Tables and columns the output scopes take; a star is expanded from the schema when the table is known. */
function projection(setup: Setup, statement: SqlStatement, outputs: SelectScope[]): { tables: string[]; columns: Column[]; selectStar: boolean } {
  const tokens = statement.tokens;
  const { ctes } = structureOf(statement);
  const cteNames = new Set(ctes.map((c) => c.name.toLowerCase()));
  const schema = setup.input.project.facts.schema;
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
        const covered = item.star.qualifier ? [tableOf(item.star.qualifier)].filter((t): t is string => !!t) : refs.map((r) => r.name);
        for (const table of covered) {
          const known = storedColumns(schema, table);
          if (known.length === 0) columns.push({ table, name: `${table}.*` });
          for (const c of known) columns.push({ table, name: c.name });
        }
        continue;
      }
      if (!item.name) continue;
      const qualified = item.last - item.first === 2 && tokens[item.first + 1]?.value === '.' ? tokens[item.first]!.value : undefined;
      const table = tableOf(qualified);
      columns.push({ ...(table ? { table } : {}), name: item.name });
    }
  }
  return { tables, columns: dedupe(columns), selectStar };
}

/** `COPY patients TO '...'`: every column of the table. */
function copiedTable(setup: Setup, statement: SqlStatement): { tables: string[]; columns: Column[]; selectStar: boolean } {
  const name = dottedName(statement.tokens, 1);
  if (!name) return { tables: [], columns: [], selectStar: true };
  const known = storedColumns(setup.input.project.facts.schema, name.name);
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
  const classifier = classifierFor(setup.input.project.config);
  const out: ExportColumn[] = [];
  for (const column of columns) {
    const container = column.table ?? tables[0];
    const c = classifier.classify(column.name, { kind: 'column', ...(container ? { container } : {}) });
    if (c) out.push({ ...(column.table ? { table: column.table } : {}), name: column.name, category: c.category, special: c.special });
  }
  return out;
}

/** Where a SQL export writes, from the statement itself. */
function sqlDestination(statement: SqlStatement, scope: SelectScope | undefined, context: ExportContext, known: InventoryKnowledge): Destination {
  const tokens = statement.tokens;
  const { parens } = structureOf(statement);
  const via = context.where.replace(/^(to a file|into a copy of the table|into another table|into a new table|as a \w+ document|through an export view) ?/, '').replace(/^\((.*)\)$/, '$1') || context.where;
  const file = (target: string | undefined): Destination => ({ kind: 'file', ...(target ? { target } : {}), public: !!target && isPublicPath(target, known), via });
  if (scope?.into?.kind === 'file') return file(tokens.slice(scope.into.at).find((t) => t.kind === 'string')?.value);
  if (scope?.into?.kind === 'table') {
    const name = dottedName(tokens, scope.into.at + 1);
    return { kind: 'table', ...(name ? { target: name.name } : {}), public: false, via: 'SELECT ... INTO' };
  }
  if (statement.kind === 'copy') {
    const to = tokens.findIndex((t, k) => parens.parent[k] === -1 && t.kind === 'keyword' && t.value === 'TO');
    const next = tokens[to + 1];
    if (next?.kind === 'string') return file(next.value);
    if (next && /^PROGRAM$/i.test(next.value)) return { kind: 'program', ...(tokens[to + 2] ? { target: maskSensitiveDigits(tokens[to + 2]!.value) } : {}), public: false, via: 'COPY ... TO PROGRAM' };
    return { kind: 'stream', target: next?.value ?? 'STDOUT', public: false, via: 'COPY ... TO' };
  }
  if (statement.container === 'bcp-queryout') {
    const parent = parentStatementOf(statement);
    const m = parent ? /queryout\s+"?([^\s"']+)/i.exec(parent.text) : undefined;
    return file(m?.[1]);
  }
  const parent = parentStatementOf(statement);
  if (parent && context.kind === 'export' && /^(UNLOAD|EXPORT)$/i.test(parent.tokens[0]?.value ?? '')) {
    const target = parent.tokens.find((t, k) => k > 0 && t.kind === 'string' && /[/:]/.test(t.value))?.value;
    const bucket = target && /^(s3|gs|az):\/\/([^/]+)/i.exec(target);
    if (bucket) return { kind: 'bucket', target: bucket[2]!, public: false, via };
    return file(target);
  }
  if (statement.kind === 'create-table') {
    let k = tokens.findIndex((t) => t.kind === 'keyword' && t.value === 'TABLE') + 1;
    if (tokens[k]?.value.toUpperCase() === 'IF') k += 3;
    const name = k > 0 ? dottedName(tokens, k) : undefined;
    return { kind: 'table', ...(name ? { target: name.name } : {}), public: false, via: 'CREATE TABLE ... AS' };
  }
  if (statement.kind === 'insert') {
    const info = insertInfo(tokens, parens);
    return { kind: 'table', ...(info ? { target: info.target.name } : {}), public: false, via: 'INSERT ... SELECT' };
  }
  return { kind: 'unknown', public: false, via };
}

/** The function that runs an export: `exportPatients`, `ExportService.run`, the variable an arrow is assigned to. */
export function jobName(node: ts.Node): string | undefined {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (ts.isFunctionDeclaration(n) && n.name) return n.name.text;
    if (ts.isMethodDeclaration(n) && ts.isIdentifier(n.name)) {
      const cls = n.parent;
      return ts.isClassDeclaration(cls) && cls.name ? `${cls.name.text}.${n.name.text}` : n.name.text;
    }
    if ((ts.isArrowFunction(n) || ts.isFunctionExpression(n)) && ts.isVariableDeclaration(n.parent) && ts.isIdentifier(n.parent.name)) return n.parent.name.text;
    if ((ts.isArrowFunction(n) || ts.isFunctionExpression(n)) && ts.isPropertyAssignment(n.parent) && ts.isIdentifier(n.parent.name)) return n.parent.name.text;
  }
  return undefined;
}

/** The statement on one line, at most 100 characters, digits of identifiers masked. */
function shorten(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return maskSensitiveDigits(one.length > 100 ? `${one.slice(0, 97)}...` : one);
}
