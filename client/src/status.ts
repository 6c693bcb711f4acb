import * as vscode from 'vscode';
import type { StatusParams } from '../../server/src/lsp/protocol.js';

/** The status bar item: finding count and the server's state (analysing, ready, error, stopped). */
export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('gdprLint.status', vscode.StatusBarAlignment.Left, 10);

  constructor() {
    this.item.name = 'GDPR Lint';
    this.item.command = 'workbench.actions.view.problems';
    this.starting();
    this.item.show();
  }

  starting(): void {
    this.set('$(loading~spin) GDPR', 'GDPR Lint: starting');
  }

  stopped(): void {
    this.set('$(circle-slash) GDPR', 'GDPR Lint: server stopped (run "GDPR Lint: Restart Server")', true);
  }

  update(status: StatusParams): void {
    const count = `${status.findings} finding${status.findings === 1 ? '' : 's'} in ${status.files} file${status.files === 1 ? '' : 's'}`;
    if (status.state === 'analysing')
      this.set(`$(loading~spin) GDPR ${status.findings}`, `GDPR Lint: analysing… (${count} so far)`);
    else if (status.state === 'error')
      this.set(`$(warning) GDPR ${status.findings}`, `GDPR Lint: ${status.message ?? 'error'}\n${count}`, true);
    else this.set(`$(shield) GDPR ${status.findings}`, `GDPR Lint: ${count}. Click to open the Problems panel.`);
  }

  private set(text: string, tooltip: string, warning = false): void {
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.backgroundColor = warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  dispose(): void {
    this.item.dispose();
  }
}
