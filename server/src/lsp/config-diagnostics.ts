import { MessageType, ShowMessageNotification, type Connection, type Diagnostic } from 'vscode-languageserver';
import { formatConfigError, type ConfigError } from '../host/config.js';
import { SOURCE } from './convert.js';
import type { LintWorkspace } from './workspace.js';

/**
 * Problems of the team configuration, shown where they are: a diagnostic at the line and key of
 * each config file, a warning message once, and the server keeps running on the defaults.
 */
export class ConfigDiagnostics {
  /** Config files that currently show diagnostics. */
  private uris: string[] = [];
  /** One line per problem, or undefined when the configuration is valid. */
  problem: string | undefined;

  constructor(private readonly connection: Connection) {}

  /** Reloads the configuration of the workspace and publishes its problems. */
  reload(workspace: LintWorkspace, configFile: string): void {
    const root = workspace.folders[0]?.root;
    const loaded = workspace.reloadConfig(configFile);
    this.problem =
      loaded.errors.length > 0 ? loaded.errors.map((e) => formatConfigError(e, root)).join('\n') : undefined;
    const byFile = groupByFile(loaded.errors);
    const uris = [...byFile.keys()].map((file) => workspace.uriOf(file));
    for (const uri of this.uris)
      if (!uris.includes(uri)) void this.connection.sendDiagnostics({ uri, diagnostics: [] });
    for (const [file, diagnostics] of byFile)
      void this.connection.sendDiagnostics({ uri: workspace.uriOf(file), diagnostics });
    this.uris = uris;
    if (!this.problem) return;
    this.connection.console.log(`invalid gdpr-lint configuration, running on defaults:\n${this.problem}`);
    const message = `gdpr-lint: invalid configuration, running on defaults. ${loaded.errors[0] ? formatConfigError(loaded.errors[0], root) : ''}`;
    void this.connection
      .sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message })
      .catch(() => undefined);
  }
}

function groupByFile(errors: readonly ConfigError[]): Map<string, Diagnostic[]> {
  const byFile = new Map<string, Diagnostic[]>();
  for (const error of errors) {
    const position = { line: Math.max(0, error.line - 1), character: Math.max(0, error.column - 1) };
    const list = byFile.get(error.file) ?? [];
    list.push({
      range: { start: position, end: position },
      severity: 1,
      source: SOURCE,
      message: `${error.key}: ${error.message}`,
    });
    byFile.set(error.file, list);
  }
  return byFile;
}
