import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, REPO_ROOT } from '../helpers.js';

/** The JSON of a scan without its duration, the only field allowed to differ between runs. */
function scanJson(config: string): string {
  const run = spawnSync(
    process.execPath,
    [CLI, 'scan', 'examples/lab-app', 'test/holdout', '--config', config, '--format', 'json'],
    { cwd: REPO_ROOT, encoding: 'utf8' },
  );
  expect(run.error).toBeUndefined();
  const out = JSON.parse(run.stdout) as { stats: { durationMs?: number } };
  delete out.stats.durationMs;
  return JSON.stringify(out);
}

describe('the same input gives the same findings, whatever the load', () => {
  const busy: ChildProcess[] = [];
  afterAll(() => busy.forEach((p) => p.kill('SIGKILL')));

  it('two runs, one on a machine kept busy, give byte-identical JSON, budget stops included', () => {
    // A budget small enough that some files are stopped: where they stop must not depend on time either.
    const config = join(mkdtempSync(join(tmpdir(), 'gdpr-determinism-')), 'budget.yaml');
    writeFileSync(config, 'workBudget: 60\n');
    const quiet = scanJson(config);
    expect(quiet).toContain('"analysis-timeout"');
    for (let i = 0; i < 3; i++) busy.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
    const loaded = scanJson(config);
    expect(loaded).toBe(quiet);
  });
});
