import {
  CodeActionKind,
  CodeLensRefreshRequest,
  DidChangeWatchedFilesNotification,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { languageOf, LineIndex, type RulePack } from '../engine/index.js';
import { loadRulePack } from '../host/rulepack.js';
import { Analyzer } from './analyzer.js';
import { codeActions, FIX_ALL_KIND } from './code-actions.js';
import { codeLenses } from './code-lens.js';
import { ConfigDiagnostics } from './config-diagnostics.js';
import { SOURCE, toOffset, type ConvertContext } from './convert.js';
import { DiagnosticsPublisher } from './diagnostics-publisher.js';
import { guardFor, raceCancel } from './guard.js';
import { hover } from './hover.js';
import { registerInventoryRequest } from './inventory.js';
import { OpenDocuments } from './open-documents.js';
import {
  RULES_REQUEST,
  SCAN_WORKSPACE_REQUEST,
  STATUS_NOTIFICATION,
  type RuleSummary,
  type ScanWorkspaceResult,
  type StatusParams,
} from './protocol.js';
import { SettingsCache, type Settings } from './settings.js';
import { WATCHED_GLOBS } from './watch.js';
import { LintWorkspace } from './workspace.js';
import { WorkspaceSync } from './workspace-sync.js';

interface ClientSupport {
  pull: boolean;
  refresh: boolean;
  codeLensRefresh: boolean;
  snippets: boolean;
  configuration: boolean;
  watchRegistration: boolean;
  workDoneProgress: boolean;
}

/**
 * Wires a connection (stdio, IPC or socket) to the engine: the publisher delivers diagnostics,
 * the sync keeps the project in step with documents and disk, the config diagnostics report the
 * team configuration, and the handlers below answer the editor's feature requests.
 */
export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const open = new OpenDocuments();
  const guard = guardFor(connection);
  let pack: RulePack;
  let workspace: LintWorkspace;
  let settings: SettingsCache;
  let support: ClientSupport;
  let publisher: DiagnosticsPublisher;
  let initialScan: Promise<void> = Promise.resolve();
  const config = new ConfigDiagnostics(connection);

  // A promise nobody awaited (a notification to a client that went away...) must not end the process.
  process.on('unhandledRejection', (reason) =>
    connection.console.error(
      `unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`,
    ),
  );

  const convertContext = (): ConvertContext => ({
    pack,
    uriOf: (path) => workspace.uriOf(path),
    linesOf: (path) => workspace.lines(path),
  });
  const resourceOf = (path: string): string =>
    open.uriOf(path) ??
    workspace.folders.find((f) => f.prefix !== '' && path.startsWith(f.prefix))?.uri ??
    workspace.folders[0]?.uri ??
    '';
  const settingsFor = (path: string): Promise<Settings> => settings.get(resourceOf(path));

  const status = () => {
    let findings = 0;
    let files = 0;
    for (const result of analyzer.results.values()) {
      findings += result.diagnostics.length;
      if (result.diagnostics.length > 0) files++;
    }
    const state = analyzer.busy ? 'analysing' : config.problem ? 'error' : 'ready';
    const params: StatusParams = { state, findings, files, ...(config.problem ? { message: config.problem } : {}) };
    void connection.sendNotification(STATUS_NOTIFICATION, params);
  };

  let lensTimer: NodeJS.Timeout | undefined;
  const refreshLenses = () => {
    if (!support.codeLensRefresh) return;
    clearTimeout(lensTimer);
    lensTimer = setTimeout(() => void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined), 100);
  };

  const analyzer = new Analyzer({
    workspace: () => workspace,
    openDocument: (path) => {
      const uri = open.uriOf(path);
      const document = uri ? documents.get(uri) : undefined;
      return document ? { uri: document.uri, version: document.version, text: document.getText() } : undefined;
    },
    settingsFor,
    convertContext,
    onResult: (analysis, previous) => publisher.onResult(analysis, previous),
    onBusy: (busy) => {
      status();
      if (!busy) publisher.onIdle();
    },
    onFactsChange: refreshLenses,
    log: (message) => connection.console.log(message),
  });

  const loadConfig = async () => {
    const folder = workspace.folders[0];
    config.reload(workspace, folder ? (await settings.get(folder.uri)).configFile : '');
  };
  const sync = new WorkspaceSync({
    documents,
    open,
    workspace: () => workspace,
    analyzer: () => analyzer,
    publisher: () => publisher,
    settings: () => settings,
    onConfigChanged: () => reloadEverything(),
  });
  const reloadEverything = async () => {
    settings.changed(undefined);
    await loadConfig();
    await sync.scan();
    if (support.codeLensRefresh) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    pack = loadRulePack();
    const capabilities = params.capabilities;
    support = {
      pull: capabilities.textDocument?.diagnostic !== undefined,
      refresh: capabilities.workspace?.diagnostics?.refreshSupport === true,
      codeLensRefresh: capabilities.workspace?.codeLens?.refreshSupport === true,
      snippets: capabilities.workspace?.workspaceEdit?.snippetEditSupport === true,
      configuration: capabilities.workspace?.configuration === true,
      watchRegistration: capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true,
      workDoneProgress: capabilities.window?.workDoneProgress === true,
    };
    const folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: '' }] : []);
    workspace = new LintWorkspace(LintWorkspace.foldersOf(folders), pack);
    settings = new SettingsCache(connection, support.configuration);
    settings.changed({ gdprLint: (params.initializationOptions as { settings?: unknown } | undefined)?.settings });
    publisher = new DiagnosticsPublisher({
      connection,
      documents,
      open,
      workspace: () => workspace,
      analyzer: () => analyzer,
      settings: () => settings,
      pull: support.pull,
      refresh: support.refresh,
    });
    publisher.listen(guard, () => initialScan);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
        hoverProvider: true,
        codeLensProvider: { resolveProvider: false },
        ...(support.pull
          ? { diagnosticProvider: { identifier: SOURCE, interFileDependencies: true, workspaceDiagnostics: true } }
          : {}),
      },
      serverInfo: { name: 'gdpr-lint', version: pack.version },
    };
  });

  connection.onInitialized(
    guard('initialized', undefined, () => {
      if (support.watchRegistration) {
        void connection.client.register(DidChangeWatchedFilesNotification.type, {
          watchers: WATCHED_GLOBS.map((globPattern) => ({ globPattern })),
        });
      }
      initialScan = (async () => {
        const progress = support.workDoneProgress
          ? await connection.window.createWorkDoneProgress().catch(() => undefined)
          : undefined;
        progress?.begin('gdpr-lint: scanning the workspace', 0, 'reading files', false);
        await loadConfig();
        await sync.scan();
        // Open documents stay first in the queue: the file being edited never waits for the workspace.
        const total = Math.max(1, analyzer.queued);
        const timer = progress
          ? setInterval(
              () =>
                progress.report(
                  Math.round(((total - analyzer.queued) / total) * 100),
                  `${total - analyzer.queued}/${total} files`,
                ),
              250,
            )
          : undefined;
        await analyzer.whenIdle();
        clearInterval(timer);
        progress?.done();
      })().catch((error: unknown) => connection.console.error(`workspace scan failed: ${String(error)}`));
    }),
  );

  sync.listen(guard, (handler) =>
    connection.onDidChangeWatchedFiles(guard('didChangeWatchedFiles', undefined, (params) => handler(params.changes))),
  );

  connection.onDidChangeConfiguration(
    guard('didChangeConfiguration', undefined, async (params) => {
      settings.changed(params.settings);
      await reloadEverything();
    }),
  );

  connection.onCodeAction(
    guard('codeAction', [], (params) => {
      const document = documents.get(params.textDocument.uri);
      const path = workspace.pathOf(params.textDocument.uri, document?.languageId);
      if (!path) return [];
      return codeActions(params, {
        uri: params.textDocument.uri,
        version: document?.version ?? null,
        analysis: analyzer.results.get(path),
        view: workspace.project.file(path),
        snippets: support.snippets,
      });
    }),
  );

  connection.onHover(
    guard('hover', null, (params) => {
      const document = documents.get(params.textDocument.uri);
      const path = workspace.pathOf(params.textDocument.uri, document?.languageId);
      const language = path ? languageOf(path) : undefined;
      if (!document || !path || !language) return null;
      const text = document.getText();
      const analysis = analyzer.results.get(path);
      const view = workspace.project.file(path);
      return (
        hover({
          config: workspace.config,
          language,
          text,
          offset: toOffset(new LineIndex(text), params.position),
          analysis: analysis && analysis.text === text ? analysis : undefined,
          view: view && view.text === text ? view : undefined,
          facts: workspace.project.facts,
          path,
        }) ?? null
      );
    }),
  );

  connection.onCodeLens(
    guard('codeLens', [], async (params, token) => {
      const document = documents.get(params.textDocument.uri);
      const path = workspace.pathOf(params.textDocument.uri, document?.languageId);
      if (!path || !workspace.has(path)) return [];
      const current = await settings.get(params.textDocument.uri);
      if (!current.enable || !current.codeLens) return [];
      const analysis = await raceCancel(analyzer.whenAnalysed(path), token);
      // Lenses are placed from the analysed text: none while it differs from the editor's (onSave mode).
      if (!analysis || (document && analysis.text !== document.getText())) return [];
      return codeLenses(workspace.project, path, analysis.lines);
    }),
  );

  connection.onRequest(
    SCAN_WORKSPACE_REQUEST,
    guard('scanWorkspace', { files: 0, findings: 0 }, async (): Promise<ScanWorkspaceResult> => {
      await loadConfig();
      await sync.scan();
      await analyzer.whenIdle();
      let findings = 0;
      for (const result of analyzer.results.values()) findings += result.diagnostics.length;
      return { files: workspace.paths().length, findings };
    }),
  );

  connection.onRequest(
    RULES_REQUEST,
    guard('rules', [], (): RuleSummary[] =>
      Object.values(workspace.config.pack.rules).map((r) => ({ id: r.id, title: r.title, docs: r.docs })),
    ),
  );

  registerInventoryRequest(connection, { workspace: () => workspace, analyzer, ready: () => initialScan });

  documents.listen(connection);
  connection.listen();
}
