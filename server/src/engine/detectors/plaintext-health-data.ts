import type { Detector, DetectorContext } from '../detector.js';
import { healthDataIn } from '../flow/health-value.js';
import { storedValues } from '../flow/storage-sinks.js';
import type { OrmColumnFact } from '../orm/column.js';
import { plainOrmWrites } from '../orm/orm-writes.js';
import { collectorFix, prismaFix, sqlEncryptFix, transformerName } from '../orm/plaintext-fixes.js';
import type { PrismaFieldFact } from '../orm/prisma.js';
import { columnProtection, encryptionOf } from '../orm/protection.js';
import { classifyColumn, declaredColumnVerdict, type ColumnVerdict } from '../orm/sensitivity.js';
import { plainSqlWrites } from '../orm/sql-writes.js';
import { importFor } from '../edits/import-sources.js';
import type { TableFact } from '../schema.js';
import { notCurrent } from '../tables/current.js';
import { linkPhrase, resolveTable, subjectLinkOf, tableNamedBy, type SubjectLink } from '../tables/subjects.js';
import { suppressionFix } from '../suppressions.js';
import type { Fix, RelatedLocation, Severity } from '../types.js';
import { classifierFor, type Classification } from '../vocabulary/classify.js';
import { notRunInProduction } from '../production.js';

/** How a category is named at the start of a message. */
const LABEL: Record<string, string> = {
  'health-condition': 'Health data',
  treatment: 'Treatment data',
  'lab-result': 'Lab result data',
  genetic: 'Genetic data',
  biometric: 'Biometric data',
  'art9-other': 'Special-category data',
  'health-identifier': 'A national health identifier',
};

const SOURCE_LABEL: Record<string, string> = {
  sql: 'SQL table',
  prisma: 'Prisma model',
  typeorm: 'TypeORM entity',
  mikroorm: 'MikroORM entity',
  sequelize: 'Sequelize model',
  mongoose: 'Mongoose schema',
  knex: 'knex migration, table',
  custom: 'table',
};

/**
 * `plaintext-health-data`: special-category data (Art. 9) or a national health identifier
 * persisted without encryption (Art. 32(1)(a)): (1) declared in a schema without protection,
 * (2) written in clear by SQL or an ORM into such a column, (3) written to files, browser
 * storage, cookies or caches without encryption, the value's nature known from names, flow and types.
 */
const RULE = 'plaintext-health-data';
/** What a suppression of this rule asks for. */
const IN_CLEAR = { justification: 'reason: explain why this data may stay in clear' };

export const plaintextHealthData: Detector = {
  ruleId: RULE,
  languages: ['typescript', 'javascript', 'sql', 'prisma'],
  check(context) {
    // A file production never runs (an alternative app, a stray copy) stores nothing.
    if (notRunInProduction(context.project, context.file.path)) return;
    declaredFields(context);
    if (context.file.language === 'prisma') return;
    sqlWrites(context);
    if (!context.file.ts) return;
    ormWrites(context);
    storage(context);
  },
};

/**
 * (1) Fields and columns declared in this file: only where the column is defined now (not an older
 * migration, a model's generated SQL, a version or index copy, a view), and only in a table whose
 * rows are about a person (its subject link).
 */
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
      const verdict =
        declaredColumnVerdict(table, column, project, context.tick) ?? linkVerdict(table, column, context);
      if (!verdict || verdict.protection) continue;
      if (notCurrent(table, column, project)) continue;
      const link = subjectLinkOf(table.name, project);
      if (!link) continue;
      // A sub-document's fields are stored fields of their own: each special one is reported where it is written.
      const parts = nestedParts(column, table, context);
      if (parts.length > 0) {
        for (const part of parts) {
          context.report({
            range: part.range,
            severity: severityOf(link, part.classification.category),
            messageId: 'declared',
            args: {
              label: label(part.classification.category),
              column: `${column.name}.${part.key}`,
              category: part.classification.category,
              source: SOURCE_LABEL[table.source] ?? 'table',
              table: table.name,
              why: part.classification.why,
              link: linkPhrase(link),
              expected: known.expected[table.source] ?? 'encryption at rest',
            },
            fixes: [suppressionFix(file, part.range.start, RULE, IN_CLEAR)],
            data: {
              category: part.classification.category,
              why: part.classification.why,
              table: table.name,
              column: `${column.name}.${part.key}`,
              source: table.source,
              kind: 'declaration',
              link: link.via,
              linkKind: link.kind,
            },
          });
        }
        continue;
      }
      const c = verdict.classification;
      const expected = known.expected[table.source] ?? known.expected['sql'] ?? 'encryption at rest';
      const fixes: Fix[] = [];
      const own =
        table.source === 'prisma'
          ? prismaFix(column as PrismaFieldFact)
          : collectorFix(column, transformer, (name) => importFor(project, file.path, name));
      if (own) fixes.push(own);
      fixes.push(suppressionFix(file, column.range.start, RULE, IN_CLEAR));
      context.report({
        range: column.range,
        severity: severityOf(link, c.category),
        messageId: column.note ? 'declared-with-note' : 'declared',
        args: {
          label: label(c.category),
          column: column.name,
          category: c.category,
          source: SOURCE_LABEL[table.source] ?? 'table',
          table: table.name,
          note: column.note ?? '',
          why: c.why,
          link: linkPhrase(link),
          expected,
        },
        fixes,
        data: {
          category: c.category,
          why: c.why,
          table: table.name,
          column: column.name,
          source: table.source,
          kind: 'declaration',
          link: link.via,
          linkKind: link.kind,
        },
      });
    }
  }
}

/** The special fields of a plain sub-document, when the field's own name is not what makes it special. */
function nestedParts(
  column: OrmColumnFact,
  table: TableFact,
  context: DetectorContext,
): { key: string; range: { start: number; end: number }; classification: Classification }[] {
  if (!column.nestedAt || classifyColumn(column.name, [table.name], context.config)) return [];
  const out: { key: string; range: { start: number; end: number }; classification: Classification }[] = [];
  for (const [key, range] of Object.entries(column.nestedAt)) {
    const classification = classifyColumn(key, [column.name, table.name], context.config);
    if (classification) out.push({ key, range, classification });
  }
  return out;
}

/**
 * Severity follows the data: clinical content tied to the person directly (the person's table, a
 * key to the person, an identity) is an error; tied through another record (a visit, a sample),
 * or held by a person's document, a warning.
 */
function severityOf(link: SubjectLink, category: string): Severity | undefined {
  if (category === 'health-identifier') return undefined;
  return link.kind === 'relation' ||
    link.kind === 'owner' ||
    link.kind === 'named' ||
    link.kind === 'record' ||
    link.kind === 'act' ||
    link.kind === 'presumed'
    ? 'warning'
    : undefined;
}

/**
 * A key column that says which catalogue entry a person has: `user_pathologies.pathology_id`
 * -> `pathology`, a table named as special-category data with no subject link of its own.
 */
function linkVerdict(table: TableFact, column: OrmColumnFact, context: DetectorContext): ColumnVerdict | undefined {
  const project = context.project;
  const target = column.references ? resolveTable(column.references, project) : tableNamedBy(column.name, project);
  if (!target || subjectLinkOf(target, project)) return undefined;
  const referenced = project.schema.declarations(target)[0]!;
  // Only a list named by a strong term of a condition, a treatment, a gene, an origin (`pathology`,
  // `allergy`, `drug`, `ethnic_group`): a panel or a report definition ordered is not a result.
  const c = classifierFor(context.config).classify(referenced.name, { kind: 'column' });
  if (!c?.special || c.category === 'lab-result' || c.category === 'health-identifier') return undefined;
  const protection = columnProtection(column, encryptionOf(context.config));
  return {
    classification: {
      ...c,
      why: `${column.name} points to an entry of "${referenced.name}", a list of ${c.category} (${c.why.replace(/^matched /, 'matched ')}), so it says which one the row's person has`,
    },
    ...(protection ? { protection } : {}),
    declared: column,
    table: table.name,
  };
}

/** The schema's tables by declaring file, rebuilt when the schema index changes. */
function tablesByFile(context: DetectorContext): Map<string, TableFact[]> {
  const schema = context.project.schema;
  const cache = context.project.index('plaintext-health-data:tables-by-file', () => ({
    version: -1,
    map: new Map<string, TableFact[]>(),
  }));
  if (cache.version !== schema.version) {
    cache.map = new Map();
    for (const table of schema.tables()) {
      const list = cache.map.get(table.file);
      if (list) list.push(table);
      else cache.map.set(table.file, [table]);
    }
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
    if (!writtenAboutPerson(write.verdict.table, context)) continue;
    const c = write.verdict.classification;
    const fixes: Fix[] = [];
    const encrypt = sqlEncryptFix(write.values, write.statement.dialect, known, write.quote, write.verdict.declared);
    if (encrypt) fixes.push(encrypt);
    fixes.push(suppressionFix(context.file, write.column.start, RULE, IN_CLEAR));
    context.report({
      range: { start: write.column.start, end: write.column.end },
      messageId: 'sql-write',
      args: {
        label: label(c.category),
        table: write.verdict.table,
        column: write.column.value,
        category: c.category,
        why: c.why,
        expected: known.expected['write'] ?? 'encryption of the value',
      },
      fixes,
      ...related(write.verdict.declared, context, 'the column is declared here without encryption'),
      data: {
        category: c.category,
        why: c.why,
        table: write.verdict.table,
        column: write.column.value,
        kind: 'sql-write',
      },
    });
  }
}

/** (2b) ORM writes of plain values into sensitive fields. */
function ormWrites(context: DetectorContext): void {
  const sf = context.file.ts!;
  const known = encryptionOf(context.config);
  for (const write of plainOrmWrites(context)) {
    context.tick();
    if (!writtenAboutPerson(write.verdict.table, context)) continue;
    const c = write.verdict.classification;
    const range = { start: write.key.getStart(sf), end: write.key.end };
    context.report({
      range,
      messageId: 'orm-write',
      args: {
        label: label(c.category),
        call: write.call,
        table: write.verdict.table,
        field: write.key.getText(sf),
        category: c.category,
        why: c.why,
        expected: known.expected['write'] ?? 'encryption of the value',
      },
      fixes: [suppressionFix(context.file, range.start, RULE, IN_CLEAR)],
      ...related(write.verdict.declared, context, 'the field is declared here without encryption'),
      data: {
        category: c.category,
        why: c.why,
        table: write.verdict.table,
        column: write.key.getText(sf),
        kind: 'orm-write',
      },
    });
  }
}

/** (3) Files, browser storage, cookies, caches. */
function storage(context: DetectorContext): void {
  const sf = context.file.ts!;
  const known = encryptionOf(context.config);
  for (const stored of storedValues(sf, context.config, context.project)) {
    context.tick();
    const evidence = healthDataIn(stored.value, context);
    if (!evidence) continue;
    const range = { start: stored.value.getStart(sf), end: stored.value.end };
    const relatedInfo: RelatedLocation[] = evidence.declared
      ? [
          {
            file: evidence.declared.file,
            range: { start: evidence.declared.start, end: evidence.declared.end },
            message: `${evidence.path ?? 'the field'} is declared here`,
          },
        ]
      : [];
    context.report({
      range,
      messageId: 'storage',
      args: {
        label: label(evidence.category),
        category: evidence.category,
        where: stored.where,
        why: evidence.why,
        expected: known.expected['storage'] ?? 'encrypt it first',
      },
      fixes: [suppressionFix(context.file, range.start, RULE, IN_CLEAR)],
      ...(relatedInfo.length > 0 ? { related: relatedInfo } : {}),
      data: {
        category: evidence.category,
        why: evidence.why,
        where: stored.where,
        kind: 'storage',
        ...(evidence.path ? { path: evidence.path } : {}),
      },
    });
  }
}

/** A write into a table the schema knows counts only when its rows are about a person; an unknown table is judged by its column. */
function writtenAboutPerson(table: string, context: DetectorContext): boolean {
  if (context.project.schema.declarations(table).length === 0) return true;
  return subjectLinkOf(table, context.project) !== undefined;
}

function related(
  column: OrmColumnFact | undefined,
  context: DetectorContext,
  message: string,
): { related?: RelatedLocation[] } {
  if (!column || !column.file || (column.file === context.file.path && column.range.start === 0)) return {};
  return { related: [{ file: column.file, range: column.range, message }] };
}

function label(category: string): string {
  return LABEL[category] ?? 'Special-category data';
}
