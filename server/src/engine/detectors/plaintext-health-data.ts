import ts from 'typescript';
import type { Detector, DetectorContext } from '../detector.js';
import { healthDataIn } from '../flow/health-value.js';
import { storedValues } from '../flow/storage-sinks.js';
import type { OrmColumnFact } from '../orm/column.js';
import { plainOrmWrites } from '../orm/orm-writes.js';
import { collectorFix, prismaFix, sqlEncryptFix, suppressionFix, transformerName } from '../orm/plaintext-fixes.js';
import type { PrismaFieldFact } from '../orm/prisma.js';
import { encryptionOf } from '../orm/protection.js';
import { declaredColumnVerdict } from '../orm/sensitivity.js';
import { plainSqlWrites } from '../orm/sql-writes.js';
import type { TableFact } from '../schema.js';
import type { Fix, RelatedLocation } from '../types.js';

/** How a category is named at the start of a message. */
const LABEL: Record<string, string> = {
  'health-condition': 'Health data', treatment: 'Treatment data', 'lab-result': 'Lab result data', genetic: 'Genetic data',
  biometric: 'Biometric data', 'art9-other': 'Special-category data', 'health-identifier': 'A national health identifier',
};

const SOURCE_LABEL: Record<string, string> = {
  sql: 'SQL table', prisma: 'Prisma model', typeorm: 'TypeORM entity', mikroorm: 'MikroORM entity', sequelize: 'Sequelize model',
  mongoose: 'Mongoose schema', knex: 'knex migration, table', custom: 'table',
};

/**
 * `plaintext-health-data`: special-category data (Art. 9) or a national health identifier
 * persisted without encryption (Art. 32(1)(a)): (1) declared in a schema without protection,
 * (2) written in clear by SQL or an ORM into such a column, (3) written to files, browser
 * storage, cookies or caches without encryption, the value's nature known from names, flow and types.
 */
export const plaintextHealthData: Detector = {
  ruleId: 'plaintext-health-data',
  languages: ['typescript', 'javascript', 'sql', 'prisma'],
  check(context) {
    declaredFields(context);
    if (context.file.language === 'prisma') return;
    sqlWrites(context);
    if (!context.file.ts) return;
    ormWrites(context);
    storage(context);
  },
};

/** (1) Fields and columns declared in this file. */
function declaredFields(context: DetectorContext): void {
  const { file, project } = context;
  const known = encryptionOf(context.config);
  const tables = tablesByFile(context).get(file.path) ?? [];
  if (tables.length === 0) return;
  const columnsOfFile = tables.flatMap((t) => t.columns as OrmColumnFact[]);
  const transformer = transformerName(known, columnsOfFile);
  for (const table of tables) {
    for (const column of table.columns as OrmColumnFact[]) {
      context.tick();
      if (column.file !== file.path || isRelation(column, table, context)) continue;
      const verdict = declaredColumnVerdict(table, column, project);
      if (!verdict || verdict.protection) continue;
      const c = verdict.classification;
      const expected = known.expected[table.source] ?? known.expected['sql'] ?? 'encryption at rest';
      const note = column.note ? ` (${column.note})` : '';
      const fixes: Fix[] = [];
      const own = table.source === 'prisma' ? prismaFix(column as PrismaFieldFact) : collectorFix(column, transformer);
      if (own) fixes.push(own);
      fixes.push(suppressionFix(file, column.range.start));
      context.report({
        range: column.range,
        message: `${label(c.category)} stored in plaintext: ${column.name} (${c.category}) of ${SOURCE_LABEL[table.source] ?? 'table'} ${table.name} is not encrypted${note}. Why: ${c.why}. Expected: ${expected}.`,
        fixes,
        data: { category: c.category, why: c.why, table: table.name, column: column.name, source: table.source, kind: 'declaration' },
      });
    }
  }
}

/** The schema's tables by declaring file, rebuilt when the schema index changes. */
function tablesByFile(context: DetectorContext): Map<string, TableFact[]> {
  const schema = context.project.schema;
  const cache = context.project.index('plaintext-health-data:tables-by-file', () => ({ version: -1, map: new Map<string, TableFact[]>() }));
  if (cache.version !== schema.version) {
    cache.map = new Map();
    for (const table of schema.tables()) cache.map.set(table.file, [...(cache.map.get(table.file) ?? []), table]);
    cache.version = schema.version;
  }
  return cache.map;
}

/** Prisma relation fields (their type is another model) are not columns. */
function isRelation(column: OrmColumnFact, table: TableFact, context: DetectorContext): boolean {
  if (!column.relationCandidate || !column.type) return false;
  const type = column.type.replace(/[?[\]]/g, '');
  return context.project.schema.declarations(type).some((t) => t.source === table.source && t.kind !== 'table');
}

/** (2a) INSERT/UPDATE writing plain values into sensitive columns. */
function sqlWrites(context: DetectorContext): void {
  const known = encryptionOf(context.config);
  for (const write of plainSqlWrites(context)) {
    context.tick();
    const c = write.verdict.classification;
    const fixes: Fix[] = [];
    const encrypt = sqlEncryptFix(write.values, write.statement.dialect, known, write.quote);
    if (encrypt) fixes.push(encrypt);
    fixes.push(suppressionFix(context.file, write.column.start));
    context.report({
      range: { start: write.column.start, end: write.column.end },
      message: `${label(c.category)} written in plaintext: ${write.verdict.table}.${write.column.value} (${c.category}) receives a value that nothing encrypts. Why: ${c.why}. Expected: ${known.expected['write'] ?? 'encryption of the value'}.`,
      fixes,
      ...related(write.verdict.declared, context, 'the column is declared here without encryption'),
      data: { category: c.category, why: c.why, table: write.verdict.table, column: write.column.value, kind: 'sql-write' },
    });
  }
}

/** (2b) ORM writes of plain values into sensitive fields. */
function ormWrites(context: DetectorContext): void {
  const sf = context.file.ts!;
  const known = encryptionOf(context.config);
  for (const write of plainOrmWrites(context)) {
    context.tick();
    const c = write.verdict.classification;
    const range = { start: write.key.getStart(sf), end: write.key.end };
    context.report({
      range,
      message: `${label(c.category)} written in plaintext: ${write.call} sets ${write.verdict.table}.${write.key.getText(sf)} (${c.category}), a field that nothing encrypts. Why: ${c.why}. Expected: ${known.expected['write'] ?? 'encryption of the value'}.`,
      fixes: [suppressionFix(context.file, range.start)],
      ...related(write.verdict.declared, context, 'the field is declared here without encryption'),
      data: { category: c.category, why: c.why, table: write.verdict.table, column: write.key.getText(sf), kind: 'orm-write' },
    });
  }
}

/** (3) Files, browser storage, cookies, caches. */
function storage(context: DetectorContext): void {
  const sf = context.file.ts!;
  const known = encryptionOf(context.config);
  for (const stored of storedValues(sf, context.config, context.project)) {
    context.tick();
    const evidence = healthDataIn(stored.value as ts.Expression, context);
    if (!evidence) continue;
    const range = { start: stored.value.getStart(sf), end: stored.value.end };
    const relatedInfo: RelatedLocation[] = evidence.declared ? [{ file: evidence.declared.file, range: { start: evidence.declared.start, end: evidence.declared.end }, message: `${evidence.path ?? 'the field'} is declared here` }] : [];
    context.report({
      range,
      message: `${label(evidence.category)} (${evidence.category}) written to ${stored.where} without encryption. Why: ${evidence.why}. Expected: ${known.expected['storage'] ?? 'encrypt it first'}.`,
      fixes: [suppressionFix(context.file, range.start)],
      ...(relatedInfo.length > 0 ? { related: relatedInfo } : {}),
      data: { category: evidence.category, why: evidence.why, where: stored.where, kind: 'storage', ...(evidence.path ? { path: evidence.path } : {}) },
    });
  }
}

function related(column: OrmColumnFact | undefined, context: DetectorContext, message: string): { related?: RelatedLocation[] } {
  if (!column || !column.file || column.file === context.file.path && column.range.start === 0) return {};
  return { related: [{ file: column.file, range: column.range, message }] };
}

function label(category: string): string {
  return LABEL[category] ?? 'Special-category data';
}
