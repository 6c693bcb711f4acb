import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { LineIndex, Project } from '../../server/src/engine/index.js';
import { testConfig } from '../helpers.js';
import { buildEntry, makeWorkspace, removeTemporaryDirs, TestClient, uriOf } from './harness.js';

const SCHEMA = 'CREATE TABLE patients (id SERIAL PRIMARY KEY, nom TEXT, diagnostic TEXT, nir TEXT);\n';

/** Lines an edit is built from: some carry findings, some are noise, some break the syntax. */
const POOL = [
  "const rows = await pool.query('SELECT * FROM patients');",
  'console.log(`diagnostic ${patient.diagnostic}`);',
  "localStorage.setItem('r', JSON.stringify({ diagnostic: patient.diagnostic }));",
  "app.get('/api/patients/:id/results', (req, res) => res.json(rows));",
  'const total = rows.length;',
  "export const label = 'Planning';",
  'function (( {',
  '`${',
  "const nir = '2 95 10 99 126 111 93';",
  '// a comment',
];

function randomText(random: () => number): string {
  const lines: string[] = ["import { pool } from './db';", 'const patient = { diagnostic: "x", id: 1 };'];
  const count = Math.floor(random() * 8);
  for (let i = 0; i < count; i++) lines.push(POOL[Math.floor(random() * POOL.length)]!);
  let text = lines.join('\n') + '\n';
  if (random() < 0.2) text = text.slice(0, Math.floor(random() * text.length));
  return text;
}

function seeded(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
}

const shape = (diagnostics: Diagnostic[]) =>
  diagnostics
    .map(
      (d) => `${d.code}@${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`,
    )
    .sort();

let bundle: string;
beforeAll(async () => {
  bundle = await buildEntry('server/src/lsp/main.ts', 'lsp-reliability');
});
afterAll(() => removeTemporaryDirs());

describe('a crash-proof language server', () => {
  let client: TestClient;
  let root: string;
  beforeAll(async () => {
    root = makeWorkspace({
      'db/schema.sql': SCHEMA,
      'src/db.ts': 'export const pool = { query: async (q: string) => ({ rows: [] as unknown[] }) };\n',
    });
    ({ client } = await TestClient.start(bundle, root, { settings: { debounceMs: 0 } }));
  });
  afterAll(() => client?.kill());

  it('after 1,000 rapid random edits, publishes exactly what a fresh analysis of the final text finds', async () => {
    const uri = uriOf(root, 'src/edited.ts');
    const random = seeded(20261128);
    client.open(uri, 'typescript', randomText(random));
    let finalText = '';
    for (let i = 0; i < 1000; i++) {
      // The last version surely has findings, so the comparison below compares something.
      finalText = randomText(random) + (i === 999 ? `${POOL[0]}\n${POOL[2]}\n` : '');
      client.change(uri, finalText);
    }
    const last = client.version(uri);
    const published = await client.until(
      () => {
        const p = client.diagnostics.get(uri);
        return p && p.version === last ? p.diagnostics : undefined;
      },
      'diagnostics of the last version',
      60_000,
    );

    const project = new Project(testConfig());
    project.setFile({ path: 'db/schema.sql', text: SCHEMA });
    project.setFile({
      path: 'src/db.ts',
      text: 'export const pool = { query: async (q: string) => ({ rows: [] as unknown[] }) };\n',
    });
    project.setFile({ path: 'src/edited.ts', text: finalText });
    const lines = new LineIndex(finalText);
    const fresh = project
      .analyzeFile('src/edited.ts')
      .findings.filter((f) => !f.suppressed)
      .map((f) => {
        const s = lines.position(f.range.start);
        const e = lines.position(f.range.end);
        return `${f.ruleId}@${s.line}:${s.character}-${e.line}:${e.character}`;
      });
    expect(fresh.length).toBeGreaterThan(0);
    expect(shape(published)).toEqual(fresh.sort());
  }, 120_000);

  it('answers malformed requests with JSON-RPC errors and keeps serving', async () => {
    await expect(client.request('gdprLint/noSuchMethod', {})).rejects.toMatchObject({ code: -32601 });
    const garbage = [
      ['textDocument/hover', {}],
      ['textDocument/hover', { textDocument: { uri: 42 }, position: 'x' }],
      ['textDocument/codeAction', { textDocument: { uri: 'file:///nowhere.ts' }, range: null, context: null }],
      ['textDocument/codeLens', null],
    ] as const;
    for (const [method, params] of garbage) {
      const outcome = await client.request(method, params).then(
        (value) => ({ value }),
        (error: { code: number }) => ({ error: error.code }),
      );
      expect(outcome, method).toSatisfy(
        (o: { value?: unknown; error?: number }) => o.error !== undefined || o.value === null || Array.isArray(o.value),
      );
    }
    const uri = uriOf(root, 'src/alive.ts');
    client.open(
      uri,
      'typescript',
      "await writeFile('/tmp/p.json', JSON.stringify(await db.any('SELECT * FROM patients')));\n",
    );
    const diagnostics = await client.diagnosticsFor(uri);
    expect(diagnostics.map((d) => d.code)).toContain('select-star-export');
  }, 60_000);

  it('never shows a raw identifier in messages or hovers', async () => {
    const uri = uriOf(root, 'test/fixture.ts');
    const text = "export const patients = [{ nom: 'TEST', nir: '295109912611193' }, { nhsNumber: '9434765870' }];\n";
    client.open(uri, 'typescript', text);
    const diagnostics = await client.diagnosticsFor(uri, (p) => p.diagnostics.length >= 2);
    expect(diagnostics.every((d) => d.code === 'hardcoded-health-identifier')).toBe(true);
    for (const d of diagnostics) {
      const hover = await client.request<Hover | null>('textDocument/hover', {
        textDocument: { uri },
        position: d.range.start,
      });
      const shown = `${d.message}\n${JSON.stringify(d.relatedInformation ?? [])}\n${(hover?.contents as MarkupContent | undefined)?.value ?? ''}`;
      expect(shown).not.toMatch(/2951099126|11193|9434765870|943 476 5870/);
    }
  }, 60_000);
});
