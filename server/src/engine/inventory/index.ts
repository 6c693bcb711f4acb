import { safeStrings } from '../output-text.js';
import { ruleSeverity } from '../config.js';
import type { Project } from '../project.js';
import type { Finding } from '../types.js';
import { Ids, inputOf } from './context.js';
import { exportsOf } from './exports.js';
import { logsOf } from './logs.js';
import type { Inventory } from './model.js';
import { retentionOf } from './retention.js';
import { routeEntriesOf } from './routes.js';
import { storesOf } from './stores.js';
import { summarize } from './summary.js';
import { thirdPartiesOf } from './third-parties.js';

export * from './model.js';
export { categoryText } from '../routes/exposure.js';
export { isSpecial, type Category } from '../vocabulary/classify.js';

export interface InventoryOptions {
  /** Findings already computed for the project (the editor has them); else the project is analysed. */
  findings?: readonly Finding[];
  /**
   * Bring the project's facts up to date first (default). The editor passes false: its analyzer
   * refreshes facts itself and compares them before and after to know which files to re-analyse.
   */
  refresh?: boolean;
}

/** Sections that come from a rule's findings, and the rule. */
const FROM_RULES: Record<string, string> = {
  'health-data-in-logs': 'the Logs section',
  'health-data-to-third-party': 'health data in the Third parties section',
};

/**
 * The privacy inventory of a project: data stores, routes, exports and migrations, third
 * parties, logs, retention and a summary, from the engine's indexes (schema, routes, SQL) and
 * the findings of the leak rules. Pure: the project is whatever files the host put in it.
 */
export function buildInventory(project: Project, options: InventoryOptions = {}): Inventory {
  if (options.refresh !== false) project.refreshFacts();
  const findings = options.findings ?? project.analyzeAll().findings;
  const input = inputOf(project);
  const ids = new Ids();
  const notes: string[] = [];
  for (const [rule, section] of Object.entries(FROM_RULES)) {
    if (ruleSeverity(project.config, rule) === 'off')
      notes.push(`${rule} is off in this configuration: ${section} is empty.`);
  }
  const guarded = <T>(name: string, build: () => T[]): T[] => {
    try {
      return build();
    } catch (error) {
      notes.push(
        `${name}: left out after an internal error (${error instanceof Error ? error.message : String(error)}).`,
      );
      return [];
    }
  };
  const stores = guarded('stores', () => storesOf(input, ids));
  const routes = guarded('routes', () => routeEntriesOf(input, ids));
  const records = guarded('exports', () => exportsOf(input, findings, ids));
  const thirdParties = guarded('third parties', () => thirdPartiesOf(input, findings, records, ids));
  const logs = guarded('logs', () => logsOf(input, findings, ids));
  const retention = guarded('retention', () => retentionOf(input, records, findings, ids));
  const sections = { stores, routes, exports: records.map((r) => r.entry), thirdParties, logs, retention };
  // Names, paths and destinations come from scanned code: masked and escaped, once, for every format.
  return safeStrings({ version: 1 as const, summary: summarize(sections), ...sections, notes });
}
