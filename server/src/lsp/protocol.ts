import type { Inventory } from '../engine/index.js';

/**
 * Messages between the gdpr-lint server and its VS Code client, beyond LSP: the one place both
 * sides import their names and types from (the client imports types and constants only).
 */
export const STATUS_NOTIFICATION = 'gdprLint/status';
export const SCAN_WORKSPACE_REQUEST = 'gdprLint/scanWorkspace';
export const RULES_REQUEST = 'gdprLint/rules';

type ServerState = 'analysing' | 'ready' | 'error';

export interface StatusParams {
  state: ServerState;
  /** Findings shown over the whole workspace. */
  findings: number;
  files: number;
  /** Why the state is `error` (e.g. an invalid team configuration). */
  message?: string;
}

export interface ScanWorkspaceResult {
  files: number;
  findings: number;
}

export interface RuleSummary {
  id: string;
  title: string;
  docs: string;
}

/** The privacy inventory of the workspace, for the "GDPR Data Map" view. */
export const INVENTORY_REQUEST = 'gdprLint/inventory';

export interface InventoryParams {
  /** `html`: also render the self-contained HTML report (the export command). */
  format?: 'json' | 'html';
}

export interface InventoryResult {
  inventory: Inventory;
  /** The URI of every file the inventory points to, by its project path. */
  uris: Record<string, string>;
  html?: string;
}
