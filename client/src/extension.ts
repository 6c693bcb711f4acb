import * as vscode from 'vscode';
import {
  LanguageClient,
  State,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import {
  RULES_REQUEST,
  SCAN_WORKSPACE_REQUEST,
  STATUS_NOTIFICATION,
  type RuleSummary,
  type ScanWorkspaceResult,
  type StatusParams,
} from '../../server/src/lsp/protocol.js';
import { StatusBar } from './status.js';
import { registerDataMap } from './data-map.js';

const LANGUAGES = ['typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'sql', 'prisma'];

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath('server/dist/lsp.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      ...LANGUAGES.map((language) => ({ scheme: 'file', language })),
      { scheme: 'file', pattern: '**/*.prisma' },
    ],
    synchronize: { configurationSection: 'gdprLint' },
    diagnosticPullOptions: { onChange: true, onSave: true },
  };
  client = new LanguageClient('gdprLint', 'GDPR Lint', serverOptions, clientOptions);
  context.subscriptions.push(registerDataMap(client));
  const status = new StatusBar();
  context.subscriptions.push(
    status,
    client.onDidChangeState((e) =>
      e.newState === State.Stopped ? status.stopped() : e.newState === State.Starting ? status.starting() : undefined,
    ),
    client.onNotification(STATUS_NOTIFICATION, (params: StatusParams) => status.update(params)),
    vscode.commands.registerCommand('gdprLint.scanWorkspace', scanWorkspace),
    vscode.commands.registerCommand('gdprLint.showOutput', () => client?.outputChannel.show()),
    vscode.commands.registerCommand('gdprLint.openRuleDocumentation', openRuleDocumentation),
    vscode.commands.registerCommand('gdprLint.restartServer', () => client?.restart()),
  );
  await client.start();
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}

async function scanWorkspace(): Promise<void> {
  if (!client) return;
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'GDPR Lint: scanning the workspace' },
    () => client!.sendRequest<ScanWorkspaceResult>(SCAN_WORKSPACE_REQUEST),
  );
  void vscode.window.showInformationMessage(
    `GDPR Lint: ${result.findings} finding(s) in ${result.files} file(s) analysed.`,
  );
}

/** Opens the doc of the rule under the cursor (or of `ruleId`), else lets the user pick a rule. */
async function openRuleDocumentation(ruleId?: string): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const here = editor
    ? vscode.languages
        .getDiagnostics(editor.document.uri)
        .find((d) => d.source === 'gdpr-lint' && d.range.contains(editor.selection.active))
    : undefined;
  const code = here?.code;
  if (!ruleId && typeof code === 'object' && code.target) {
    await vscode.env.openExternal(code.target);
    return;
  }
  const rules = (await client?.sendRequest<RuleSummary[]>(RULES_REQUEST)) ?? [];
  const picked =
    rules.find((r) => r.id === ruleId) ??
    (
      await vscode.window.showQuickPick(
        rules.map((r) => ({ label: r.id, description: r.title, rule: r })),
        { placeHolder: 'Open the documentation of a gdpr-lint rule' },
      )
    )?.rule;
  if (picked) await vscode.env.openExternal(vscode.Uri.parse(picked.docs));
}
