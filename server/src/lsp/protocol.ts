/**
 * Messages between the gdpr-lint server and its VS Code client, beyond LSP.
 * client/src/protocol.ts mirrors these names (a test checks that they agree).
 */
export const STATUS_NOTIFICATION = 'gdprLint/status';
export const SCAN_WORKSPACE_REQUEST = 'gdprLint/scanWorkspace';
export const RULES_REQUEST = 'gdprLint/rules';

export type ServerState = 'analysing' | 'ready' | 'error';

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
