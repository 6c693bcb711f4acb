import type { ProjectFacts } from '../facts.js';
import type { ColumnFact } from '../schema.js';
import { tableKey } from '../schema.js';
import { subjectLinkOf, type SubjectLink } from '../tables/subjects.js';
import { Classifier, classifierFor, type Category } from '../vocabulary/classify.js';
import { splitWords } from '../vocabulary/words.js';

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
  /** How its rows are about a person, when the schema shows it. */
  link?: SubjectLink;
  /** Columns that hold special-category data or a secret (a password hash, a token). */
  sensitive?: string[];
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
 * Does a table hold personal data? A table the schema knows holds it when its rows are about a
 * person (the subject link of plaintext-health-data: the table is a person, or links to one) and
 * some column is personal; a catalogue, a settings table or an organisation's table does not,
 * even with a `name` or an address. A table the schema does not know is presumed personal from
 * its name: people (`patients`, `users`, `customers`...) and clinical records (`resultats`,
 * `analyses`, `comptes_rendus`). A technical table holds personal data only with a national health identifier.
 */
export function assessTable(name: string, facts: ProjectFacts, vocabulary: TableVocabulary): TableAssessment {
  const { personal: personalNames, technical: technicalNames } = matchersFor(vocabulary);
  const config = facts.config;
  const classifier = classifierFor(config);
  const bare = tableKey(name);
  const schemaPart = name
    .replace(/["`[\]]/g, '')
    .toLowerCase()
    .split('.')
    .slice(-2, -1)[0];
  // The name as written keeps its word boundaries: `dbo.ReportSettings` is a settings table.
  const written =
    name
      .replace(/["`[\]]/g, '')
      .trim()
      .split('.')
      .pop() ?? bare;
  const named = (matcher: Classifier) =>
    matcher.classify(bare) !== undefined || matcher.classify(written) !== undefined;
  const namedPersonal = named(personalNames);
  const technical =
    !namedPersonal &&
    ((schemaPart !== undefined && vocabulary.systemSchemas.includes(schemaPart)) || named(technicalNames));
  const columns = facts.schema.columns(name);
  const personal: TableAssessment['personal'] = [];
  const sensitive: string[] = [];
  for (const column of columns) {
    const c = classifier.classify(column.name, { kind: 'column', container: bare });
    if (isSecret(column.name)) sensitive.push(column.name);
    if (!c) continue;
    if (technical && c.category !== 'health-identifier') continue;
    personal.push({ name: column.name, category: c.category, special: c.special });
    if (c.special) sensitive.push(column.name);
  }
  if (columns.length > 0) {
    const link = technical ? undefined : subjectLinkOf(name, facts);
    const identifier = personal.some((p) => p.category === 'health-identifier');
    // Rows about a person are personal data whatever their columns are called (a salary, a score).
    return {
      name,
      columns,
      personal,
      holdsPersonalData: !!link || identifier,
      presumed: false,
      technical,
      ...(link ? { link } : {}),
      sensitive,
    };
  }
  const presumed = !technical && (namedPersonal || classifier.classify(bare, { kind: 'table' }) !== undefined);
  return { name, columns, personal, holdsPersonalData: presumed, presumed, technical, sensitive };
}

const SECRET_WORDS = new Set([
  'password',
  'passwd',
  'pwd',
  'passhash',
  'secret',
  'secrets',
  'token',
  'tokens',
  'apikey',
  'otp',
]);

/** Columns that hold a secret: a password (hash), a token, an API key, a one-time code. */
function isSecret(column: string): boolean {
  const words = splitWords(column);
  return words.some((w) => SECRET_WORDS.has(w)) || words.join(' ').includes('api key');
}
