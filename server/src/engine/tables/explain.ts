import type { ProjectFacts } from '../facts.js';
import type { ColumnFact, TableFact } from '../schema.js';
import { notCurrent, type NotCurrent } from './current.js';
import { linkPhrase, subjectLinkOf } from './subjects.js';

/** What gdpr-lint knows about the storage of a table or column: whom its rows are about, and whether it is where the storage is decided now. */
export interface StorageExplanation {
  table: string;
  column?: string;
  /** `each row is about the person in patient_id`, or why no link was found. */
  link: string;
  linked: boolean;
  /** Undefined when this declaration is where the column is decided now. */
  notCurrent?: string;
}

const REASONS: Record<NotCurrent['reason'], string> = {
  view: 'a view: its rows are read from other tables, reported there',
  'version-copy': 'a version copy of another table, reported through that table',
  'index-copy': 'search keys extracted from another table, reported through that table',
  'search-column': 'a search column the FHIR server extracts from the resource document, reported through the document',
  'model-copy': 'SQL generated from a model, reported on the model',
  'older-definition': 'an older definition: a later migration defines it now',
  dropped: 'dropped by a later migration',
};

/** The table and, if any, the column declared at `offset` of `path`, explained. */
export function explainStorageAt(facts: ProjectFacts, path: string, offset: number): StorageExplanation | undefined {
  for (const tables of facts.schema.history().values()) {
    for (const table of tables) {
      if (table.file !== path) continue;
      const column = table.columns.find((c) => c.file === path && c.range.start <= offset && offset <= c.range.end);
      if (column) return explainStorage(facts, table, column);
      if (table.range.start <= offset && offset <= table.range.end && table.columns.length > 0)
        return explainStorage(facts, table);
    }
  }
  return undefined;
}

/** A table (and one of its columns) explained: the subject link, and where the column is decided. */
function explainStorage(facts: ProjectFacts, table: TableFact, column?: ColumnFact): StorageExplanation {
  const link = subjectLinkOf(table.name, facts);
  const stale = column ? notCurrent(table, column, facts) : undefined;
  return {
    table: table.name,
    ...(column ? { column: column.name } : {}),
    link: link
      ? linkPhrase(link)
      : "no link to a person was found: reference data (a catalogue, a setting) is not a person's health data",
    linked: !!link,
    ...(stale ? { notCurrent: `${REASONS[stale.reason]}${stale.instead ? ` (${stale.instead})` : ''}` } : {}),
  };
}

/** The explanation of a table by name, for the CLI. */
export function explainTable(facts: ProjectFacts, name: string, column?: string): StorageExplanation | undefined {
  const declarations = facts.schema.declarations(name);
  if (declarations.length === 0) return undefined;
  const lower = column?.toLowerCase();
  for (const table of declarations) {
    const found = lower ? table.columns.find((c) => c.name.toLowerCase() === lower) : undefined;
    if (found && !notCurrent(table, found, facts)) return explainStorage(facts, table, found);
  }
  const table = declarations[0]!;
  const found = lower ? declarations.flatMap((t) => t.columns).find((c) => c.name.toLowerCase() === lower) : undefined;
  return explainStorage(facts, declarations.find((t) => found && t.columns.includes(found)) ?? table, found);
}
