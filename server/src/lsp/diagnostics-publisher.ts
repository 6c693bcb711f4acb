import {
  DocumentDiagnosticReportKind,
  type CancellationToken,
  type Connection,
  type DocumentDiagnosticReport,
  type TextDocuments,
  type WorkspaceDocumentDiagnosticReport,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analyzer, FileAnalysis } from './analyzer.js';
import { raceCancel, type Guard } from './guard.js';
import type { OpenDocuments } from './open-documents.js';
import type { SettingsCache } from './settings.js';
import type { LintWorkspace } from './workspace.js';

interface PublisherDeps {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  open: OpenDocuments;
  workspace: () => LintWorkspace;
  analyzer: () => Analyzer;
  settings: () => SettingsCache;
  /** The client pulls diagnostics (LSP 3.17) rather than receiving them. */
  pull: boolean;
  /** A pull client that accepts `workspace/diagnostic/refresh`. */
  refresh: boolean;
}

const EMPTY: DocumentDiagnosticReport = { kind: DocumentDiagnosticReportKind.Full, items: [] };

/**
 * Delivers diagnostics the way the client wants them. Push: sends each file's diagnostics when they
 * change, and clears what it sent when a file goes away. Pull: answers document and workspace
 * requests with result ids (unchanged results cost nothing) and asks the client to pull again
 * when an open document's results changed without an edit (facts changed in another file).
 */
export class DiagnosticsPublisher {
  /** Push: files whose diagnostics the client currently shows. */
  private readonly published = new Set<string>();
  /** Pull: the result id each open document's last pull returned. */
  private readonly delivered = new Map<string, string>();
  private refreshTimer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: PublisherDeps) {}

  /** A file was analysed (push mode sends what changed). */
  onResult(analysis: FileAnalysis, previous: FileAnalysis | undefined): void {
    if (this.deps.pull) return;
    const open = this.deps.open.has(analysis.path);
    if (!open && analysis.diagnostics.length === 0 && !this.published.has(analysis.path)) return;
    if (!open && previous && previous.resultId === analysis.resultId && this.published.has(analysis.path)) return;
    if (analysis.diagnostics.length > 0) this.published.add(analysis.path);
    else this.published.delete(analysis.path);
    const version = open && analysis.version !== null ? { version: analysis.version } : {};
    void this.deps.connection.sendDiagnostics({
      uri: this.deps.workspace().uriOf(analysis.path),
      ...version,
      diagnostics: analysis.diagnostics,
    });
  }

  /** The analyzer went idle: a pull client re-pulls open documents whose results moved on. */
  onIdle(): void {
    if (!this.deps.pull || !this.deps.refresh) return;
    const analyzer = this.deps.analyzer();
    const stale = [...this.deps.open.paths()].some((p) => {
      const result = analyzer.results.get(p);
      const delivered = this.delivered.get(p);
      return result !== undefined && delivered !== undefined && delivered !== result.resultId;
    });
    if (!stale) return;
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(
      () => void this.deps.connection.languages.diagnostics.refresh().catch(() => undefined),
      50,
    );
  }

  /** The file left the project: the client must not keep showing its diagnostics. */
  clear(path: string): void {
    if (this.deps.pull || !this.published.delete(path)) return;
    void this.deps.connection.sendDiagnostics({ uri: this.deps.workspace().uriOf(path), diagnostics: [] });
  }

  /** A document was closed and its file is gone from the project (an unsaved new file). */
  closedAndGone(path: string, uri: string): void {
    this.clear(path);
    if (!this.deps.pull) void this.deps.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  forgetDelivered(path: string | undefined): void {
    this.delivered.delete(path ?? '');
  }

  /** Registers the pull handlers (`textDocument/diagnostic`, `workspace/diagnostic`). */
  listen(guard: Guard, initialScan: () => Promise<void>): void {
    const { connection } = this.deps;
    connection.languages.diagnostics.on(
      guard('textDocument/diagnostic', EMPTY, (params, token) =>
        this.document(params.textDocument.uri, params.previousResultId, token),
      ),
    );
    connection.languages.diagnostics.onWorkspace(
      guard('workspace/diagnostic', { items: [] }, async (params, token) => {
        await raceCancel(initialScan(), token);
        return { items: this.workspaceReports(new Map(params.previousResultIds.map((p) => [p.uri, p.value]))) };
      }),
    );
  }

  private async document(
    uri: string,
    previousResultId: string | undefined,
    token: CancellationToken,
  ): Promise<DocumentDiagnosticReport> {
    const document = this.deps.documents.get(uri);
    const path = this.deps.workspace().pathOf(uri, document?.languageId);
    if (!path) return EMPTY;
    const analyzer = this.deps.analyzer();
    if (document && this.deps.open.has(path) && !analyzer.isPending(path)) {
      const result = analyzer.results.get(path);
      const current = await this.deps.settings().get(uri);
      if (!result || (current.run === 'onType' && result.version !== document.version)) analyzer.schedule(path, 0);
    }
    const result = await raceCancel(analyzer.whenAnalysed(path), token);
    if (!result) return EMPTY;
    if (this.deps.open.has(path)) this.delivered.set(path, result.resultId);
    if (previousResultId === result.resultId)
      return { kind: DocumentDiagnosticReportKind.Unchanged, resultId: result.resultId };
    return { kind: DocumentDiagnosticReportKind.Full, resultId: result.resultId, items: result.diagnostics };
  }

  /** Closed files' reports: unchanged ones by id, files that disappeared emptied. */
  private workspaceReports(previous: Map<string, string>): WorkspaceDocumentDiagnosticReport[] {
    const workspace = this.deps.workspace();
    const items: WorkspaceDocumentDiagnosticReport[] = [];
    const reported = new Set<string>();
    for (const [path, result] of this.deps.analyzer().results) {
      if (this.deps.open.has(path)) continue;
      const uri = workspace.uriOf(path);
      reported.add(uri);
      const before = previous.get(uri);
      if (before === result.resultId)
        items.push({ kind: DocumentDiagnosticReportKind.Unchanged, uri, version: null, resultId: result.resultId });
      else if (result.diagnostics.length > 0 || before !== undefined)
        items.push({
          kind: DocumentDiagnosticReportKind.Full,
          uri,
          version: null,
          resultId: result.resultId,
          items: result.diagnostics,
        });
    }
    for (const uri of previous.keys()) {
      if (reported.has(uri) || this.deps.documents.get(uri)) continue;
      items.push({ kind: DocumentDiagnosticReportKind.Full, uri, version: null, items: [] });
    }
    return items;
  }
}
