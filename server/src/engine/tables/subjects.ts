import type { EngineConfig } from '../config.js';
import type { ProjectFacts } from '../facts.js';
import { vocabularyOf } from '../pack.js';
import { tableKey, type ColumnFact, type RelationFact, type TableFact } from '../schema.js';
import { classifierFor } from '../vocabulary/classify.js';
import { TermList } from '../vocabulary/terms.js';
import { splitWords } from '../vocabulary/words.js';
import { knowledgeOf, knowledgePart } from '../knowledge.js';

/**
 * How the rows of a table are about a person: the table is the person, or it links to one. A
 * table with no such link (a catalogue of tests, a vaccine schedule, a list of allergies) holds
 * reference data, not a person's health data, whatever its columns are called.
 */
export interface SubjectLink {
  kind: 'person' | 'named' | 'column' | 'identity' | 'record' | 'act' | 'presumed' | 'relation' | 'owner';
  /** For messages: `a person table (patients)`, `patient_id`, `encounter_id -> encounters (patient_id)`. */
  via: string;
  /** This table, as the messages name it. */
  table: string;
  /** Tables crossed to reach the person, this one included. */
  hops: number;
}

interface PeopleWords {
  people: TermList;
  handlers: TermList;
  generic: TermList;
  catalogues: TermList;
  records: TermList;
  recordKeys: TermList;
  careActors: TermList;
  primary: TermList;
  catalogueColumns: TermList;
  catalogueMarkers: TermList;
  eventTimes: TermList;
  bookkeepingTimes: TermList;
}

const ID_WORDS = new Set([
  'id',
  'ids',
  'uuid',
  'guid',
  'key',
  'fk',
  'ref',
  'refs',
  'reference',
  'references',
  'no',
  'num',
  'number',
  'nr',
  'code',
  'identifier',
  'oid',
  'uid',
  'pk',
]);
const NAME_WORDS = new Set(['name', 'names', 'full', 'first', 'last', 'nom', 'prenom', 'initials']);
const PERSON_NAME_EXTRAS = new Set([
  'profile',
  'profiles',
  'info',
  'infos',
  'information',
  'details',
  'detail',
  'data',
  'account',
  'accounts',
  'record',
  'records',
  'registry',
  'register',
  'master',
  'identity',
  'identities',
  'demographic',
  'demographics',
]);

const PEOPLE_WORDS = knowledgePart('people-words', (config): PeopleWords => {
  const rules = vocabularyOf<
    Record<
      | 'people'
      | 'handlers'
      | 'genericIdentity'
      | 'catalogues'
      | 'records'
      | 'recordKeys'
      | 'careActors'
      | 'primarySubjects'
      | 'catalogueColumns'
      | 'catalogueMarkers'
      | 'eventTimes'
      | 'bookkeepingTimes',
      string[]
    >
  >(config.pack, 'qualifiers');
  return {
    people: new TermList(rules.people),
    handlers: new TermList(rules.handlers),
    generic: new TermList(rules.genericIdentity),
    catalogues: new TermList(rules.catalogues),
    records: new TermList(rules.records),
    recordKeys: new TermList(rules.recordKeys),
    careActors: new TermList(rules.careActors),
    primary: new TermList(rules.primarySubjects),
    catalogueColumns: new TermList(rules.catalogueColumns),
    catalogueMarkers: new TermList(rules.catalogueMarkers),
    eventTimes: new TermList(rules.eventTimes),
    bookkeepingTimes: new TermList(rules.bookkeepingTimes),
  };
});

/** The word lists of rules/vocabulary/qualifiers.yaml that say who rows are about. */
function peopleWords(config: EngineConfig): PeopleWords {
  return knowledgeOf(config).get(PEOPLE_WORDS);
}

/** Does a table name say its rows are people (`patients`, `PatientProfile`), or about people (`patient_allergies`)? */
function personByName(name: string, config: EngineConfig): 'person' | 'named' | undefined {
  const w = peopleWords(config);
  const words = splitWords(bareName(name));
  const covered = w.people.covered(words);
  if (covered.size === 0 || w.catalogues.matchesAny(words)) return undefined;
  return words.every((word, i) => covered.has(i) || PERSON_NAME_EXTRAS.has(word)) ? 'person' : 'named';
}

/** A column that names the person its row is about: `patient_id`, `subject`, `id_patient`, `patientName`; not `created_by`. */
export function personColumn(name: string, config: EngineConfig): boolean {
  const w = peopleWords(config);
  const words = splitWords(name);
  if (words.length === 0 || w.handlers.matchesAny(words)) return false;
  const covered = w.people.covered(words);
  if (covered.size === 0) return false;
  return words.every((word, i) => covered.has(i) || ID_WORDS.has(word) || NAME_WORDS.has(word));
}

/** A key to a person's record (`encounter_id`, `sample_id`, `codeBarre`), not a kind of record (`sample_type`). */
function recordColumn(name: string, config: EngineConfig): boolean {
  const w = peopleWords(config);
  const words = splitWords(name);
  if (words.length === 0 || w.handlers.matchesAny(words)) return false;
  if (w.recordKeys.covered(words).size === words.length) return true;
  const covered = w.records.covered(words);
  if (covered.size === 0) return false;
  const keyed = words.some((word, i) => ID_WORDS.has(word) && !covered.has(i));
  return keyed && words.every((word, i) => covered.has(i) || ID_WORDS.has(word));
}

/** A key to who performed an act of care (`prescriber_id`, `given_by_user_id`): the row is that act, done for a patient. */
function careActor(name: string, config: EngineConfig): boolean {
  const words = splitWords(name);
  return words.some((w) => ID_WORDS.has(w)) && peopleWords(config).careActors.matchesAny(words);
}

/**
 * The schema says so without a key: a table named as clinical data (`medication_orders`,
 * `lab_results`), not a catalogue by its name or its columns, with the date of an act
 * (`orderedAt`, `collected_at`), records care given to someone the project keys elsewhere.
 * (A FHIR server's resource tables never get here: their subject columns are explicit.)
 */
function presumedRecord(declarations: TableFact[], columns: ColumnFact[], facts: ProjectFacts): string | undefined {
  const config = facts.config;
  const w = peopleWords(config);
  const classifier = classifierFor(config);
  const name = declarations.map((t) => t.name).find((n) => classifier.isSpecialContainer(bareName(n)));
  if (!name) return undefined;
  const nameWords = new Set(
    declarations.flatMap((t) => [t.name, ...(t.aliases ?? [])]).flatMap((n) => splitWords(bareName(n))),
  );
  if (w.catalogues.matchesAny([...nameWords])) return undefined;
  const catalogueShaped = columns.every((c) => {
    const words = splitWords(c.name).filter(
      (x) => !nameWords.has(x) && !nameWords.has(`${x}s`) && !nameWords.has(x.replace(/s$/, '')),
    );
    return w.catalogueColumns.covered(words).size === words.length;
  });
  if (catalogueShaped) return undefined;
  const dated = columns.find((c) => {
    const words = splitWords(c.name);
    return w.eventTimes.matchesAny(words) && !w.bookkeepingTimes.matchesAny(words);
  });
  return dated ? `its name (${name}) and ${dated.name}, the date of an act of care` : undefined;
}

/**
 * A catalogue of things by its name (`CardType`, `test_categories`) or by its columns (a price, a
 * stock level: `Service.price`, `InventoryItem.sellingPrice`): rows that records point at, not
 * records of a person.
 */
function catalogueEntry(key: string, facts: ProjectFacts): boolean {
  const w = peopleWords(facts.config);
  const declarations = sameTable(key, facts);
  const names = declarations.flatMap((t) => [t.name, ...(t.aliases ?? [])]);
  if (names.some((n) => w.catalogues.matchesAny(splitWords(bareName(n))))) return true;
  return mergedColumns(declarations).some((c) => w.catalogueMarkers.matchesAny(splitWords(c.name)));
}

/** A link column that names who handled the row (`created_by`, `validated_by_user_id`, `doctor_id`). */
function handlerColumn(name: string, config: EngineConfig): boolean {
  return peopleWords(config).handlers.matchesAny(splitWords(name));
}

interface LinkIndex {
  version: number;
  links: Map<string, SubjectLink | null>;
  /** Inverse relations and document refs, by the table they point to: who owns its rows. */
  owners: Map<string, { owner: string; field: string }[]>;
}

/**
 * The subject link of a table, model or collection (by any of its names), or undefined when its
 * rows are about no one. Computed once per schema version for the whole project.
 */
export function subjectLinkOf(name: string, facts: ProjectFacts): SubjectLink | undefined {
  const index = linkIndex(facts);
  return resolve(tableKey(name), facts, index, new Set()) ?? undefined;
}

function linkIndex(facts: ProjectFacts): LinkIndex {
  const schema = facts.schema;
  const index = facts.index<LinkIndex>('tables:subject-links', () => ({
    version: -1,
    links: new Map(),
    owners: new Map(),
  }));
  if (index.version !== schema.version) {
    index.links = new Map();
    index.owners = new Map();
    for (const table of schema.tables()) {
      for (const r of table.relations ?? []) {
        if (!r.inverse && r.kind !== 'ref' && r.kind !== 'embedded') continue;
        const target = resolveTable(r.target, facts);
        if (!target) continue;
        // A single ref to a catalogue entry (`Patient.cardType`, `Order.service`) points at shared reference data.
        if (r.kind === 'ref' && !r.inverse && catalogueEntry(target, facts)) continue;
        const list = index.owners.get(target) ?? [];
        list.push({ owner: table.name, field: r.field });
        index.owners.set(target, list);
      }
    }
    index.version = schema.version;
  }
  return index;
}

function resolve(
  key: string,
  facts: ProjectFacts,
  index: LinkIndex,
  visiting: Set<string>,
  cut = { happened: false },
): SubjectLink | null {
  const known = index.links.get(key);
  if (known !== undefined) return known;
  if (visiting.has(key) || visiting.size > 8) {
    cut.happened = true;
    return null;
  }
  visiting.add(key);
  const inner = { happened: false };
  const link = compute(key, facts, index, visiting, inner);
  visiting.delete(key);
  // An answer found is final; "no link" is final only when no cycle or depth limit cut the search
  // short (the same table reached from elsewhere may find its link).
  if (link || !inner.happened) index.links.set(key, link);
  else cut.happened = true;
  return link;
}

function compute(
  key: string,
  facts: ProjectFacts,
  index: LinkIndex,
  visiting: Set<string>,
  cut: { happened: boolean },
): SubjectLink | null {
  const config = facts.config;
  const declarations = sameTable(key, facts);
  if (declarations.length === 0) return null;
  const display = displayName(declarations);
  // The declared names first: an alias the collectors add for lookups (`patientconditions`) has lost its word boundaries.
  const names = [...new Set([...declarations.map((t) => t.name), ...declarations.flatMap((t) => t.aliases ?? [])])];
  const byName = names.map((n) => personByName(n, config)).find((x) => x !== undefined);
  if (byName === 'person') return { kind: 'person', via: `a person table (${display})`, table: display, hops: 1 };
  const columns = mergedColumns(declarations);
  const fhir = fhirSubjectColumns(names, columns, config);
  // The subject first: `patient_id` before `mother_id` (a relative is another person the row names).
  const candidates = columns.filter((c) => (fhir ? fhir.has(c.name.toLowerCase()) : personColumn(c.name, config)));
  const primary = peopleWords(config).primary;
  const column = candidates.find((c) => primary.matchesAny(splitWords(c.name))) ?? candidates[0];
  if (column)
    return {
      kind: 'column',
      via: fhir ? `${column.name} (FHIR reference to the patient)` : column.name,
      table: display,
      hops: 1,
    };
  // A FHIR resource is about a person only through its compartment's references (`subject`, `patient`).
  if (fhir) return null;
  if (byName === 'named') return { kind: 'named', via: `its name (${display})`, table: display, hops: 1 };
  const identity = identityColumns(columns, config);
  if (identity.length > 0)
    return {
      kind: 'identity',
      via: `a person's identity (${identity.slice(0, 2).join(', ')})`,
      table: display,
      hops: 1,
    };
  const keys = new Set(declarations.flatMap((t) => [t.name, ...(t.aliases ?? [])].map(tableKey)));
  // The shortest way to a person wins: `encounter_id -> encounters` rather than a longer detour.
  let best: SubjectLink | undefined;
  for (const relation of forwardLinks(declarations, columns, facts)) {
    if (handlerColumn(relation.field, config)) continue;
    const target = resolveTable(relation.target, facts);
    if (!target || keys.has(target)) continue;
    const next = resolve(target, facts, index, visiting, cut);
    if (next && (!best || next.hops + 1 < best.hops)) {
      best = {
        kind: 'relation',
        via: `${relation.field} -> ${next.table}${next.kind === 'person' ? '' : ` (${further(next)})`}`,
        table: display,
        hops: next.hops + 1,
      };
    }
  }
  if (best) return best;
  const record = columns.find(
    (c) =>
      recordColumn(c.name, config) &&
      !(c.references && resolveTable(c.references, facts)) &&
      !tableNamedBy(c.name, facts),
  );
  if (record) return { kind: 'record', via: `${record.name}, the key of a person's record`, table: display, hops: 1 };
  const actor =
    columns.find((c) => careActor(c.name, config)) ??
    declarations.flatMap((t) => t.relations ?? []).find((r) => !r.inverse && careActor(r.field, config));
  if (actor)
    return {
      kind: 'act',
      via: `${'name' in actor ? actor.name : actor.field}, who performed it`,
      table: display,
      hops: 1,
    };
  for (const { owner, field } of [...keys].flatMap((k) => index.owners.get(k) ?? [])) {
    const ownerKey = tableKey(owner);
    if (keys.has(ownerKey)) continue;
    const next = resolve(ownerKey, facts, index, visiting, cut);
    if (next)
      return {
        kind: 'owner',
        via: `held by ${owner}.${field}${next.kind === 'person' ? '' : ` (${further(next)})`}`,
        table: display,
        hops: next.hops + 1,
      };
  }
  const presumed = presumedRecord(declarations, columns, facts);
  if (presumed) return { kind: 'presumed', via: presumed, table: display, hops: 1 };
  return null;
}

/** Links described in full, table by table; past them, a count (a chain of 10,000 tables must not describe itself 10,000 times). */
const DESCRIBED_HOPS = 4;

/** How the next table of a link reaches its person, for the message. */
function further(next: SubjectLink): string {
  return next.hops < DESCRIBED_HOPS ? next.via : `and ${next.hops - 1} more tables to a person`;
}

/** The subject columns of a FHIR server's resource table (`Observation.subject`), when the table is one. */
function fhirSubjectColumns(names: string[], columns: ColumnFact[], config: EngineConfig): Set<string> | undefined {
  const fhir = vocabularyOf<{ resources: string[]; subjectColumns: string[]; documentColumns: string[] }>(
    config.pack,
    'fhir',
  );
  const resources = new Set(fhir.resources.map((r) => r.toLowerCase()));
  if (!names.some((n) => resources.has(bareName(n).toLowerCase()))) return undefined;
  // A resource table keeps the resource whole in a document column; an `Encounter` entity of an app is not one.
  const documents = new Set(fhir.documentColumns.map((c) => c.toLowerCase()));
  if (!columns.some((c) => documents.has(c.name.toLowerCase()))) return undefined;
  return new Set(fhir.subjectColumns.map((c) => c.replace(/\s+/g, '').toLowerCase()));
}

/** Every declaration of the table: under its name and under the other names its models give it (`Resultat` maps `resultats`). */
export function sameTable(key: string, facts: ProjectFacts): TableFact[] {
  const out = new Set<TableFact>(facts.schema.declarations(key));
  for (const t of [...out])
    for (const n of [t.name, ...(t.aliases ?? [])]) for (const other of facts.schema.declarations(n)) out.add(other);
  return [...out];
}

/** The name a table is shown by: the SQL table when there is one, else the first declaration. */
function displayName(declarations: TableFact[]): string {
  return (declarations.find((t) => t.source !== 'sql' && t.columns.length > 0) ?? declarations[0]!).name;
}

function mergedColumns(declarations: TableFact[]): ColumnFact[] {
  const seen = new Map<string, ColumnFact>();
  for (const t of declarations)
    for (const c of t.columns) if (!seen.has(c.name.toLowerCase())) seen.set(c.name.toLowerCase(), c);
  return [...seen.values()];
}

/** Columns that identify a person (a last name, a birth date, a national identifier), not a catalogue's `name`. */
function identityColumns(columns: ColumnFact[], config: EngineConfig): string[] {
  const classifier = classifierFor(config);
  const generic = peopleWords(config).generic;
  const out: string[] = [];
  for (const c of columns) {
    const found = classifier.classify(c.name, { kind: 'column' });
    if (!found || (found.category !== 'identity' && found.category !== 'health-identifier')) continue;
    if (found.category === 'identity' && generic.covered(splitWords(found.term)).size === splitWords(found.term).length)
      continue;
    if (handlerColumn(c.name, config)) continue;
    out.push(c.name);
  }
  return out;
}

/** Links that go from these rows to others: foreign keys, owning ORM relations, refs, and `<x>_id` columns naming a table. */
function forwardLinks(declarations: TableFact[], columns: ColumnFact[], facts: ProjectFacts): RelationFact[] {
  const out: RelationFact[] = [];
  for (const t of declarations) for (const r of t.relations ?? []) if (!r.inverse) out.push(r);
  for (const c of columns) if (c.references) out.push({ field: c.name, target: c.references, kind: 'fk' });
  for (const c of columns) {
    if (c.references) continue;
    const target = tableNamedBy(c.name, facts);
    if (target) out.push({ field: c.name, target, kind: 'fk' });
  }
  return out;
}

/** The table a key column is named after: `encounter_id` -> `encounters`, `visitId` -> `Visit`, `id_sejour` -> `sejours`. */
export function tableNamedBy(column: string, facts: ProjectFacts): string | undefined {
  const words = splitWords(column);
  if (words.length < 2) return undefined;
  let base: string[] | undefined;
  if (ID_WORDS.has(words[words.length - 1]!)) base = words.slice(0, -1);
  else if (ID_WORDS.has(words[0]!)) base = words.slice(1);
  if (!base || base.length === 0) return undefined;
  return (
    resolveTable(base.join('_'), facts) ?? (base.length > 1 ? resolveTable(base[base.length - 1]!, facts) : undefined)
  );
}

/** The index key of a table named `name` or a plural/singular form of it, when the schema knows it. */
export function resolveTable(name: string, facts: ProjectFacts): string | undefined {
  const schema = facts.schema;
  const bare = bareName(name);
  const snake = bare.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
  const candidates = [
    bare,
    snake,
    `${snake}s`,
    `${snake}es`,
    snake.replace(/y$/, 'ies'),
    snake.replace(/s$/, ''),
    snake.replace(/es$/, ''),
    snake.replace(/ies$/, 'y'),
    snake.replace(/_/g, ''),
  ];
  for (const c of candidates) if (c && schema.declarations(c).length > 0) return tableKey(c);
  return undefined;
}

function bareName(name: string): string {
  const clean = name.replace(/["`[\]]/g, '').trim();
  const dot = clean.lastIndexOf('.');
  return dot >= 0 ? clean.slice(dot + 1) : clean;
}

/** How the message says whom the rows are about. */
export function linkPhrase(link: SubjectLink): string {
  switch (link.kind) {
    case 'person':
      return `each row is a person (${link.table})`;
    case 'named':
      return `its rows are about a person by ${link.via}`;
    case 'column':
      return `each row is about the person in ${link.via}`;
    case 'identity':
      return `each row carries ${link.via}`;
    case 'record':
      return `each row is keyed by ${link.via}`;
    case 'act':
      return `each row is an act of care for a patient (${link.via})`;
    case 'presumed':
      return `no key to a person is declared, but each row records care for one: ${link.via}`;
    case 'relation':
      return `each row is about a person through ${link.via}`;
    case 'owner':
      return `each row belongs to a person, ${link.via}`;
  }
}
