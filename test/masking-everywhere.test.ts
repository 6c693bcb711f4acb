/**
 * Identifiers hidden where no rule looks for them (a route path, a table name, an export
 * destination, a suppression justification, hence fix titles and inventory entries) never leave
 * the tool unmasked: every output format, every inventory format, every LSP response.
 * Control characters from file names and scanned strings come out escaped.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeAction, CodeLens, Diagnostic, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { FORMAT_NAMES } from '../server/src/cli/outputs.js';
import { maskIdentifier } from '../server/src/engine/index.js';
import { schemesOf } from '../server/src/engine/identifiers/index.js';
import { runInProcess } from './cli/run-cli.js';
import { buildEntry, TestClient, uriOf } from './lsp/harness.js';

/** A French NIR made for this test: 13 digits and the key that makes them valid (97 minus their value modulo 97). */
const NIR_BODY = '1850578006084';
const NIR = NIR_BODY + String(97 - Number(BigInt(NIR_BODY) % 97n)).padStart(2, '0');
const MASKED = maskIdentifier(NIR);
const ANSI = '\u001b[31m';

function fixture(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gdpr-mask-all-'));
  mkdirSync(join(dir, 'src'));
  mkdirSync(join(dir, 'db'));
  writeFileSync(
    join(dir, 'src', 'app.ts'),
    [
      "import express from 'express';",
      'const app = express();',
      `app.get('/api/patients/${NIR}/results', (req, res) => res.json({ diagnosis: req.query.d }));`,
      `// gdpr-lint-disable-next-line health-data-in-logs -- reviewed for patient ${NIR}`,
      'export function log(r: { diagnosis: string }) { console.log(r.diagnosis); }',
      `export const banner = 'ok\\n::warning::${ANSI}injected';`,
      // A scanned string with control characters that a message quotes (the route path).
      "app.get('/api/reports/\\n::warning::x\\u001b[31m/:id', (req, res) => res.json({ diagnosis: req.query.d }));",
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'db', 'schema.sql'),
    `CREATE TABLE patients_${NIR} (\n  id SERIAL PRIMARY KEY,\n  diagnostic TEXT\n);\n`,
  );
  writeFileSync(
    join(dir, 'db', 'export.sql'),
    `COPY (SELECT * FROM patients_${NIR}) TO '/srv/www/public/${NIR}.csv' WITH (FORMAT csv);\n`,
  );
  writeFileSync(
    join(dir, 'src', `weird${ANSI}name.ts`),
    'export function f(r: { diagnosis: string }) { console.log(r.diagnosis); }\n',
  );
  return dir;
}

const leaks = (out: string) => out.includes(NIR) || out.includes(ANSI);

describe('masking and escaping in every output', () => {
  let dir = '';
  beforeAll(() => {
    dir = fixture();
  });

  it('uses a valid identifier, found masked in each place it hides', async () => {
    expect(schemesOf(NIR)).toContain('nir');
    const { stdout } = await runInProcess(['scan', '.', '--format', 'json'], dir);
    const report = JSON.parse(stdout) as {
      findings: {
        ruleId: string;
        message: string;
        suppressed?: { justification?: string };
        fixes?: { title: string }[];
      }[];
    };
    const messages = report.findings.map((f) => f.message).join('\n');
    expect(messages).toContain(`/api/patients/${MASKED}/results`); // a route path
    expect(messages).toContain(`patients_${MASKED}`); // a table name
    expect(messages).toContain(`/srv/www/public/${MASKED}.csv`); // an export destination
    expect(report.findings.map((f) => f.suppressed?.justification)).toContain(`reviewed for patient ${MASKED}`); // a justification
    expect(report.findings.flatMap((f) => f.fixes ?? []).map((x) => x.title)).toContainEqual(
      expect.stringContaining(`patients_${MASKED}`),
    ); // a fix title
    // Control characters of a scanned string, escaped where a message quotes it.
    expect(messages).toContain('/api/reports/\\x0a::warning::x\\x1b[31m/:id');
    expect(leaks(stdout)).toBe(false);
  });

  it.each(FORMAT_NAMES)('scan --format %s', async (format) => {
    const { stdout, stderr } = await runInProcess(['scan', '.', '--format', format], dir);
    expect(stdout.length).toBeGreaterThan(100);
    expect(leaks(stdout + stderr)).toBe(false);
    expect(stdout).toContain('•');
  });

  it.each(['markdown', 'json', 'csv', 'html'])('inventory --format %s', async (format) => {
    const { stdout } = await runInProcess(['inventory', '.', '--format', format], dir);
    expect(stdout.length).toBeGreaterThan(100);
    expect(leaks(stdout)).toBe(false);
  });

  it('github annotations cannot be split into a second workflow command', async () => {
    const { stdout } = await runInProcess(['scan', '.', '--format', 'github'], dir);
    for (const line of stdout.split('\n').filter(Boolean)) expect(line).toMatch(/^::(error|warning|notice) /);
  });
});

describe('masking in every language server response', () => {
  let client: TestClient;
  let dir = '';
  beforeAll(async () => {
    dir = fixture();
    const bundle = await buildEntry('server/src/lsp/main.ts', 'lsp-mask');
    ({ client } = await TestClient.start(bundle, dir, { settings: { debounceMs: 0 } }));
  }, 120_000);
  afterAll(() => client?.kill());

  it('diagnostics, hovers, code actions, code lenses and the inventory', async () => {
    const uri = uriOf(dir, 'src/app.ts');
    client.open(uri, 'typescript', readFileSync(join(dir, 'src', 'app.ts'), 'utf8'));
    const diagnostics: Diagnostic[] = await client.diagnosticsFor(uri, (p) => p.version === 1);
    expect(diagnostics.length).toBeGreaterThan(0);
    const responses: unknown[] = [diagnostics];
    for (const d of diagnostics) {
      responses.push(
        await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: d.range.start }),
      );
      const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: d.range,
        context: { diagnostics: [d] },
      });
      responses.push(actions.map((a) => a.title));
    }
    responses.push(await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } }));
    responses.push(
      await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: uriOf(dir, 'db/schema.sql') } }),
    );
    // The export's fixes are titled with its table.
    const sql = uriOf(dir, 'db/export.sql');
    client.open(sql, 'sql', readFileSync(join(dir, 'db', 'export.sql'), 'utf8'));
    const sqlDiagnostics: Diagnostic[] = await client.diagnosticsFor(
      sql,
      (p) => p.version === 1 && p.diagnostics.length > 0,
    );
    responses.push(sqlDiagnostics);
    const titles: string[] = [];
    for (const d of sqlDiagnostics) {
      responses.push(
        await client.request<Hover | null>('textDocument/hover', {
          textDocument: { uri: sql },
          position: d.range.start,
        }),
      );
      const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri: sql },
        range: d.range,
        context: { diagnostics: [d] },
      });
      titles.push(...actions.map((a) => a.title));
    }
    responses.push(titles);
    expect(titles).toContainEqual(expect.stringContaining(`patients_${MASKED}`));
    expect(JSON.stringify(diagnostics)).toContain(`/api/patients/${MASKED}/results`);
    const text = JSON.stringify(responses);
    expect(text).not.toContain(NIR);
    expect(text).not.toContain('\\u001b');
    // The data map's inventory keeps file paths raw (they open the files); what it shows is escaped.
    const inventory = await client.request<{ html: string }>('gdprLint/inventory', { format: 'html' });
    expect(JSON.stringify(inventory)).not.toContain(NIR);
    expect(inventory.html).not.toContain(ANSI);
    const hovers = responses.filter((r): r is Hover => typeof r === 'object' && r !== null && 'contents' in r);
    expect(hovers.some((h) => (h.contents as MarkupContent).value.length > 0)).toBe(true);
  });
});
