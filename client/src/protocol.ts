/** Messages of the gdpr-lint server beyond LSP: mirrors server/src/lsp/protocol.ts (a test checks that they agree). */
export const STATUS_NOTIFICATION = 'gdprLint/status';
export const SCAN_WORKSPACE_REQUEST = 'gdprLint/scanWorkspace';
export const RULES_REQUEST = 'gdprLint/rules';

export type ServerState = 'analysing' | 'ready' | 'error';

export interface StatusParams {
  state: ServerState;
  findings: number;
  files: number;
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
