/** A real LSP client over stdio for the language server tests: spawns a bundle built into a temp dir. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import type {
  ClientCapabilities,
  Diagnostic,
  InitializeResult,
  PublishDiagnosticsParams,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { REPO_ROOT } from '../helpers.js';

const temporary: string[] = [];

/** Removes the bundles and workspaces this test file made (call in its last afterAll). */
export function removeTemporaryDirs(): void {
  for (const dir of temporary.splice(0)) rmSync(dir, { recursive: true, force: true });
}

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temporary.push(dir);
  return dir;
}

/** Builds an entry (the server, or the CLI) into its own temp dir, so it never races with the project build. */
export async function buildEntry(entry: string, name: string): Promise<string> {
  const dir = tempDir('gdpr-lint-lsp-test-');
  const outfile = join(dir, `${name}.js`);
  await build({
    entryPoints: [join(REPO_ROOT, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'error',
  });
  return outfile;
}

export function makeWorkspace(files: Record<string, string>): string {
  const root = tempDir('gdpr-lint-lsp-ws-');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

export const uriOf = (root: string, path: string) => pathToFileURL(join(root, path)).href;

export const PUSH_CAPABILITIES: ClientCapabilities = {
  workspace: { configuration: true, workspaceEdit: { documentChanges: true } },
  textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true }, codeAction: {}, hover: {} },
};

export const PULL_CAPABILITIES: ClientCapabilities = {
  workspace: {
    configuration: true,
    diagnostics: { refreshSupport: true },
    workspaceEdit: { documentChanges: true, snippetEditSupport: true },
  },
  textDocument: { diagnostic: { relatedDocumentSupport: false }, codeAction: {}, hover: {} },
};

interface StartOptions {
  capabilities?: ClientCapabilities;
  settings?: Record<string, unknown>;
  args?: string[];
}

/** One language server process and the client end of its connection. */
export class TestClient {
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  /** Every publication, in order. */
  readonly published: PublishDiagnosticsParams[] = [];
  readonly logs: string[] = [];
  readonly statuses: { state: string; findings: number; message?: string }[] = [];
  /** `$/progress` values, with when they arrived relative to the diagnostics published (their count then). */
  readonly progress: { kind: string; message?: string; percentage?: number; publishedBefore: number }[] = [];
  refreshRequests = 0;
  settings: Record<string, unknown>;
  private readonly versions = new Map<string, number>();
  private readonly texts = new Map<string, string>();
  private listeners: (() => void)[] = [];

  private constructor(
    readonly connection: MessageConnection,
    readonly child: ChildProcess,
    settings: Record<string, unknown>,
  ) {
    this.settings = settings;
  }

  static async start(
    bundle: string,
    root: string,
    options: StartOptions = {},
  ): Promise<{ client: TestClient; init: InitializeResult }> {
    const child = spawn(process.execPath, [bundle, ...(options.args ?? ['--stdio'])], {
      env: { ...process.env, GDPR_LINT_HOME: REPO_ROOT },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child.stderr!.on('data', () => undefined);
    const connection = createMessageConnection(
      new StreamMessageReader(child.stdout!),
      new StreamMessageWriter(child.stdin!),
    );
    const client = new TestClient(connection, child, options.settings ?? {});
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      client.diagnostics.set(params.uri, params);
      client.published.push(params);
      client.notify();
    });
    connection.onNotification('window/logMessage', (params: { message: string }) => {
      client.logs.push(params.message);
      client.notify();
    });
    connection.onNotification(
      '$/progress',
      (params: { value: { kind: string; message?: string; percentage?: number } }) => {
        client.progress.push({ ...params.value, publishedBefore: client.published.length });
        client.notify();
      },
    );
    connection.onNotification('gdprLint/status', (params: { state: string; findings: number; message?: string }) => {
      client.statuses.push(params);
      client.notify();
    });
    connection.onNotification('window/showMessage', (params: { message: string }) => client.logs.push(params.message));
    connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) =>
      params.items.map(() => client.settings),
    );
    connection.onRequest('client/registerCapability', () => null);
    connection.onRequest('window/workDoneProgress/create', () => null);
    connection.onRequest('workspace/diagnostic/refresh', () => {
      client.refreshRequests++;
      client.notify();
      return null;
    });
    connection.onRequest('workspace/codeLens/refresh', () => null);
    connection.onRequest('window/showMessageRequest', (params: { message: string }) => {
      client.logs.push(params.message);
      return null;
    });
    connection.listen();
    const init = await connection.sendRequest<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(root).href,
      workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'ws' }],
      capabilities: options.capabilities ?? PUSH_CAPABILITIES,
    });
    await connection.sendNotification('initialized', {});
    return { client, init };
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }

  /** Resolves when `check` returns a value (checked on every message from the server). */
  until<T>(check: () => T | undefined, what: string, ms = 20_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners = this.listeners.filter((l) => l !== listener);
        reject(new Error(`timed out waiting for ${what}`));
      }, ms);
      const listener = () => {
        const value = check();
        if (value === undefined) return;
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== listener);
        resolve(value);
      };
      this.listeners.push(listener);
      listener();
    });
  }

  /** The next published diagnostics of `uri` that satisfy `accept` (e.g. for a given version). */
  diagnosticsFor(uri: string, accept: (p: PublishDiagnosticsParams) => boolean = () => true): Promise<Diagnostic[]> {
    return this.until(() => {
      const p = this.diagnostics.get(uri);
      return p && accept(p) ? p.diagnostics : undefined;
    }, `diagnostics of ${uri}`);
  }

  open(uri: string, languageId: string, text: string): void {
    this.versions.set(uri, 1);
    this.texts.set(uri, text);
    void this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId, version: 1, text },
    });
  }

  /** Replaces the whole text: a new version. */
  change(uri: string, text: string): number {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    this.texts.set(uri, text);
    void this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
    return version;
  }

  save(uri: string): void {
    void this.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
  }

  close(uri: string): void {
    void this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  text(uri: string): string {
    return this.texts.get(uri) ?? '';
  }

  version(uri: string): number {
    return this.versions.get(uri) ?? 0;
  }

  request<T>(method: string, params: unknown): Promise<T> {
    return this.connection.sendRequest<T>(method, params);
  }

  async stop(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => this.child.once('exit', (code) => resolve(code)));
    await this.connection.sendRequest('shutdown');
    await this.connection.sendNotification('exit');
    const code = await exited;
    this.connection.dispose();
    return code;
  }

  kill(): void {
    this.connection.dispose();
    this.child.kill();
  }
}

/** Applies a WorkspaceEdit's edits for one document (plain or snippet edits) to its text. */
export function applyWorkspaceEdit(text: string, uri: string, edit: WorkspaceEdit): string {
  const edits: TextEdit[] = [...(edit.changes?.[uri] ?? [])];
  for (const change of edit.documentChanges ?? []) {
    if (!('textDocument' in change) || change.textDocument.uri !== uri) continue;
    for (const e of change.edits) {
      if ('snippet' in e)
        edits.push({
          range: e.range,
          newText: (e.snippet as { value: string }).value.replace(/\$\{\d+:([^}]*)\}/g, '$1'),
        });
      else edits.push(e as TextEdit);
    }
  }
  const offset = (line: number, character: number) => {
    const lines = text.split('\n');
    let o = 0;
    for (let i = 0; i < line; i++) o += lines[i]!.length + 1;
    return o + character;
  };
  const sorted = edits
    .map((e) => ({
      start: offset(e.range.start.line, e.range.start.character),
      end: offset(e.range.end.line, e.range.end.character),
      text: e.newText,
    }))
    .sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}
