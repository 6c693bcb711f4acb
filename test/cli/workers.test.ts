import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers.js';

// Worker threads run the CLI bundle itself, so this test bundles the sources to a private file.
let cli = '';
beforeAll(async () => {
  cli = join(mkdtempSync(join(tmpdir(), 'gdpr-workers-')), 'cli.js');
  await build({ entryPoints: [join(REPO_ROOT, 'server/src/cli/main.ts')], bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile: cli, logLevel: 'error' });
});

function scan(dir: string, ...args: string[]): string {
  const run = spawnSync(process.execPath, [cli, 'scan', dir, '--format', 'json', '--rule', 'hardcoded-health-identifier', ...args], {
    encoding: 'utf8', env: { ...process.env, GDPR_LINT_HOME: REPO_ROOT },
  });
  expect(run.stderr).toBe('');
  return run.stdout.replace(/"durationMs": \d+/, '"durationMs": 0');
}

describe('--jobs', () => {
  it('gives the same findings with worker threads as in one thread', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gdpr-jobs-'));
    const nirs = ['185057800608491', '284051234567832'];
    for (let i = 0; i < 160; i++) {
      mkdirSync(join(dir, `m${i % 7}`), { recursive: true });
      writeFileSync(join(dir, `m${i % 7}`, `f${i}.ts`), i % 3 === 0 ? `export const nir${i} = '${nirs[i % 2]}';\n` : `export const v${i} = ${i};\n`);
    }
    const one = scan(dir);
    expect(JSON.parse(one).findings.length).toBe(54);
    expect(scan(dir, '--jobs', '2')).toBe(one);
  });
});
