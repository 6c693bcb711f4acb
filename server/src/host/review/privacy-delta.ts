import {
  classifierFor,
  LineIndex,
  tableKey,
  type ColumnFact,
  type Project,
  type TableFact,
} from '../../engine/index.js';
import { routesAdded, type DeltaRoute } from './route-delta.js';
import type { LocatedFinding } from '../located.js';

export type { DeltaRoute } from './route-delta.js';

/** A special-category column or field that the change adds, or whose type or protection it changes. */
interface DeltaColumn {
  table: string;
  column: string;
  type?: string;
  /** What encrypts it (`pgp_sym_encrypt`, `@encrypted`...); absent = stored in plaintext. */
  protection?: string;
  category: string;
  change: 'added' | 'changed';
  file: string;
  line: number;
}

/**
 * An export, an export left behind, a flow to a third party or a flow sent in clear that the
 * change introduces (from the findings of those rules).
 */
export interface DeltaFlow {
  kind: 'export' | 'public-export' | 'retention' | 'third-party' | 'transit';
  ruleId: string;
  message: string;
  file: string;
  line: number;
}

/** What a change adds to the privacy picture of the project, for the reviewer. */
export interface PrivacyDelta {
  columns: DeltaColumn[];
  routes: DeltaRoute[];
  flows: DeltaFlow[];
}

const FLOW_RULES: Record<string, DeltaFlow['kind']> = {
  'select-star-export': 'export',
  'export-to-public-location': 'public-export',
  'export-without-erasure': 'retention',
  'health-data-to-third-party': 'third-party',
  'health-data-in-clear-transit': 'transit',
};

/** Compares the facts of the project at the change's base and at its head. */
export function privacyDelta(head: Project, base: Project, introduced: readonly LocatedFinding[]): PrivacyDelta {
  return {
    columns: columnsAdded(head, base),
    routes: routesAdded(head, base),
    flows: introduced
      .filter((f) => !f.suppressed && FLOW_RULES[f.ruleId])
      .map((f) => ({ kind: FLOW_RULES[f.ruleId]!, ruleId: f.ruleId, message: f.message, file: f.file, line: f.line })),
  };
}

function columnsAdded(head: Project, base: Project): DeltaColumn[] {
  head.refreshFacts();
  base.refreshFacts();
  const before = new Map<string, ColumnFact>();
  for (const table of base.facts.schema.tables()) {
    for (const column of table.columns) before.set(columnKey(table, column), column);
  }
  const classifier = classifierFor(head.config);
  const out: DeltaColumn[] = [];
  const reported = new Set<string>();
  for (const table of head.facts.schema.tables()) {
    for (const column of table.columns) {
      const key = columnKey(table, column);
      if (reported.has(key)) continue;
      const prior = before.get(key);
      const change = !prior
        ? 'added'
        : prior.type !== column.type || prior.protection !== column.protection
          ? 'changed'
          : undefined;
      if (!change) continue;
      const classification = classifier.classify(column.name, { kind: 'column', container: table.name });
      if (!classification?.special) continue;
      reported.add(key);
      const text = head.file(column.file)?.text ?? '';
      out.push({
        table: table.name,
        column: column.name,
        ...(column.type ? { type: column.type } : {}),
        ...(column.protection ? { protection: column.protection } : {}),
        category: classification.category,
        change,
        file: column.file,
        line: new LineIndex(text).position(column.range.start).line + 1,
      });
    }
  }
  return out.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

function columnKey(table: TableFact, column: ColumnFact): string {
  return `${tableKey(table.name)}.${column.name.toLowerCase()}`;
}
