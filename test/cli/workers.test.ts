import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateCorpus } from '../../bench/generate.mjs';
import { runScan } from '../../server/src/host/scan-pipeline.js';
import { REPO_ROOT, testConfig } from '../helpers.js';

// Worker threads run the CLI bundle itself, so this test bundles the sources to a private file.
let cli = '';
beforeAll(async () => {
  cli = join(mkdtempSync(join(tmpdir(), 'gdpr-workers-')), 'cli.js');
  await build({
    entryPoints: [join(REPO_ROOT, 'server/src/cli/main.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile: cli,
    logLevel: 'error',
  });
});

function scan(dir: string, ...args: string[]): string {
  const run = spawnSync(
    process.execPath,
    [cli, 'scan', dir, '--format', 'json', '--rule', 'hardcoded-health-identifier', ...args],
    {
      encoding: 'utf8',
      env: { ...process.env, GDPR_LINT_HOME: REPO_ROOT },
    },
  );
  expect(run.stderr).toBe('');
  return run.stdout.replace(/"durationMs": \d+/, '"durationMs": 0');
}

describe('--jobs', () => {
  it('gives the same findings with worker threads as in one thread', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gdpr-jobs-'));
    const nirs = ['185057800608491', '284051234567832'];
    for (let i = 0; i < 160; i++) {
      mkdirSync(join(dir, `m${i % 7}`), { recursive: true });
      writeFileSync(
        join(dir, `m${i % 7}`, `f${i}.ts`),
        i % 3 === 0 ? `export const nir${i} = '${nirs[i % 2]}';\n` : `export const v${i} = ${i};\n`,
      );
    }
    const one = scan(dir);
    expect(JSON.parse(one).findings.length).toBe(54);
    expect(scan(dir, '--jobs', '2')).toBe(one);
  });

  it('gives the findings and notes of every rule, in order, on a lab monorepo split over two threads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gdpr-jobs-lab-'));
    generateCorpus(dir, 400);
    const run = (jobs: number) =>
      runScan({ paths: [dir], cwd: dir, config: testConfig(), ...(jobs > 1 ? { jobs, workerScript: cli } : {}) });
    const one = await run(1);
    const two = await run(2);
    expect(two.jobs).toBe(2);
    expect(one.findings.length).toBeGreaterThan(100);
    expect(new Set(one.findings.map((f) => f.ruleId)).size).toBeGreaterThanOrEqual(3);
    expect(two.findings).toEqual(one.findings);
    expect(two.notes).toEqual(one.notes);
  });
});
