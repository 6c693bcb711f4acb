import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEntry, makeWorkspace, PUSH_CAPABILITIES, removeTemporaryDirs, TestClient, uriOf } from './harness.js';

const LOG_TS = "export function report(r: { diagnosis: string }) { console.log('x', r.diagnosis); }\n";

describe('the initial workspace scan', () => {
  let client: TestClient;
  let root: string;

  beforeAll(async () => {
    const bundle = await buildEntry('server/src/lsp/main.ts', 'lsp-progress');
    const files: Record<string, string> = {};
    for (let i = 0; i < 300; i++) files[`src/module${i}.ts`] = `${LOG_TS}export const n${i} = ${i};\n`;
    root = makeWorkspace(files);
    ({ client } = await TestClient.start(bundle, root, {
      capabilities: { ...PUSH_CAPABILITIES, window: { workDoneProgress: true } },
      settings: { debounceMs: 0 },
    }));
  }, 120_000);
  afterAll(() => {
    client?.kill();
    removeTemporaryDirs();
  });

  it('reports its progress with $/progress, and answers the document being edited before the workspace', async () => {
    // Opened at once, while 300 files wait in the scan's queue.
    const uri = uriOf(root, 'src/edited.ts');
    client.open(uri, 'typescript', LOG_TS);
    const end = await client.until(
      () => client.progress.find((p) => p.kind === 'end'),
      'the end of the scan progress',
      60_000,
    );
    expect(client.progress[0]).toMatchObject({ kind: 'begin' });
    expect(client.progress.filter((p) => p.kind === 'end')).toHaveLength(1);
    for (const p of client.progress.filter((q) => q.kind === 'report')) expect(p.message).toMatch(/^\d+\/\d+ files$/);
    const edited = client.published.findIndex((p) => p.uri === uri);
    expect(edited).toBeGreaterThanOrEqual(0);
    expect(edited).toBeLessThan(end.publishedBefore);
    expect(client.published[edited]!.diagnostics.map((d) => d.code)).toEqual(['health-data-in-logs']);
    // Closed files with findings were published too, after it.
    expect(end.publishedBefore).toBeGreaterThan(100);
  });
});
