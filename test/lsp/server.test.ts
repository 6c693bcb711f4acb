import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  CodeAction,
  CodeLens,
  Diagnostic,
  Hover,
  InitializeResult,
  MarkupContent,
} from 'vscode-languageserver-protocol';
import { testPack } from '../helpers.js';
import { applyWorkspaceEdit, buildEntry, makeWorkspace, removeTemporaryDirs, TestClient, uriOf } from './harness.js';

const LOG_TS = [
  'interface LabResult { id: string; diagnosis: string; hivStatus: string }',
  'export function report(result: LabResult) {',
  "  console.log('result', result.diagnosis);",
  '}',
  '',
].join('\n');

/** The project's redaction helper: the quick fix imports it from here. */
const PRIVACY_TS = "export function redact(value: unknown): string {\n  return '***';\n}\n";
const REDACT_IMPORT = "import { redact } from './privacy';\n\n";

const SCHEMA_SQL = [
  'CREATE TABLE patients (',
  '  id SERIAL PRIMARY KEY,',
  '  nir TEXT,',
  '  diagnosis TEXT',
  ');',
  '',
].join('\n');

const summary = (d: Diagnostic) => ({
  code: d.code,
  range: [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character],
});

let bundle: string;
beforeAll(async () => {
  bundle = await buildEntry('server/src/lsp/main.ts', 'lsp');
});

describe('language server over stdio (push diagnostics)', () => {
  let client: TestClient;
  let init: InitializeResult;
  let root: string;

  beforeAll(async () => {
    root = makeWorkspace({
      'src/report.ts': LOG_TS,
      'src/privacy.ts': PRIVACY_TS,
      'db/schema.sql': SCHEMA_SQL,
      'node_modules/x/index.ts': LOG_TS,
    });
    ({ client, init } = await TestClient.start(bundle, root, { settings: { debounceMs: 50 } }));
  });
  afterAll(() => client?.kill());

  it('announces its capabilities, without pull diagnostics for a push client', () => {
    expect(init.serverInfo?.name).toBe('gdpr-lint');
    expect(init.capabilities.hoverProvider).toBe(true);
    expect(init.capabilities.codeActionProvider).toEqual({ codeActionKinds: ['quickfix', 'source.fixAll.gdpr-lint'] });
    expect(init.capabilities.diagnosticProvider).toBeUndefined();
  });

  it('reports on closed files from the startup workspace scan, with code, doc link, source and fix key', async () => {
    const diagnostics = await client.diagnosticsFor(uriOf(root, 'src/report.ts'));
    expect(diagnostics.map(summary)).toEqual([{ code: 'health-data-in-logs', range: [2, 24, 2, 40] }]);
    const [d] = diagnostics;
    expect(d!.source).toBe('gdpr-lint');
    expect(d!.severity).toBe(2);
    expect(d!.codeDescription?.href).toBe(testPack().rules['health-data-in-logs']!.docs);
    expect(d!.data).toEqual({ key: 'health-data-in-logs@141-157', fixable: true });
    const ready = await client.until(() => client.statuses.find((s) => s.state === 'ready'), 'a ready status');
    const shown = [...client.diagnostics.values()].reduce((n, p) => n + p.diagnostics.length, 0);
    expect(ready.findings).toBe(shown);
    expect(client.diagnostics.has(uriOf(root, 'node_modules/x/index.ts'))).toBe(false);
  });

  it('in a test file, reports only what matters there and says the role in the source', async () => {
    const uri = uriOf(root, 'src/__tests__/report.test.ts');
    const nir = ['2', '95109912611193'].join('');
    client.open(uri, 'typescript', `${LOG_TS}export const nir = '${nir}';\n`);
    const diagnostics = await client.diagnosticsFor(uri, (p) => p.version === 1);
    expect(diagnostics.map((d) => `${String(d.code)} ${d.source}`)).toEqual([
      'hardcoded-health-identifier gdpr-lint (test file)',
    ]);
  });

  it('analyses an open document, and again after each edit', async () => {
    const uri = uriOf(root, 'src/app.ts');
    client.open(uri, 'typescript', LOG_TS);
    expect((await client.diagnosticsFor(uri, (p) => p.version === 1)).map(summary)).toEqual([
      { code: 'health-data-in-logs', range: [2, 24, 2, 40] },
    ]);
    client.change(uri, LOG_TS.replace("console.log('result', result.diagnosis);", "console.log('result', result.id);"));
    expect(await client.diagnosticsFor(uri, (p) => p.version === 2)).toEqual([]);
    client.change(uri, `\n${LOG_TS}`);
    expect((await client.diagnosticsFor(uri, (p) => p.version === 3)).map(summary)).toEqual([
      { code: 'health-data-in-logs', range: [3, 24, 3, 40] },
    ]);
  });

  it('never analyses a stale version: a newer edit cancels the pending analysis', async () => {
    const uri = uriOf(root, 'src/burst.ts');
    client.open(uri, 'typescript', LOG_TS);
    await client.diagnosticsFor(uri, (p) => p.version === 1);
    const from = client.published.length;
    for (let i = 0; i < 4; i++) client.change(uri, `${'\n'.repeat(i + 1)}${LOG_TS}`);
    const last = await client.diagnosticsFor(uri, (p) => p.version === 5);
    expect(
      client.published
        .slice(from)
        .filter((p) => p.uri === uri)
        .map((p) => p.version),
    ).toEqual([5]);
    expect(last.map(summary)).toEqual([{ code: 'health-data-in-logs', range: [6, 24, 6, 40] }]);
  });

  it('offers the rule fixes, a suppression and a per-file disable as quick fixes that edit the text', async () => {
    const uri = uriOf(root, 'src/app.ts');
    const text = client.text(uri);
    const [diagnostic] = await client.diagnosticsFor(uri, (p) => p.version === client.version(uri));
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: diagnostic!.range,
      context: { diagnostics: [diagnostic] },
    });
    expect(actions.map((a) => [a.title, a.kind, a.isPreferred ?? false])).toEqual([
      ['Wrap `result.diagnosis` in redact()', 'quickfix', true],
      ['Suppress health-data-in-logs with a justification', 'quickfix', false],
      ['Disable health-data-in-logs for this file (with a justification)', 'quickfix', false],
    ]);
    const wrapped = applyWorkspaceEdit(text, uri, actions[0]!.edit!);
    expect(wrapped.startsWith(REDACT_IMPORT)).toBe(true);
    expect(wrapped.slice(REDACT_IMPORT.length)).toBe(
      text.replace(/^\n/, '').replace("'result', result.diagnosis", "'result', redact(result.diagnosis)"),
    );
    expect(applyWorkspaceEdit(text, uri, actions[1]!.edit!).split('\n').slice(3, 5)).toEqual([
      '  // gdpr-lint-disable-next-line health-data-in-logs -- TODO: justify',
      "  console.log('result', result.diagnosis);",
    ]);
    expect(applyWorkspaceEdit(text, uri, actions[2]!.edit!).split('\n')[0]).toBe(
      '/* gdpr-lint-disable health-data-in-logs -- TODO: justify */',
    );
  });

  it('does not show suppressed findings', async () => {
    const uri = uriOf(root, 'src/app.ts');
    const version = client.change(
      uri,
      LOG_TS.replace(
        "  console.log('result'",
        "  // gdpr-lint-disable-next-line health-data-in-logs -- pseudonymised test data\n  console.log('result'",
      ),
    );
    expect(await client.diagnosticsFor(uri, (p) => p.version === version)).toEqual([]);
  });

  it('fixes all at once with source.fixAll.gdpr-lint, and offers no quick fix for a diagnostic of an older version', async () => {
    const uri = uriOf(root, 'src/app.ts');
    let version = client.change(uri, LOG_TS);
    const [diagnostic] = await client.diagnosticsFor(uri, (p) => p.version === version);
    const fixAll = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: diagnostic!.range,
      context: { diagnostics: [], only: ['source.fixAll'] },
    });
    expect(fixAll.map((a) => a.kind)).toEqual(['source.fixAll.gdpr-lint']);
    expect(applyWorkspaceEdit(LOG_TS, uri, fixAll[0]!.edit!)).toBe(
      REDACT_IMPORT + LOG_TS.replace("'result', result.diagnosis", "'result', redact(result.diagnosis)"),
    );
    version = client.change(uri, `${LOG_TS}\n`);
    const stale = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: diagnostic!.range,
      context: { diagnostics: [diagnostic] },
    });
    expect(stale.map((a) => a.title)).not.toContain('Wrap `result.diagnosis` in redact()');
    await client.diagnosticsFor(uri, (p) => p.version === version);
  });

  it('hovers on a flagged range with the rule, its GDPR articles and doc link', async () => {
    const uri = uriOf(root, 'src/app.ts');
    const result = await client.request<Hover>('textDocument/hover', {
      textDocument: { uri },
      position: { line: 2, character: 30 },
    });
    const value = (result.contents as MarkupContent).value;
    const meta = testPack().rules['health-data-in-logs']!;
    expect(value).toContain(`**${meta.title}** \`health-data-in-logs\``);
    expect(value).toContain(`GDPR: ${meta.gdpr.join(', ')}`);
    expect(value).toContain(`[Rule documentation](${meta.docs})`);
    expect(result.range).toEqual({ start: { line: 2, character: 24 }, end: { line: 2, character: 40 } });
  });

  it('hovers on a classified field name with its category and why', async () => {
    const uri = uriOf(root, 'src/app.ts');
    const result = await client.request<Hover>('textDocument/hover', {
      textDocument: { uri },
      position: { line: 0, character: 60 },
    });
    const value = (result.contents as MarkupContent).value;
    expect(value).toMatch(/^\*\*`hivStatus`\*\*: [a-z0-9-]+, special category of personal data \(GDPR Art\. 9\)/);
    expect(value).toContain('Why: ');
    expect(result.range).toEqual({ start: { line: 0, character: 53 }, end: { line: 0, character: 62 } });
    const keyword = await client.request<Hover | null>('textDocument/hover', {
      textDocument: { uri },
      position: { line: 1, character: 2 },
    });
    expect(keyword).toBeNull();
  });

  it('puts code lenses above sensitive columns of the schema', async () => {
    const uri = uriOf(root, 'db/schema.sql');
    client.open(uri, 'sql', SCHEMA_SQL);
    await client.diagnosticsFor(uri, (p) => p.version === 1);
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    expect(lenses.map((l) => [l.range.start.line, l.command?.title])).toEqual([
      [2, '⚠ plaintext health identifier'],
      [3, '⚠ plaintext health data'],
    ]);
  });

  it('follows a configuration change: disabled, then onSave', async () => {
    const uri = uriOf(root, 'src/app.ts');
    client.settings = { enable: false };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    expect(await client.diagnosticsFor(uri, (p) => p.diagnostics.length === 0)).toEqual([]);
    client.settings = { run: 'onSave', debounceMs: 0 };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    await client.diagnosticsFor(uri, (p) => p.diagnostics.length === 1);
    const version = client.change(uri, LOG_TS.replace('result.diagnosis', 'result.id'));
    const hover = await client.request<Hover | null>('textDocument/hover', {
      textDocument: { uri },
      position: { line: 2, character: 30 },
    });
    expect(hover).toBeNull();
    expect(client.diagnostics.get(uri)!.diagnostics).toHaveLength(1);
    client.save(uri);
    expect(await client.diagnosticsFor(uri, (p) => p.version === version)).toEqual([]);
  });

  it('reports a closed file from disk again once its document closes', async () => {
    const uri = uriOf(root, 'src/report.ts');
    client.settings = { debounceMs: 0 };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    client.open(uri, 'typescript', 'export const x = 1;\n');
    await client.diagnosticsFor(uri, (p) => p.version === 1 && p.diagnostics.length === 0);
    client.close(uri);
    const fromDisk = await client.diagnosticsFor(uri, (p) => p.version === undefined && p.diagnostics.length === 1);
    expect(fromDisk.map(summary)).toEqual([{ code: 'health-data-in-logs', range: [2, 24, 2, 40] }]);
  });

  it('reloads the team configuration when it changes on disk, and reports an invalid one on the file', async () => {
    const report = uriOf(root, 'src/report.ts');
    const config = uriOf(root, '.gdpr-lint.yaml');
    writeFileSync(join(root, '.gdpr-lint.yaml'), 'rules:\n  health-data-in-logs: off\n');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: config, type: 1 }],
    });
    expect(await client.diagnosticsFor(report, (p) => p.diagnostics.length === 0)).toEqual([]);
    writeFileSync(join(root, '.gdpr-lint.yaml'), 'rules:\n  health-data-in-logs: fatal\n');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: config, type: 2 }],
    });
    const problems = await client.diagnosticsFor(config, (p) => p.diagnostics.length > 0);
    expect(problems.map((d) => [d.range.start.line, d.range.start.character, d.message])).toEqual([
      [1, 23, 'rules.health-data-in-logs: "fatal" is not allowed (expected one of off, note, warning, error)'],
    ]);
    // The editor keeps working, on the defaults.
    expect((await client.diagnosticsFor(report, (p) => p.diagnostics.length === 1)).map(summary)).toEqual([
      { code: 'health-data-in-logs', range: [2, 24, 2, 40] },
    ]);
    const status = await client.until(
      () => (client.statuses.at(-1)?.state === 'error' ? client.statuses.at(-1) : undefined),
      'an error status',
    );
    expect(status.message).toBe(
      '.gdpr-lint.yaml:2:24: rules.health-data-in-logs: "fatal" is not allowed (expected one of off, note, warning, error)',
    );
  });

  it('shuts down cleanly', async () => {
    const code = await client.stop();
    expect(code).toBe(0);
  });
});

describe('language server: project facts across files', () => {
  const SETTINGS_SQL = 'CREATE TABLE lab_settings (\n  cle TEXT PRIMARY KEY,\n  valeur_config TEXT\n);\n';
  const JOB_TS = [
    'declare const pool: { query(sql: string): Promise<{ rows: unknown[] }> }; declare function writeFile(p: string, d: string): Promise<void>;',
    'export async function dump() {',
    "  const { rows } = await pool.query('SELECT * FROM lab_settings');",
    "  await writeFile('/tmp/settings.json', JSON.stringify(rows));",
    '}',
    '',
  ].join('\n');
  const APP_TS = [
    "import express from 'express';",
    "import { requireLabUser } from './auth';",
    'const app = express();',
    "app.get('/api/results/:id', requireLabUser, (req, res) => res.json({}));",
    "app.get('/api/export', (req, res) => res.json({}));",
    '',
  ].join('\n');
  const AUTH_TS =
    'export function requireLabUser(req: any, res: any, next: any) { if (!req.user) return res.sendStatus(401); next(); }\n';
  let client: TestClient;
  let root: string;

  beforeAll(async () => {
    root = makeWorkspace({
      'db/schema.sql': SETTINGS_SQL,
      'src/job.ts': JOB_TS,
      'src/app.ts': APP_TS,
      'src/auth.ts': AUTH_TS,
    });
    ({ client } = await TestClient.start(bundle, root, { settings: { debounceMs: 0 } }));
  });
  afterAll(() => client?.kill());

  it('re-publishes an open file when a table it reads changes in another file', async () => {
    const job = uriOf(root, 'src/job.ts');
    const schema = uriOf(root, 'db/schema.sql');
    client.open(job, 'typescript', JOB_TS);
    client.open(schema, 'sql', SETTINGS_SQL);
    expect(await client.diagnosticsFor(job, (p) => p.version === 1)).toEqual([]);
    await client.diagnosticsFor(schema, (p) => p.version === 1);
    client.change(schema, SETTINGS_SQL.replace('valeur_config TEXT', 'nir TEXT'));
    const republished = await client.diagnosticsFor(job, (p) => p.diagnostics.length > 0);
    // The new column makes the export's rows health data: the star, and what the rows become.
    expect(republished.map(summary)).toContainEqual({ code: 'select-star-export', range: [2, 44, 2, 45] });
    expect(new Set(republished.map((d) => d.code))).toEqual(
      new Set(['select-star-export', 'export-to-public-location', 'export-without-erasure', 'plaintext-health-data']),
    );
    expect(client.diagnostics.get(job)!.version).toBe(1);
  });

  it('puts a lens above every route: what authenticates it, or that it is public', async () => {
    const app = uriOf(root, 'src/app.ts');
    client.open(app, 'typescript', APP_TS);
    await client.diagnosticsFor(app, (p) => p.version === 1);
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: app } });
    expect(lenses.map((l) => [l.range.start.line, l.command?.title])).toEqual([
      [3, '🔒 requireLabUser  GET /api/results/:id'],
      [4, '🔓 public: no authentication  GET /api/export'],
    ]);
  });

  it('shows no lens when gdprLint.codeLens is off', async () => {
    client.settings = { debounceMs: 0, codeLens: false };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', {
      textDocument: { uri: uriOf(root, 'src/app.ts') },
    });
    expect(lenses).toEqual([]);
  });
});

afterAll(removeTemporaryDirs);
