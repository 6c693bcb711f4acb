import { tableKey, type Project } from '../engine/index.js';

interface FileTables {
  /** The file's declarations, serialised for comparison. */
  json: string;
  /** Table keys (names and aliases) the file declares. */
  names: string[];
}

/** What the other files' results depend on, taken before a refresh of the project's facts. */
interface FactsSnapshot {
  schemaVersion: number;
  /** The tables declared by the files about to be refreshed. */
  tables: Map<string, FileTables>;
  erasuresVersion: number;
  /** What the files about to be refreshed delete (tables dropped, paths unlinked), serialised, and the names they mention. */
  erasures: Map<string, FileTables>;
}

export interface FactsChange {
  /** Table keys whose declarations changed. */
  tables: Set<string>;
  routes: boolean;
}

export function snapshotFacts(project: Project, changedFiles: ReadonlySet<string>): FactsSnapshot {
  const tables = new Map<string, FileTables>();
  for (const table of project.facts.schema.tables()) {
    if (!changedFiles.has(table.file)) continue;
    const entry = tables.get(table.file) ?? { json: '', names: [] };
    entry.json += JSON.stringify(table);
    entry.names.push(...[table.name, ...(table.aliases ?? [])].map(tableKey));
    tables.set(table.file, entry);
  }
  const erasures = new Map<string, FileTables>();
  for (const file of changedFiles) {
    const facts = project.facts.erasures.factsOf(file);
    if (facts.length > 0)
      erasures.set(file, { json: JSON.stringify(facts), names: project.facts.erasures.namesOf(file) });
  }
  return {
    schemaVersion: project.facts.schema.version,
    tables,
    erasuresVersion: project.facts.erasures.version,
    erasures,
  };
}

/**
 * Compares the schema after a refresh with a snapshot (and says whether the routes changed, which
 * the caller compares); undefined when nothing another file reads changed.
 */
export function factsChange(
  before: FactsSnapshot,
  project: Project,
  changedFiles: ReadonlySet<string>,
  routes: boolean,
): FactsChange | undefined {
  const after = snapshotFacts(project, changedFiles);
  const tables = new Set<string>();
  if (after.schemaVersion !== before.schemaVersion) {
    for (const file of changedFiles) {
      const was = before.tables.get(file);
      const now = after.tables.get(file);
      if (was?.json === now?.json) continue;
      for (const name of [...(was?.names ?? []), ...(now?.names ?? [])]) if (name) tables.add(name);
    }
  }
  if (after.erasuresVersion !== before.erasuresVersion) {
    // A drop, purge or cleanup added or removed: the exports of what it names may no longer be left behind.
    for (const file of changedFiles) {
      const was = before.erasures.get(file);
      const now = after.erasures.get(file);
      if (was?.json === now?.json) continue;
      for (const name of [...(was?.names ?? []), ...(now?.names ?? [])]) if (name) tables.add(name);
    }
  }
  return routes || tables.size > 0 ? { tables, routes } : undefined;
}

/** Whether a file's results may depend on a facts change: it mentions a changed table, or routes changed and it is code. */
export function dependsOn(change: FactsChange, path: string, text: string): boolean {
  if (change.routes && /\.[cm]?[jt]sx?$/i.test(path)) return true;
  if (change.tables.size === 0) return false;
  const lower = text.toLowerCase();
  for (const name of change.tables) if (lower.includes(name)) return true;
  return false;
}
