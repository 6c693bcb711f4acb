import { fileURLToPath } from 'node:url';
import { FileChangeType, type FileEvent, type TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { languageOf } from '../engine/index.js';
import type { Analyzer } from './analyzer.js';
import type { DiagnosticsPublisher } from './diagnostics-publisher.js';
import type { Guard } from './guard.js';
import type { OpenDocuments } from './open-documents.js';
import type { SettingsCache } from './settings.js';
import { isWatchedSource } from './watch.js';
import type { LintWorkspace } from './workspace.js';

interface SyncDeps {
  documents: TextDocuments<TextDocument>;
  open: OpenDocuments;
  workspace: () => LintWorkspace;
  analyzer: () => Analyzer;
  publisher: () => DiagnosticsPublisher;
  settings: () => SettingsCache;
  /** A configuration file changed on disk. */
  onConfigChanged: () => Promise<void>;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Keeps the project in step with the editor and the disk: open documents (their text wins over the
 * file), edits scheduled by the `run` setting, files created, changed or deleted on disk, and the
 * workspace scan that reads every analysable file.
 */
export class WorkspaceSync {
  constructor(private readonly deps: SyncDeps) {}

  /** Reads every analysable file of the folders into the project (open documents win) and queues them. */
  async scan(): Promise<void> {
    const { workspace: ws, open, analyzer, publisher } = this.deps;
    const workspace = ws();
    const found = workspace.discover();
    const onDisk = new Set(found);
    for (const path of workspace.paths()) {
      if (!onDisk.has(path) && !open.has(path)) {
        workspace.remove(path);
        analyzer().forget(path);
        publisher().clear(path);
      }
    }
    let count = 0;
    for (const path of found) {
      if (!open.has(path)) workspace.loadFromDisk(path);
      if (++count % 100 === 0) await yieldToEventLoop();
    }
    analyzer().enqueueAll(workspace.paths());
  }

  /** Registers the document and file-watching handlers. */
  listen(guard: Guard, onWatchedFiles: (handler: (changes: FileEvent[]) => Promise<void>) => void): void {
    const { documents, open, workspace, analyzer, publisher, settings } = this.deps;
    documents.onDidOpen(
      guard('didOpen', undefined, (event) => {
        const path = workspace().pathOf(event.document.uri, event.document.languageId);
        if (!path || !languageOf(path)) return;
        open.open(path, event.document.uri, event.document.version);
        analyzer().schedule(path, 0);
      }),
    );

    documents.onDidChangeContent(
      guard('didChange', undefined, async (event) => {
        const { uri, version } = event.document;
        if (open.isOpeningVersion(uri, version)) return;
        const path = workspace().pathOf(uri, event.document.languageId);
        if (!path || !open.has(path)) return;
        const current = await settings().get(uri);
        if (current.run === 'onType') analyzer().schedule(path, current.debounceMs);
      }),
    );

    documents.onDidSave(
      guard('didSave', undefined, (event) => {
        const path = workspace().pathOf(event.document.uri, event.document.languageId);
        if (path && open.has(path)) analyzer().schedule(path, 0);
      }),
    );

    documents.onDidClose(
      guard('didClose', undefined, (event) => {
        const uri = event.document.uri;
        const path = workspace().pathOf(uri, event.document.languageId);
        publisher().forgetDelivered(path);
        if (!open.close(path, uri) || !path) return;
        // The file on disk takes over; an unsaved new file leaves the project.
        if (workspace().setClosed(path)) analyzer().enqueue(path, false);
        else {
          analyzer().forget(path);
          publisher().closedAndGone(path, uri);
        }
      }),
    );

    onWatchedFiles(async (changes) => {
      let configChanged = false;
      for (const change of changes) {
        if (!change.uri.startsWith('file:')) continue;
        if (workspace().isConfigFile(fileURLToPath(change.uri))) {
          configChanged = true;
          continue;
        }
        this.fileChanged(change);
      }
      if (configChanged) await this.deps.onConfigChanged();
    });
  }

  private fileChanged(change: FileEvent): void {
    const { open, workspace: ws, analyzer, publisher } = this.deps;
    const workspace = ws();
    const path = workspace.pathOf(change.uri);
    if (!path || open.has(path) || !isWatchedSource(path, workspace)) return;
    if (change.type === FileChangeType.Deleted) {
      workspace.remove(path);
      analyzer().forget(path);
      publisher().clear(path);
    } else if (workspace.loadFromDisk(path)) {
      analyzer().enqueue(path, false);
    }
  }
}
