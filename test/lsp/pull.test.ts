import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  CodeAction,
  DocumentDiagnosticReport,
  FullDocumentDiagnosticReport,
  InitializeResult,
  WorkspaceDiagnosticReport,
} from 'vscode-languageserver-protocol';
import {
  applyWorkspaceEdit,
  buildEntry,
  makeWorkspace,
  PULL_CAPABILITIES,
  removeTemporaryDirs,
  TestClient,
  uriOf,
} from './harness.js';

const LOG_TS = [
  'interface LabResult { id: string; diagnosis: string }',
  'export function report(result: LabResult) {',
  "  console.log('result', result.diagnosis);",
  '}',
  '',
].join('\n');

describe('language server with pull diagnostics (LSP 3.17)', () => {
  let client: TestClient;
  let init: InitializeResult;
  let root: string;

  beforeAll(async () => {
    const bundle = await buildEntry('server/src/lsp/main.ts', 'lsp');
    root = makeWorkspace({ 'src/closed.ts': LOG_TS, 'src/clean.ts': 'export const answer = 42;\n' });
    ({ client, init } = await TestClient.start(bundle, root, {
      capabilities: PULL_CAPABILITIES,
      settings: { debounceMs: 20 },
    }));
  });
  afterAll(() => client?.kill());

  it('declares a diagnostic provider with workspace diagnostics', () => {
    expect(init.capabilities.diagnosticProvider).toEqual({
      identifier: 'gdpr-lint',
      interFileDependencies: true,
      workspaceDiagnostics: true,
    });
  });

  it('reports closed files through workspace/diagnostic, and unchanged ones by result id', async () => {
    const first = await client.request<WorkspaceDiagnosticReport>('workspace/diagnostic', { previousResultIds: [] });
    const closed = first.items.find((i) => i.uri === uriOf(root, 'src/closed.ts')) as FullDocumentDiagnosticReport & {
      version: null;
    };
    expect(closed.kind).toBe('full');
    expect(closed.items.map((d) => d.code)).toEqual(['health-data-in-logs']);
    expect(first.items.some((i) => i.uri === uriOf(root, 'src/clean.ts'))).toBe(false);
    const again = await client.request<WorkspaceDiagnosticReport>('workspace/diagnostic', {
      previousResultIds: [{ uri: closed.uri, value: closed.resultId }],
    });
    expect(again.items.find((i) => i.uri === closed.uri)).toEqual({
      kind: 'unchanged',
      uri: closed.uri,
      version: null,
      resultId: closed.resultId,
    });
    expect(client.diagnostics.size).toBe(0);
  });

  it('answers textDocument/diagnostic for the latest version of an open document', async () => {
    const uri = uriOf(root, 'src/open.ts');
    client.open(uri, 'typescript', LOG_TS);
    const report = await client.request<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri } });
    expect(report.kind).toBe('full');
    const full = report as FullDocumentDiagnosticReport;
    expect(full.items.map((d) => [d.code, d.range.start.line, d.range.start.character])).toEqual([
      ['health-data-in-logs', 2, 24],
    ]);
    const same = await client.request<DocumentDiagnosticReport>('textDocument/diagnostic', {
      textDocument: { uri },
      previousResultId: full.resultId,
    });
    expect(same).toEqual({ kind: 'unchanged', resultId: full.resultId });
    client.change(uri, LOG_TS.replace('result.diagnosis', 'result.id'));
    const after = await client.request<DocumentDiagnosticReport>('textDocument/diagnostic', {
      textDocument: { uri },
      previousResultId: full.resultId,
    });
    expect(after).toMatchObject({ kind: 'full', items: [] });
  });

  it('inserts the suppression comment as a snippet with a placeholder for the justification', async () => {
    const uri = uriOf(root, 'src/open.ts');
    client.change(uri, LOG_TS);
    const report = await client.request<FullDocumentDiagnosticReport>('textDocument/diagnostic', {
      textDocument: { uri },
    });
    const [diagnostic] = report.items;
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: diagnostic!.range,
      context: { diagnostics: [diagnostic] },
    });
    const suppress = actions.find((a) => a.title.startsWith('Suppress'))!;
    const change = suppress.edit!.documentChanges![0] as {
      textDocument: { version: number };
      edits: { snippet: { value: string } }[];
    };
    expect(change.textDocument.version).toBe(client.version(uri));
    expect(change.edits[0]!.snippet.value).toBe(
      '  // gdpr-lint-disable-next-line health-data-in-logs -- ${1:TODO: justify}\n',
    );
    expect(applyWorkspaceEdit(LOG_TS, uri, suppress.edit!).split('\n')[2]).toBe(
      '  // gdpr-lint-disable-next-line health-data-in-logs -- TODO: justify',
    );
  });

  it('shuts down cleanly', async () => {
    expect(await client.stop()).toBe(0);
  });
});

afterAll(removeTemporaryDirs);
