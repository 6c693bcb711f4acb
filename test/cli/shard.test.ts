import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inShard, parseShard } from '../../server/src/host/shard.js';
import { runInProcess } from './run-cli.js';

const NIRS = ['185057800608491', '284051234567832'];

function tree(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gdpr-shard-'));
  for (let i = 0; i < 12; i++) writeFileSync(join(dir, `f${i}.ts`), `export const nir${i} = '${NIRS[i % 2]}';\n`);
  return dir;
}

describe('--shard', () => {
  it('parses i/n and refuses nonsense', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    for (const bad of ['0/3', '4/3', '1/0', 'a/b', '1']) expect(() => parseShard(bad)).toThrow(/--shard/);
  });

  it('partitions paths: every path in exactly one shard, the same one every time', () => {
    const paths = Array.from({ length: 500 }, (_, i) => `src/module${i}/file.ts`);
    const shards = [1, 2, 3].map((index) => paths.filter((p) => inShard(p, { index, count: 3 })));
    expect(shards.flat().sort()).toEqual([...paths].sort());
    for (const share of shards) expect(share.length).toBeGreaterThan(120);
    expect(paths.filter((p) => inShard(p, { index: 2, count: 3 }))).toEqual(shards[1]);
  });
});

describe('gdpr-lint merge', () => {
  it('merges shard SARIF files into the SARIF of a whole scan', async () => {
    const dir = tree();
    const args = ['--rule', 'hardcoded-health-identifier'];
    for (const i of [1, 2, 3])
      await runInProcess(
        ['scan', '.', ...args, '--shard', `${i}/3`, '--format', `sarif=s${i}.sarif`, '--format', `json=s${i}.json`],
        dir,
      );
    await runInProcess(['scan', '.', ...args, '--format', 'sarif=all.sarif', '--format', 'json=all.json'], dir);
    const merged = await runInProcess(['merge', 's1.sarif', 's2.sarif', 's3.sarif', '-o', 'merged.sarif'], dir);
    expect(merged.code).toBe(0);
    const results = (file: string) => {
      const log = JSON.parse(readFileSync(join(dir, file), 'utf8'));
      return log.runs[0].results
        .map(
          (r: any) =>
            `${r.ruleId} ${r.ruleIndex} ${r.locations[0].physicalLocation.artifactLocation.uri} ${r.partialFingerprints['gdprLint/v1']}`,
        )
        .sort();
    };
    expect(results('merged.sarif')).toHaveLength(12);
    expect(results('merged.sarif')).toEqual(results('all.sarif'));
    for (const i of [1, 2, 3]) expect(results(`s${i}.sarif`).length).toBeLessThan(12);

    const json = JSON.parse((await runInProcess(['merge', 's1.json', 's2.json', 's3.json'], dir)).stdout);
    const whole = JSON.parse(readFileSync(join(dir, 'all.json'), 'utf8'));
    expect(json.findings).toEqual(whole.findings);
    expect(json.stats.files).toBe(12);
  });

  it('refuses to mix SARIF and JSON', async () => {
    const dir = tree();
    await runInProcess(['scan', '.', '--format', 'sarif=a.sarif', '--format', 'json=a.json'], dir);
    const run = await runInProcess(['merge', 'a.sarif', 'a.json'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('cannot merge SARIF with JSON');
  });
});
