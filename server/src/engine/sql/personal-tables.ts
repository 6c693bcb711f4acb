import type { EngineConfig } from '../config.js';
import type { ColumnFact, SchemaIndex } from '../schema.js';
import { tableKey } from '../schema.js';
import { Classifier, classifierFor, type Category } from '../vocabulary/classify.js';

/** What a table holds, as far as the schema index and its name tell. */
export interface TableAssessment {
  /** The name as written in the query. */
  name: string;
  /** Columns known from DDL, Prisma or ORM entities (empty when unknown). */
  columns: ColumnFact[];
  /** Known columns that hold personal data, with their category. */
  personal: { name: string; category: Category; special: boolean }[];
  /** Holds personal data: shown by the schema, or presumed from the table name. */
  holdsPersonalData: boolean;
  /** Personal data presumed from the name only (the schema does not know the table). */
  presumed: boolean;
  /** A settings/flags/catalogue/system table. */
  technical: boolean;
}

export interface TableVocabulary {
  personalTables: string[];
  technicalTables: string[];
  systemSchemas: string[];
}

const matchers = new WeakMap<object, { personal: Classifier; technical: Classifier }>();

function matchersFor(vocabulary: TableVocabulary): { personal: Classifier; technical: Classifier } {
  let m = matchers.get(vocabulary);
  if (!m) {
    m = {
      personal: new Classifier([{ category: 'identity', terms: { rule: vocabulary.personalTables } }]),
      technical: new Classifier([{ category: 'identity', terms: { rule: vocabulary.technicalTables } }]),
    };
    matchers.set(vocabulary, m);
  }
  return m;
}

/**
 * Does a table hold personal data? Known tables are judged by their columns (any vocabulary
 * category, identity and contact included); unknown ones by their name (`patients`,
 * `resultats`, `comptes_rendus`). A technical table (settings, flags, catalogues, system
 * views) holds personal data only if it has a national health identifier column: its `valeur`
 * is a setting, not a lab value.
 */
export function assessTable(name: string, schema: SchemaIndex, config: EngineConfig, vocabulary: TableVocabulary): TableAssessment {
  const { personal: personalNames, technical: technicalNames } = matchersFor(vocabulary);
  const classifier = classifierFor(config);
  const bare = tableKey(name);
  const schemaPart = name.replace(/["`[\]]/g, '').toLowerCase().split('.').slice(-2, -1)[0];
  // The name as written keeps its word boundaries: `dbo.ReportSettings` is a settings table.
  const written = name.replace(/["`[\]]/g, '').trim().split('.').pop() ?? bare;
  const named = (matcher: Classifier) => matcher.classify(bare) !== undefined || matcher.classify(written) !== undefined;
  const namedPersonal = named(personalNames);
  const technical = !namedPersonal && ((schemaPart !== undefined && vocabulary.systemSchemas.includes(schemaPart)) || named(technicalNames));
  const columns = schema.columns(name);
  const personal: TableAssessment['personal'] = [];
  for (const column of columns) {
    const c = classifier.classify(column.name, { kind: 'column', container: bare });
    if (!c) continue;
    if (technical && c.category !== 'health-identifier') continue;
    personal.push({ name: column.name, category: c.category, special: c.special });
  }
  if (columns.length > 0) {
    return { name, columns, personal, holdsPersonalData: personal.length > 0, presumed: false, technical };
  }
  const presumed = !technical && (namedPersonal || classifier.classify(bare, { kind: 'table' }) !== undefined);
  return { name, columns, personal, holdsPersonalData: presumed, presumed, technical };
}
