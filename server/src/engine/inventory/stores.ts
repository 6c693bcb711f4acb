import type { OrmColumnFact } from '../orm/column.js';
import { declaredColumnVerdict } from '../orm/sensitivity.js';
import { tableKey, type ColumnFact, type TableFact } from '../schema.js';
import { classifierFor } from '../vocabulary/classify.js';
import { sortCategories, type Ids, type InventoryInput } from './context.js';
import type { FieldEntry, StoreEntry, StoreProtection } from './model.js';

/**
 * Every table, model and collection of the schema index (SQL DDL, Prisma, each ORM), one entry
 * per stored thing: a model and the table it maps to, or a table and its later ALTERs, are one.
 */
export function storesOf(input: InventoryInput, ids: Ids): StoreEntry[] {
  const facts = input.project.facts;
  const groups = groupDeclarations(facts.schema.tables());
  const stores = groups.map((tables) => storeOf(input, tables, ids));
  return stores.sort(
    (a, b) => a.declared[0]!.file.localeCompare(b.declared[0]!.file) || a.declared[0]!.line - b.declared[0]!.line,
  );
}

/** Declarations that share a name or an alias, in declaration order. */
function groupDeclarations(tables: TableFact[]): TableFact[][] {
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    let root = k;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(k, root);
    return root;
  };
  const keysOf = (t: TableFact) => [t.name, ...(t.aliases ?? [])].map(tableKey);
  for (const t of tables) for (const k of keysOf(t)) if (!parent.has(k)) parent.set(k, k);
  for (const t of tables) {
    const [first, ...rest] = keysOf(t);
    for (const k of rest) parent.set(find(k), find(first!));
  }
  const groups = new Map<string, TableFact[]>();
  for (const t of tables) {
    const root = find(tableKey(t.name));
    const group = groups.get(root);
    if (group) group.push(t);
    else groups.set(root, [t]);
  }
  return [...groups.values()];
}

function storeOf(input: InventoryInput, tables: TableFact[], ids: Ids): StoreEntry {
  // The table as the database knows it names the store (its CREATE rather than a later ALTER), else the largest model.
  const main = [...tables].sort(
    (a, b) => Number(b.source === 'sql') - Number(a.source === 'sql') || b.columns.length - a.columns.length,
  )[0]!;
  // Other names, once each: the collectors also index lower-case and plural forms for lookups.
  const seenNames = new Set([main.name.toLowerCase()]);
  const aliases = tables
    .flatMap((t) => [t.name, ...(t.aliases ?? [])])
    .filter((n) => {
      const key = n.toLowerCase();
      if (seenNames.has(key)) return false;
      seenNames.add(key);
      return true;
    });
  const fields: FieldEntry[] = [];
  const seen = new Set<string>();
  let columnCount = 0;
  for (const table of tables) {
    for (const column of table.columns) {
      // A model field mapped to a column (`@Column({ name: 'statut_vih' }) statutVih`) is that column.
      const key = ((column as OrmColumnFact).dbName ?? column.name).toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      columnCount++;
      const field = fieldOf(input, table, column, tables);
      if (field) fields.push(field);
    }
  }
  const special = fields.filter((f) => f.special);
  const protectedCount = special.filter((f) => f.protection).length;
  const protection: StoreProtection =
    special.length === 0
      ? 'no-special-data'
      : protectedCount === special.length
        ? 'encrypted'
        : protectedCount === 0
          ? 'plaintext'
          : 'partly-encrypted';
  return {
    id: ids.next('store', main.name),
    name: main.name,
    kind: main.kind,
    sources: [...new Set(tables.map((t) => t.source))],
    aliases,
    declared: tables.map((t) => input.locate(t.file, t.range.start)),
    columnCount,
    categories: sortCategories(fields.map((f) => f.category)),
    protection,
    fields,
  };
}

/** A personal-data field: special with its protection as the plaintext rule sees it, else any vocabulary category. */
function fieldOf(
  input: InventoryInput,
  table: TableFact,
  column: ColumnFact,
  group: TableFact[],
): FieldEntry | undefined {
  const facts = input.project.facts;
  const verdict = declaredColumnVerdict(table, column, facts);
  const dbName = (column as OrmColumnFact).dbName;
  const base = {
    name: column.name,
    ...(dbName && dbName !== column.name ? { column: dbName } : {}),
    ...(column.type ? { type: column.type } : {}),
    location: input.locate(column.file, column.range.start),
  };
  if (verdict) {
    // Another declaration of the same store may protect it (`ALTER COLUMN ... ENCRYPTED`, a model transformer).
    const protection = verdict.protection ?? protectionElsewhere(dbName ?? column.name, group);
    return {
      ...base,
      category: verdict.classification.category,
      special: true,
      protection: protection ?? null,
      why: verdict.classification.why,
    };
  }
  const c = classifierFor(input.project.config).classify(column.name, { kind: 'column', container: table.name });
  if (!c) return undefined;
  return { ...base, category: c.category, special: c.special, protection: column.protection ?? null, why: c.why };
}

function protectionElsewhere(name: string, group: TableFact[]): string | undefined {
  const key = name.toLowerCase();
  for (const t of group) {
    for (const c of t.columns as OrmColumnFact[])
      if ((c.name.toLowerCase() === key || c.dbName?.toLowerCase() === key) && c.protection) return c.protection;
  }
  return undefined;
}
