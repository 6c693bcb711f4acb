import type { EngineConfig } from '../config.js';
import type { ProjectFacts } from '../facts.js';
import { tableKey, type TableFact } from '../schema.js';
import { classifierFor, type Classification } from '../vocabulary/classify.js';
import type { OrmColumnFact } from './column.js';
import { columnProtection, encryptionOf } from './protection.js';

const BOOLEAN_TYPE = /^(bool|boolean|bit|tinyint\(1\)|(DataTypes|DataType|Sequelize)\.BOOLEAN)$/i;

export interface ColumnVerdict {
  classification: Classification;
  /** What protects it, from any declaration considered; undefined = plaintext. */
  protection?: string;
  /** The declaration that makes it sensitive (for related information). */
  declared?: OrmColumnFact;
  /** The table as the verdict names it. */
  table: string;
}

/** Classifies a column with its table (and the table's other names) as container. */
export function classifyColumn(
  column: string,
  containers: readonly string[],
  config: EngineConfig,
  alternatives: readonly string[] = [],
): Classification | undefined {
  const classifier = classifierFor(config);
  for (const name of [column, ...alternatives]) {
    for (const container of containers.length > 0 ? containers : [undefined]) {
      const c = classifier.classify(name, { kind: 'column', ...(container ? { container } : {}) });
      if (c?.special) return c;
    }
  }
  return undefined;
}

/**
 * Is a declared field special category and unprotected? Protection is looked for on the field
 * itself and on other declarations of the same table from the same kind of source (a later
 * migration, another Prisma file) or from a MongoDB CSFLE map.
 */
export function declaredColumnVerdict(
  table: TableFact,
  column: OrmColumnFact,
  facts: ProjectFacts,
  tick?: (units?: number) => void,
): ColumnVerdict | undefined {
  const config = facts.config;
  const containers = [table.name, ...(table.aliases ?? [])];
  const classification =
    classifyColumn(column.name, containers, config, column.dbName ? [column.dbName] : []) ??
    nestedClassification(column, config);
  if (!classification) return undefined;
  // A yes/no column about a test or a treatment (`specimenAttached BOOLEAN`) says that there is one, not what it found or gave.
  if (
    BOOLEAN_TYPE.test(column.type ?? '') &&
    (classification.category === 'lab-result' || classification.category === 'treatment')
  )
    return undefined;
  const known = encryptionOf(config);
  let protection = columnProtection(column, known);
  if (!protection) {
    const names = new Set([column.name, column.dbName].filter((n): n is string => !!n).map((n) => n.toLowerCase()));
    for (const other of containers.flatMap((n) => facts.schema.declarations(n))) {
      if (
        other === table ||
        (other.source !== table.source && !(other.source === 'mongoose' && table.source === 'mongoose'))
      )
        continue;
      tick?.(1 + (other.columns.length >> 4));
      for (const c of other.columns as OrmColumnFact[]) {
        if (!names.has(c.name.toLowerCase()) && !(c.dbName && names.has(c.dbName.toLowerCase()))) continue;
        protection = columnProtection(c, known);
        if (protection) break;
      }
      if (protection) break;
    }
  }
  return { classification, ...(protection ? { protection } : {}), declared: column, table: table.name };
}

/** The verdict of a column named in SQL or an ORM write: every declaration of the table counts. */
export function writtenColumnVerdict(
  tableName: string,
  column: string,
  facts: ProjectFacts,
): ColumnVerdict | undefined {
  const config = facts.config;
  const tables = facts.schema.declarations(tableName);
  const containers = [tableName, ...tables.map((t) => t.name)];
  const lower = column.toLowerCase();
  const matching = tables.flatMap((t) =>
    (t.columns as OrmColumnFact[]).filter((c) => c.name.toLowerCase() === lower || c.dbName?.toLowerCase() === lower),
  );
  const classification = classifyColumn(
    column,
    [...new Set(containers)],
    config,
    matching.map((c) => c.name).filter((n) => n.toLowerCase() !== lower),
  );
  if (!classification) return undefined;
  const known = encryptionOf(config);
  const protection =
    matching.map((c) => columnProtection(c, known)).find((p) => p !== undefined) ??
    columnProtection({ name: column, file: '', range: { start: 0, end: 0 } }, known);
  return {
    classification,
    ...(protection ? { protection } : {}),
    ...(matching[0] ? { declared: matching[0] } : {}),
    table: tableName,
  };
}

export function sameTable(a: string, b: string): boolean {
  return tableKey(a) === tableKey(b);
}

/** A sub-document field is as sensitive as what it holds (`variantCalls: [{ gene, hgvs }]`). */
function nestedClassification(column: OrmColumnFact, config: EngineConfig): Classification | undefined {
  // A sub-document of settings (`notificationPreferences: { medicationOrders: Boolean }`) holds choices.
  if (classifierFor(config).isSettingsName(column.name)) return undefined;
  for (const key of column.nested ?? []) {
    const c = classifyColumn(key, [column.name], config);
    if (c) return { ...c, why: `${c.why} via its sub-field ${key}` };
  }
  return undefined;
}
