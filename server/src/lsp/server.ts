import {
  CodeActionKind,
  CodeLensRefreshRequest,
  DidChangeWatchedFilesNotification,
  DocumentDiagnosticReportKind,
  LSPErrorCodes,
  MessageType,
  FileChangeType,
  ResponseError,
  ShowMessageNotification,
  TextDocuments,
  TextDocumentSyncKind,
  type CancellationToken,
  type Connection,
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
  type WorkspaceDocumentDiagnosticReport,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { fileURLToPath } from 'node:url';
import { languageOf, LineIndex, type RulePack } from '../engine/index.js';
import { formatConfigError } from '../host/config.js';
import { loadRulePack } from '../host/rulepack.js';
import { Analyzer, type FileAnalysis } from './analyzer.js';
import { codeActions, FIX_ALL_KIND } from './code-actions.js';
import { codeLenses } from './code-lens.js';
import { SOURCE, toOffset, type ConvertContext } from './convert.js';
import { hover } from './hover.js';
import { registerInventoryRequest } from './inventory.js';
import { RULES_REQUEST, SCAN_WORKSPACE_REQUEST, STATUS_NOTIFICATION, type RuleSummary, type ScanWorkspaceResult, type StatusParams } from './protocol.js';
import { SettingsCache, type Settings } from './settings.js';
import { isWatchedSource, WATCHED_GLOBS } from './watch.js';
import { LintWorkspace } from './workspace.js';

interface ClientSupport {
  pull: boolean;
  refresh: boolean;
  codeLensRefresh: boolean;
  snippets: boolean;
  configuration: boolean;
  watchRegistration: boolean;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Wires a connection (stdio, IPC or socket) to the engine. Every handler is guarded: a document never kills the server. */
export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  let pack: RulePack;
  let workspace: LintWorkspace;
  let settings: SettingsCache;
  let support: ClientSupport;
  /** Open documents: project path -> uri, and the version each was opened at. */
  const openPaths = new Map<string, string>();
  const openedAt = new Map<string, number>();
  /** Pull mode: the result id each open document's last pull returned. */
  const delivered = new Map<string, string>();
  /** Push mode: files whose diagnostics the client currently shows. */
  const published = new Set<string>();
  let configProblem: string | undefined;
  let configDiagnosticsUris: string[] = [];
  let initialScan: Promise<void> = Promise.resolve();

  const log = (message: string) => connection.console.log(message);
  // A promise nobody awaited (a notification to a client that went away...) must not end the process.
  process.on('unhandledRejection', (reason) => connection.console.error(`unhandled rejection: ${reason instanceof Error ? reason.stack ?? reason.message : String(reason)}`));
  const guard = <A extends unknown[], R>(name: string, fallback: R, handler: (...args: A) => R | Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await handler(...args);
      } catch (error) {
        if (error instanceof ResponseError) throw error;
        connection.console.error(`${name} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
        return fallback;
      }
    };

  const convertContext = (): ConvertContext => ({
    pack,
    uriOf: (path) => workspace.uriOf(path),
    linesOf: (path) => workspace.lines(path),
  });

  const resourceOf = (path: string): string => {
    const open = openPaths.get(path);
    if (open) return open;
    return workspace.folders.find((f) => f.prefix !== '' && path.startsWith(f.prefix))?.uri ?? workspace.folders[0]?.uri ?? '';
  };
  const settingsFor = (path: string): Promise<Settings> => settings.get(resourceOf(path));

  const status = () => {
    let findings = 0;
    let files = 0;
    for (const result of analyzer.results.values()) {
      findings += result.diagnostics.length;
      if (result.diagnostics.length > 0) files++;
    }
    const state = analyzer.busy ? 'analysing' : configProblem ? 'error' : 'ready';
    const params: StatusParams = { state, findings, files, ...(configProblem ? { message: configProblem } : {}) };
    void connection.sendNotification(STATUS_NOTIFICATION, params);
  };

  let refreshTimer: NodeJS.Timeout | undefined;
  let lensTimer: NodeJS.Timeout | undefined;
  const onResult = (analysis: FileAnalysis, previous: FileAnalysis | undefined) => {
    const uri = workspace.uriOf(analysis.path);
    if (support.pull) return;
    const open = openPaths.has(analysis.path);
    if (!open && analysis.diagnostics.length === 0 && !published.has(analysis.path)) return;
    if (!open && previous && previous.resultId === analysis.resultId && published.has(analysis.path)) return;
    if (analysis.diagnostics.length > 0) published.add(analysis.path);
    else published.delete(analysis.path);
    void connection.sendDiagnostics({ uri, ...(open && analysis.version !== null ? { version: analysis.version } : {}), diagnostics: analysis.diagnostics });
  };

  const analyzer = new Analyzer({
    workspace: () => workspace,
    openDocument: (path) => {
      const uri = openPaths.get(path);
      const document = uri ? documents.get(uri) : undefined;
      return document ? { uri: document.uri, version: document.version, text: document.getText() } : undefined;
    },
    settingsFor,
    convertContext,
    onResult,
    onBusy: (busy) => {
      status();
      if (busy || !support.pull || !support.refresh) return;
      // Results of open documents changed without the client asking (facts changed elsewhere): make it pull again.
      const stale = [...openPaths.keys()].some((p) => {
        const result = analyzer.results.get(p);
        return result !== undefined && delivered.get(p) !== undefined && delivered.get(p) !== result.resultId;
      });
      if (stale) {
        clearTimeout(refreshTimer);
        refreshTimer = setTimeout(() => void connection.languages.diagnostics.refresh().catch(() => undefined), 50);
      }
    },
    onFactsChange: () => {
      if (!support.codeLensRefresh) return;
      clearTimeout(lensTimer);
      lensTimer = setTimeout(() => void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined), 100);
    },
    log,
  });

  const clearPublished = (path: string) => {
    if (support.pull || !published.delete(path)) return;
    void connection.sendDiagnostics({ uri: workspace.uriOf(path), diagnostics: [] });
  };

  /** Loads the team configuration; its problems become diagnostics on the config file and a status. */
  const loadConfig = async () => {
    const folder = workspace.folders[0];
    const folderSettings = folder ? await settings.get(folder.uri) : undefined;
    const loaded = workspace.reloadConfig(folderSettings?.configFile ?? '');
    configProblem = loaded.errors.length > 0 ? loaded.errors.map((e) => formatConfigError(e, folder?.root)).join('\n') : undefined;
    const byFile = new Map<string, Diagnostic[]>();
    for (const error of loaded.errors) {
      const position = { line: Math.max(0, error.line - 1), character: Math.max(0, error.column - 1) };
      const list = byFile.get(error.file) ?? [];
      list.push({ range: { start: position, end: position }, severity: 1, source: SOURCE, message: `${error.key}: ${error.message}` });
      byFile.set(error.file, list);
    }
    const uris = [...byFile.keys()].map((file) => workspace.uriOf(file));
    for (const uri of configDiagnosticsUris) if (!uris.includes(uri)) void connection.sendDiagnostics({ uri, diagnostics: [] });
    for (const [file, diagnostics] of byFile) void connection.sendDiagnostics({ uri: workspace.uriOf(file), diagnostics });
    configDiagnosticsUris = uris;
    if (configProblem) {
      log(`invalid gdpr-lint configuration, running on defaults:\n${configProblem}`);
      const message = `gdpr-lint: invalid configuration, running on defaults. ${loaded.errors[0] ? formatConfigError(loaded.errors[0], folder?.root) : ''}`;
      void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message }).catch(() => undefined);
    }
  };

  /** Reads every analysable file of the folders into the project (open documents win) and queues them. */
  const scanWorkspace = async () => {
    const found = workspace.discover();
    const onDisk = new Set(found);
    for (const path of workspace.paths()) {
      if (!onDisk.has(path) && !openPaths.has(path)) {
        workspace.remove(path);
        analyzer.forget(path);
        clearPublished(path);
      }
    }
    let count = 0;
    for (const path of found) {
      if (!openPaths.has(path)) workspace.loadFromDisk(path);
      if (++count % 100 === 0) await yieldToEventLoop();
    }
    analyzer.enqueueAll(workspace.paths());
  };

  const reloadEverything = async () => {
    settings.changed(undefined);
    await loadConfig();
    await scanWorkspace();
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
    };
    const folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: '' }] : []);
    workspace = new LintWorkspace(LintWorkspace.foldersOf(folders), pack);
    settings = new SettingsCache(connection, support.configuration);
    settings.changed({ gdprLint: (params.initializationOptions as { settings?: unknown } | undefined)?.settings });
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
        hoverProvider: true,
        codeLensProvider: { resolveProvider: false },
        ...(support.pull ? { diagnosticProvider: { identifier: SOURCE, interFileDependencies: true, workspaceDiagnostics: true } } : {}),
      },
      serverInfo: { name: 'gdpr-lint', version: pack.version },
    };
  });

  connection.onInitialized(guard('initialized', undefined, async () => {
    if (support.watchRegistration) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: WATCHED_GLOBS.map((globPattern) => ({ globPattern })) });
    }
    initialScan = (async () => {
      await loadConfig();
      await scanWorkspace();
      await analyzer.whenIdle();
    })().catch((error: unknown) => connection.console.error(`workspace scan failed: ${String(error)}`));
  }));

  documents.onDidOpen(guard('didOpen', undefined, (event) => {
    const path = workspace.pathOf(event.document.uri, event.document.languageId);
    if (!path || !languageOf(path)) return;
    openPaths.set(path, event.document.uri);
    openedAt.set(event.document.uri, event.document.version);
    analyzer.schedule(path, 0);
  }));

  documents.onDidChangeContent(guard('didChange', undefined, async (event) => {
    const { uri, version } = event.document;
    if (openedAt.get(uri) === version) return;
    const path = workspace.pathOf(uri, event.document.languageId);
    if (!path || !openPaths.has(path)) return;
    const current = await settings.get(uri);
    if (current.run === 'onType') analyzer.schedule(path, current.debounceMs);
  }));

  documents.onDidSave(guard('didSave', undefined, (event) => {
    const path = workspace.pathOf(event.document.uri, event.document.languageId);
    if (path && openPaths.has(path)) analyzer.schedule(path, 0);
  }));

  documents.onDidClose(guard('didClose', undefined, (event) => {
    const path = workspace.pathOf(event.document.uri, event.document.languageId);
    openedAt.delete(event.document.uri);
    delivered.delete(path ?? '');
    if (!path || !openPaths.has(path)) return;
    openPaths.delete(path);
    if (workspace.setClosed(path)) analyzer.enqueue(path, false);
    else {
      analyzer.forget(path);
      clearPublished(path);
      if (!support.pull) void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
    }
  }));

  connection.onDidChangeConfiguration(guard('didChangeConfiguration', undefined, async (params) => {
    settings.changed(params.settings);
    await reloadEverything();
  }));

  connection.onDidChangeWatchedFiles(guard('didChangeWatchedFiles', undefined, async (params) => {
    let configChanged = false;
    for (const change of params.changes) {
      if (!change.uri.startsWith('file:')) continue;
      const absolute = fileURLToPath(change.uri);
      if (workspace.isConfigFile(absolute)) {
        configChanged = true;
        continue;
      }
      const path = workspace.pathOf(change.uri);
      if (!path || openPaths.has(path) || !isWatchedSource(path, workspace)) continue;
      if (change.type === FileChangeType.Deleted) {
        workspace.remove(path);
        analyzer.forget(path);
        clearPublished(path);
      } else if (workspace.loadFromDisk(path)) {
        analyzer.enqueue(path, false);
      }
    }
    if (configChanged) await reloadEverything();
  }));

  const raceCancel = <T>(promise: Promise<T>, token: CancellationToken): Promise<T> =>
    new Promise((resolve, reject) => {
      const listener = token.onCancellationRequested(() => reject(new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled')));
      promise.then((value) => { listener.dispose(); resolve(value); }, (error: unknown) => { listener.dispose(); reject(error); });
    });

  connection.languages.diagnostics.on(guard('textDocument/diagnostic', { kind: DocumentDiagnosticReportKind.Full, items: [] }, async (params, token) => {
    const uri = params.textDocument.uri;
    const document = documents.get(uri);
    const path = workspace.pathOf(uri, document?.languageId);
    if (!path) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
    if (document && openPaths.has(path) && !analyzer.isPending(path)) {
      const result = analyzer.results.get(path);
      const current = await settings.get(uri);
      if (!result || (current.run === 'onType' && result.version !== document.version)) analyzer.schedule(path, 0);
    }
    const result = await raceCancel(analyzer.whenAnalysed(path), token);
    if (!result) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
    if (openPaths.has(path)) delivered.set(path, result.resultId);
    if (params.previousResultId === result.resultId) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId: result.resultId };
    return { kind: DocumentDiagnosticReportKind.Full, resultId: result.resultId, items: result.diagnostics };
  }));

  connection.languages.diagnostics.onWorkspace(guard('workspace/diagnostic', { items: [] }, async (params, token) => {
    await raceCancel(initialScan, token);
    const previous = new Map(params.previousResultIds.map((p) => [p.uri, p.value]));
    const items: WorkspaceDocumentDiagnosticReport[] = [];
    const reported = new Set<string>();
    for (const [path, result] of analyzer.results) {
      if (openPaths.has(path)) continue;
      const uri = workspace.uriOf(path);
      reported.add(uri);
      const before = previous.get(uri);
      if (before === result.resultId) items.push({ kind: DocumentDiagnosticReportKind.Unchanged, uri, version: null, resultId: result.resultId });
      else if (result.diagnostics.length > 0 || before !== undefined) items.push({ kind: DocumentDiagnosticReportKind.Full, uri, version: null, resultId: result.resultId, items: result.diagnostics });
    }
    for (const uri of previous.keys()) {
      if (reported.has(uri) || documents.get(uri)) continue;
      items.push({ kind: DocumentDiagnosticReportKind.Full, uri, version: null, items: [] });
    }
    return { items };
  }));

  connection.onCodeAction(guard('codeAction', [], (params) => {
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
  }));

  connection.onHover(guard('hover', null, (params) => {
    const document = documents.get(params.textDocument.uri);
    const path = workspace.pathOf(params.textDocument.uri, document?.languageId);
    const language = path ? languageOf(path) : undefined;
    if (!document || !path || !language) return null;
    const text = document.getText();
    const analysis = analyzer.results.get(path);
    const view = workspace.project.file(path);
    return hover({
      config: workspace.config,
      language,
      text,
      offset: toOffset(new LineIndex(text), params.position),
      analysis: analysis && analysis.text === text ? analysis : undefined,
      view: view && view.text === text ? view : undefined,
      facts: workspace.project.facts,
      path,
    }) ?? null;
  }));

  connection.onCodeLens(guard('codeLens', [], async (params, token) => {
    const document = documents.get(params.textDocument.uri);
    const path = workspace.pathOf(params.textDocument.uri, document?.languageId);
    if (!path || !workspace.has(path)) return [];
    const current = await settings.get(params.textDocument.uri);
    if (!current.enable || !current.codeLens) return [];
    const analysis = await raceCancel(analyzer.whenAnalysed(path), token);
    // Lenses are placed from the analysed text: none while it differs from the editor's (onSave mode).
    if (!analysis || (document && analysis.text !== document.getText())) return [];
    return codeLenses(workspace.project, path, analysis.lines);
  }));

  connection.onRequest(SCAN_WORKSPACE_REQUEST, guard('scanWorkspace', { files: 0, findings: 0 }, async (): Promise<ScanWorkspaceResult> => {
    await loadConfig();
    await scanWorkspace();
    await analyzer.whenIdle();
    let findings = 0;
    for (const result of analyzer.results.values()) findings += result.diagnostics.length;
    return { files: workspace.paths().length, findings };
  }));

  connection.onRequest(RULES_REQUEST, guard('rules', [], (): RuleSummary[] =>
    Object.values(workspace.config.pack.rules).map((r) => ({ id: r.id, title: r.title, docs: r.docs }))));

  registerInventoryRequest(connection, { workspace: () => workspace, analyzer, ready: () => initialScan });

  documents.listen(connection);
  connection.listen();
}
