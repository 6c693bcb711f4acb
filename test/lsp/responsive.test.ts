/**
 * A 5 MB document does not hold the language server: requests about other documents are answered
 * while it is analysed (the analysis runs one step, the parse or one rule, per turn of the event
 * loop). Checked by the order of the server's messages, not by time: the requests reach the
 * server in the same write as the answer that starts the big analysis, so they are in its queue
 * before that analysis begins; without the steps they would be answered after its diagnostics.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEntry, makeWorkspace, removeTemporaryDirs, TestClient, uriOf } from './harness.js';

const SMALL = [
  "import express from 'express';",
  'const app = express();',
  "app.get('/api/patients/:id/results', (req, res) => res.json({ diagnosis: req.query.d }));",
  'export function log(r: { diagnosis: string }) { console.log(r.diagnosis); }',
  '',
].join('\n');

/** About 5 MB of lab code: many small modules in one file (a generated or concatenated source). */
function bigDocument(): string {
  const parts: string[] = ["import fs from 'fs';"];
  let size = 0;
  for (let i = 0; size < 5_000_000; i++) {
    const block = [
      `namespace Lot${i} {`,
      `  export async function exportResults${i}(db: { query(q: string, v: unknown[]): Promise<{ rows: unknown[] }> }) {`,
      `    const { rows } = await db.query('SELECT * FROM resultats WHERE lot = $1', [${i}]);`,
      `    fs.writeFileSync('/srv/exports/lot-${i}.json', JSON.stringify(rows));`,
      '  }',
      `  export function remember${i}(patient: { diagnosis: string; id: number }) {`,
      `    localStorage.setItem('p${i}', JSON.stringify(patient));`,
      `    console.log('patient', patient.id, patient.diagnosis);`,
      '  }',
      '}',
    ].join('\n');
    parts.push(block);
    size += block.length + 1;
  }
  return parts.join('\n') + '\n';
}

/** The messages the server writes, decoded from its stdout as they arrive. */
class Tap {
  readonly messages: {
    id?: number | string;
    method?: string;
    params?: { uri?: string; items?: { scopeUri?: string }[] };
  }[] = [];
  private buffer = Buffer.alloc(0);

  constructor(client: TestClient) {
    client.child.stdout!.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      for (;;) {
        const header = this.buffer.indexOf('\r\n\r\n');
        if (header < 0) return;
        const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, header).toString('ascii'))?.[1]);
        if (this.buffer.length < header + 4 + length) return;
        this.messages.push(JSON.parse(this.buffer.subarray(header + 4, header + 4 + length).toString('utf8')));
        this.buffer = this.buffer.subarray(header + 4 + length);
      }
    });
  }
}

const frame = (message: object): string => {
  const body = JSON.stringify({ jsonrpc: '2.0', ...message });
  return `Content-Length: ${Buffer.byteLength(body, 'utf8')}\r\n\r\n${body}`;
};

let bundle: string;
beforeAll(async () => {
  bundle = await buildEntry('server/src/lsp/main.ts', 'lsp-responsive');
}, 120_000);
afterAll(() => removeTemporaryDirs());

describe('a language server that stays responsive', () => {
  let client: TestClient;
  let root: string;
  beforeAll(async () => {
    root = makeWorkspace({ 'src/small.ts': SMALL });
    ({ client } = await TestClient.start(bundle, root, { settings: { debounceMs: 0 } }));
  }, 60_000);
  afterAll(() => client?.kill());

  it('answers a code lens and a hover on another document while a 5 MB document is analysed', async () => {
    const small = uriOf(root, 'src/small.ts');
    client.open(small, 'typescript', SMALL);
    const diagnostics = await client.diagnosticsFor(small);
    expect(diagnostics.length).toBeGreaterThan(0);
    const tap = new Tap(client);
    const big = uriOf(root, 'src/big.ts');
    const text = bigDocument();
    expect(text.length).toBeGreaterThan(5_000_000);
    // The settings request that starts the big analysis is answered by hand, in one write with the
    // requests about the small document (the tap has decoded it before the connection hands it over).
    let probed = false;
    client.connection.onRequest('workspace/configuration', (params: { items: { scopeUri?: string }[] }) => {
      if (!params.items.some((i) => i.scopeUri === big)) return params.items.map(() => client.settings);
      const request = tap.messages.find(
        (m) => m.method === 'workspace/configuration' && m.params?.items?.some((i) => i.scopeUri === big),
      )!;
      client.child.stdin!.write(
        frame({ id: request.id, result: params.items.map(() => client.settings) }) +
          frame({ id: 'probe-lens', method: 'textDocument/codeLens', params: { textDocument: { uri: small } } }) +
          frame({
            id: 'probe-hover',
            method: 'textDocument/hover',
            params: { textDocument: { uri: small }, position: { line: 2, character: 10 } },
          }),
      );
      probed = true;
      return new Promise(() => undefined);
    });
    client.open(big, 'typescript', text);
    const published = await client.until(
      () => tap.messages.find((m) => m.method === 'textDocument/publishDiagnostics' && m.params?.uri === big),
      'diagnostics of the big document',
      300_000,
    );
    expect(probed).toBe(true);
    const at = (id: string) => tap.messages.findIndex((m) => m.id === id && !m.method);
    const lens = tap.messages[at('probe-lens')] as { result?: { command?: { title: string } }[] } | undefined;
    expect(lens?.result?.map((l) => l.command?.title)).toContainEqual(expect.stringContaining('public'));
    expect(at('probe-lens')).toBeGreaterThanOrEqual(0);
    expect(at('probe-hover')).toBeGreaterThanOrEqual(0);
    expect(at('probe-lens')).toBeLessThan(tap.messages.indexOf(published));
    expect(at('probe-hover')).toBeLessThan(tap.messages.indexOf(published));
    // The big document was analysed, and said what its budget left out if it stopped.
    expect((published.params as { diagnostics: unknown[] }).diagnostics.length).toBeGreaterThan(0);
  }, 400_000);
});

describe('a language server that survives a hostile configuration', () => {
  it('a .gdpr-lint.json of 1,000 nested arrays is a located error; documents are analysed on the defaults', async () => {
    const root = makeWorkspace({
      '.gdpr-lint.json': `{"rules": ${'['.repeat(1000)}${']'.repeat(1000)}}`,
      'src/small.ts': SMALL,
    });
    const { client } = await TestClient.start(bundle, root, { settings: { debounceMs: 0 } });
    try {
      const problems = await client.diagnosticsFor(uriOf(root, '.gdpr-lint.json'), (p) => p.diagnostics.length > 0);
      expect(problems.map((d) => d.message).join('\n')).toContain('nested more than 32 levels deep');
      const small = uriOf(root, 'src/small.ts');
      client.open(small, 'typescript', SMALL);
      const diagnostics = await client.diagnosticsFor(small, (p) => p.diagnostics.length > 0);
      expect(diagnostics.map((d) => d.code)).toContain('unauthenticated-route');
      expect(client.child.exitCode).toBeNull();
    } finally {
      client.kill();
    }
  }, 120_000);
});
