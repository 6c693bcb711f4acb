import type { EngineConfig } from '../config.js';
import type { ProjectFacts } from '../facts.js';
import { vocabularyOf } from '../pack.js';
import { tableKey, type ColumnFact, type SchemaSource, type TableFact } from '../schema.js';
import { TermList } from '../vocabulary/terms.js';
import { splitWords } from '../vocabulary/words.js';
import { resolveTable } from './subjects.js';
import { knowledgeOf, knowledgePart } from '../knowledge.js';

/**
 * Why a declared column is not where its storage is decided now. A column created in an early
 * migration, altered later and mirrored in a model is one storage decision, reported once where
 * it is defined now; a derived copy (a version table, a search column, a view) is reported through
 * its base storage, never with a fix that cannot work.
 */
export interface NotCurrent {
  reason: 'view' | 'version-copy' | 'index-copy' | 'search-column' | 'model-copy' | 'older-definition' | 'dropped';
  /** What counts instead, for explanations: the base table, the model, the later migration. */
  instead?: string;
}

/** Schema sources that are application models: when one declares a table, the SQL of that table is its history or its copy. */
const MODEL_SOURCES: ReadonlySet<SchemaSource> = new Set([
  'prisma',
  'typeorm',
  'mikroorm',
  'sequelize',
  'mongoose',
  'custom',
]);
/** SQL files that are dumps of a schema rather than steps of it: a migration that shapes the same column wins. */
const DUMP_FILE = /(^|\/)[^/]*(dump|baseline|structure)[^/]*\.sql$/i;

interface HistoryIndex {
  version: number;
  byKey: Map<string, TableFact[]>;
  hasPrisma: boolean;
  verdicts: Map<TableFact, Map<string, NotCurrent | null>>;
  /** Each table's SQL history in one folder, in migration order, by table key and folder. */
  ordered: Map<string, TableFact[]>;
}

interface TableWords {
  version: TermList;
  index: TermList;
  versionColumns: TermList;
  fhirResources: Set<string>;
  documentColumns: Set<string>;
}

const TABLE_WORDS = knowledgePart('table-words', (config): TableWords => {
  const q = vocabularyOf<{ versionTables: string[]; indexTables: string[]; versionColumns: string[] }>(
    config.pack,
    'qualifiers',
  );
  const fhir = vocabularyOf<{ resources: string[]; documentColumns: string[] }>(config.pack, 'fhir');
  return {
    version: new TermList(q.versionTables),
    index: new TermList(q.indexTables),
    versionColumns: new TermList(q.versionColumns),
    fhirResources: new Set(fhir.resources.map((r) => r.toLowerCase())),
    documentColumns: new Set(fhir.documentColumns.map((c) => c.toLowerCase())),
  };
});

function tableWords(config: EngineConfig): TableWords {
  return knowledgeOf(config).get(TABLE_WORDS);
}

/**
 * Is this declaration of `column` (in `table`) the one that counts? Undefined when it is; else why
 * not. Computed once per schema version and declaration.
 */
export function notCurrent(table: TableFact, column: ColumnFact, facts: ProjectFacts): NotCurrent | undefined {
  const index = historyIndex(facts);
  let forTable = index.verdicts.get(table);
  if (!forTable) {
    forTable = new Map();
    index.verdicts.set(table, forTable);
  }
  const key = column.name.toLowerCase();
  let verdict = forTable.get(key);
  if (verdict === undefined) {
    verdict = compute(table, column, facts, index) ?? null;
    forTable.set(key, verdict);
  }
  return verdict ?? undefined;
}

function historyIndex(facts: ProjectFacts): HistoryIndex {
  const schema = facts.schema;
  const index = facts.index<HistoryIndex>('tables:history', () => ({
    version: -1,
    byKey: new Map(),
    hasPrisma: false,
    verdicts: new Map(),
    ordered: new Map(),
  }));
  if (index.version !== schema.version) {
    index.byKey = new Map();
    index.verdicts = new Map();
    index.ordered = new Map();
    index.hasPrisma = false;
    for (const facts of schema.history().values()) {
      for (const t of facts) {
        if (t.source === 'prisma') index.hasPrisma = true;
        for (const k of new Set([t.name, ...(t.aliases ?? [])].map(tableKey))) {
          const list = index.byKey.get(k) ?? [];
          list.push(t);
          index.byKey.set(k, list);
        }
      }
    }
    index.version = schema.version;
  }
  return index;
}

function compute(
  table: TableFact,
  column: ColumnFact,
  facts: ProjectFacts,
  index: HistoryIndex,
): NotCurrent | undefined {
  if (table.kind === 'view') return { reason: 'view' };
  const derived = derivedTable(table.name, facts);
  if (derived) return derived;
  const document = fhirDocumentColumn(table.name, facts);
  if (document && document.toLowerCase() !== column.name.toLowerCase())
    return { reason: 'search-column', instead: `${table.name}.${document}` };
  if (table.source !== 'sql' && table.source !== 'knex') return undefined;
  // Generated SQL is fixed by fixing what it was generated from: the model reports it. A table the
  // Prisma schema no longer has was dropped or renamed there.
  if (table.generatedBy === 'prisma migrate' && index.hasPrisma)
    return { reason: 'model-copy', instead: 'the Prisma schema' };
  const key = tableKey(table.name);
  const all = index.byKey.get(key) ?? [];
  if (table.generatedBy) {
    const model = all.find((t) => MODEL_SOURCES.has(t.source) && t.columns.length > 0);
    if (model) return { reason: 'model-copy', instead: `${model.name} (${model.file})` };
  }
  const root = historyRoot(table.file);
  // The table's SQL history in migration order, sorted once per schema version (not once per column).
  const historyKey = `${key}\u0000${root}`;
  let ordered = index.ordered.get(historyKey);
  if (!ordered) {
    ordered = all
      .filter((t) => (t.source === 'sql' || t.source === 'knex') && historyRoot(t.file) === root)
      .sort(migrationOrder);
    index.ordered.set(historyKey, ordered);
  }
  return replay(ordered, table, column);
}

/** Replays the SQL history of a table (in migration order): the last statement that creates or adds the column is where it is defined now. */
function replay(ordered: readonly TableFact[], table: TableFact, column: ColumnFact): NotCurrent | undefined {
  const name = column.name.toLowerCase();
  let current: { table: TableFact; column: ColumnFact } | undefined;
  for (const t of ordered) {
    if (t.dropped?.table) current = undefined;
    if (t.dropped?.columns?.some((c) => c.toLowerCase() === name)) current = undefined;
    const defined = t.columns.find((c) => c.name.toLowerCase() === name);
    if (defined) current = { table: t, column: defined };
  }
  if (!current) return { reason: 'dropped' };
  if (current.column === column || (current.table === table && current.column.range.start === column.range.start))
    return undefined;
  return { reason: 'older-definition', instead: current.table.file };
}

/**
 * The folder of a migration history: the file's folder, or its parent when the file sits in a
 * folder of its own inside a migrations folder (`prisma/migrations/2024_init/migration.sql`).
 * The same table name in two histories (a MySQL legacy script and the PostgreSQL schema) is two tables.
 */
function historyRoot(file: string): string {
  const parts = file.split('/');
  parts.pop();
  const parent = parts[parts.length - 2];
  if (parent && /^(migrations?|migrate|changelogs?|versions)$/i.test(parent)) parts.pop();
  return parts.join('/');
}

/** `a.localeCompare(b, 'en', { numeric: true })`, with one collator instead of one per call. */
const byPath = new Intl.Collator('en', { numeric: true }).compare;

/** Migrations in the order they run: dumps first, then by path (numbers compared as numbers), then by position. */
function migrationOrder(a: TableFact, b: TableFact): number {
  const dump = (t: TableFact) => (t.generatedBy === 'a database dump' || DUMP_FILE.test(t.file) ? 0 : 1);
  return dump(a) - dump(b) || byPath(a.file, b.file) || a.range.start - b.range.start;
}

/**
 * A version or index copy of another table: `Observation_History` (the base's columns plus version
 * bookkeeping), `Observation_Token` (search keys of the base's rows).
 */
function derivedTable(name: string, facts: ProjectFacts): NotCurrent | undefined {
  const words = tableWords(facts.config);
  const parts = splitWords(
    name
      .replace(/["`[\]]/g, '')
      .split('.')
      .pop() ?? name,
  );
  for (let k = 1; k <= 2 && k < parts.length; k++) {
    const suffix = parts.slice(parts.length - k);
    const isVersion = words.version.covered(suffix).size === suffix.length;
    const isIndex = !isVersion && words.index.covered(suffix).size === suffix.length;
    if (!isVersion && !isIndex) continue;
    const base = resolveTable(parts.slice(0, parts.length - k).join('_'), facts);
    if (!base || base === tableKey(name)) continue;
    const own = columnsOf(name, facts);
    const baseColumns = new Set(columnsOf(base, facts).map((c) => c.name.toLowerCase()));
    if (isVersion) {
      const extra = own.filter(
        (c) =>
          !baseColumns.has(c.name.toLowerCase()) &&
          words.versionColumns.covered(splitWords(c.name)).size !== splitWords(c.name).length,
      );
      if (extra.length === 0) return { reason: 'version-copy', instead: base };
    } else if (own.some((c) => splitWords(c.name).some((w) => ['id', 'uuid', 'key', 'ref'].includes(w)))) {
      return { reason: 'index-copy', instead: base };
    }
  }
  return undefined;
}

/** The document column of a FHIR server's resource table (`Observation.content`), when the table is one. */
function fhirDocumentColumn(name: string, facts: ProjectFacts): string | undefined {
  const words = tableWords(facts.config);
  const bare = (
    name
      .replace(/["`[\]]/g, '')
      .split('.')
      .pop() ?? name
  ).toLowerCase();
  if (!words.fhirResources.has(bare)) return undefined;
  return columnsOf(name, facts).find((c) => words.documentColumns.has(c.name.toLowerCase()))?.name;
}

function columnsOf(name: string, facts: ProjectFacts): ColumnFact[] {
  return facts.schema.columns(name);
}

/** A column as the database names it; `exact` when its letter case is part of the name (quoted at creation, as ORMs do). */
export interface StoredColumn {
  name: string;
  exact: boolean;
}

/**
 * The columns of a table as the database has them now, in order: what a column list must name
 * to run. The table's SQL history replayed (drops and renames included) when the project has
 * one, else its model's fields under their database names. Undefined when the project cannot
 * say: no declaration, two SQL histories of the table, or a model whose relation keys are not
 * declared as fields.
 */
export function databaseColumns(name: string, facts: ProjectFacts): StoredColumn[] | undefined {
  const all = historyIndex(facts).byKey.get(tableKey(name)) ?? [];
  const sql = all.filter((t) => (t.source === 'sql' || t.source === 'knex') && t.generatedBy !== 'prisma migrate');
  if (new Set(sql.map((t) => historyRoot(t.file))).size > 1) return undefined;
  if (sql.length > 0) {
    let columns: StoredColumn[] = [];
    const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
    for (const t of [...sql].sort(migrationOrder)) {
      if (t.dropped?.table) columns = [];
      const drops = t.dropped?.columns ?? [];
      const renames = Object.entries(t.dropped?.renamedColumns ?? {});
      columns = columns
        .filter((c) => !drops.some((d) => same(d, c.name)))
        .map((c) => {
          const to = renames.find(([from]) => same(from, c.name))?.[1];
          return to ? { name: to, exact: false } : c;
        });
      for (const c of t.columns)
        if (!columns.some((k) => same(k.name, c.name)))
          columns.push({ name: c.name, exact: !!c.quoted || t.source === 'knex' });
    }
    return columns.length > 0 ? columns : undefined;
  }
  const models = all.filter((t) => MODEL_SOURCES.has(t.source) && t.source !== 'mongoose' && t.columns.length > 0);
  if (models.length !== 1) return undefined;
  const model = models[0]!;
  const stored = model.columns.filter((c) => !(c as { relationCandidate?: boolean }).relationCandidate);
  const names = new Set(stored.flatMap((c) => [c.name, c.dbName ?? c.name].map((n) => n.toLowerCase())));
  if ((model.relations ?? []).some((r) => !r.inverse && r.kind !== 'embedded' && !names.has(r.field.toLowerCase())))
    return undefined;
  return stored.map((c) => ({ name: c.dbName ?? c.name, exact: true }));
}
