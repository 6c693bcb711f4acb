import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEntry, makeWorkspace, removeTemporaryDirs, TestClient, uriOf } from './harness.js';

describe('gdpr-lint lsp --stdio (the CLI as a language server for any editor)', () => {
  let client: TestClient;
  let root: string;

  beforeAll(async () => {
    const cli = await buildEntry('server/src/cli/main.ts', 'cli');
    root = makeWorkspace({});
    ({ client } = await TestClient.start(cli, root, { args: ['lsp', '--stdio'] }));
  });
  afterAll(() => client?.kill());

  it('speaks LSP on stdio: diagnostics for an opened document, then a clean shutdown', async () => {
    const uri = uriOf(root, 'export.ts');
    client.open(uri, 'typescript', 'declare const result: { diagnosis: string };\nconsole.log(result.diagnosis);\n');
    const diagnostics = await client.diagnosticsFor(uri, (p) => p.version === 1);
    expect(
      diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character, d.range.end.character]),
    ).toEqual([['health-data-in-logs', 1, 12, 28]]);
    expect(await client.stop()).toBe(0);
  });
});

afterAll(removeTemporaryDirs);
