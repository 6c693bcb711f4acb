import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI } from '../helpers.js';
import { runInProcess } from './run-cli.js';

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'gdpr-options-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

// One error (an open route returning a diagnosis) and one warning (a log of a lab result).
const APP = {
  'app.ts': [
    "import express from 'express';",
    'const app = express();',
    "app.get('/api/patients/:id', (req, res) => res.json({ diagnosis: req.params.id }));",
    'export function log(r: { conclusion: string }) { console.log(r.conclusion); }',
    '',
  ].join('\n'),
};
const scan = (dir: string, ...args: string[]) => runInProcess(['scan', '.', ...args], dir);

describe('CLI options users expect (ESLint meanings)', () => {
  it('--quiet reports errors only, in every format, and warnings do not fail', async () => {
    const dir = tree(APP);
    const all = JSON.parse((await scan(dir, '-f', 'json')).stdout) as { findings: { severity: string }[] };
    expect(all.findings.map((f) => f.severity).sort()).toEqual(['error', 'warning']);
    const quiet = await scan(dir, '-f', 'json', '--quiet');
    expect((JSON.parse(quiet.stdout) as { findings: { severity: string }[] }).findings.map((f) => f.severity)).toEqual([
      'error',
    ]);
    const onlyWarning = tree({ 'a.ts': APP['app.ts'].split('\n').slice(3).join('\n') });
    expect((await scan(onlyWarning)).code).toBe(1);
    expect((await scan(onlyWarning, '--quiet')).code).toBe(0);
  });

  it('--max-warnings N fails past N warnings; errors always fail', async () => {
    const onlyWarning = tree({ 'a.ts': APP['app.ts'].split('\n').slice(3).join('\n') });
    expect((await scan(onlyWarning, '--max-warnings', '1')).code).toBe(0);
    expect((await scan(onlyWarning, '--max-warnings', '0')).code).toBe(1);
    expect((await scan(tree(APP), '--max-warnings', '5')).code).toBe(1);
  });

  it('--no-color and --color decide the text colours', async () => {
    const dir = tree(APP);
    expect((await scan(dir, '--color')).stdout).toContain('\u001b[');
    expect((await scan(dir, '--no-color')).stdout).not.toContain('\u001b[');
  });

  it('NO_COLOR turns colours off even where FORCE_COLOR asks for them', () => {
    const dir = tree(APP);
    const run = (env: Record<string, string>) =>
      spawnSync(process.execPath, [CLI, 'scan', '.'], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', ...env },
      });
    expect(run({ FORCE_COLOR: '1' }).stdout).toContain('\u001b[');
    expect(run({ FORCE_COLOR: '1', NO_COLOR: '1' }).stdout).not.toContain('\u001b[');
  });

  it('--output FILE writes the report there (folders made), nothing on stdout, the same exit code', async () => {
    const dir = tree(APP);
    const run = await scan(dir, '-f', 'json', '--output', 'reports/gdpr.json');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const report = JSON.parse(readFileSync(join(dir, 'reports', 'gdpr.json'), 'utf8')) as { findings: unknown[] };
    expect(report.findings).toHaveLength(2);
  });

  it('--print-config FILE prints the configuration for that file', async () => {
    const dir = tree({ ...APP, '.gdpr-lint.yaml': 'rules:\n  health-data-in-logs: error\nincludeTests: true\n' });
    const run = await runInProcess(['scan', '--print-config', 'app.ts'], dir);
    expect(run.code).toBe(0);
    const printed = JSON.parse(run.stdout) as { rules: Record<string, { severity: string }>; includeTests: boolean };
    expect(printed.rules['health-data-in-logs']!.severity).toBe('error');
    expect(printed.includeTests).toBe(true);
  });

  it('a path with no file to analyse exits 2, unless --no-error-on-unmatched-pattern', async () => {
    const dir = tree({ 'README.md': '# nothing here\n' });
    const run = await scan(dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no file to analyse in .');
    expect((await scan(dir, '--no-error-on-unmatched-pattern')).code).toBe(0);
    const missing = await runInProcess(['scan', 'missing'], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file or directory: missing');
  });

  it('errors are sentences: a report file that is a directory, a mistyped rule', async () => {
    const dir = tree({ ...APP, 'out.json/keep': '' });
    const run = await scan(dir, '-f', 'json', '-o', 'out.json');
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('gdpr-lint: cannot write the json report to out.json: it is a directory\n');
    expect((await scan(dir, '--rule', 'plaintext-health-dat')).stderr).toContain(
      'did you mean "plaintext-health-data"?',
    );
    // A file where a folder of the path should be (mkdir's EEXIST), a baseline that is a folder: sentences, exit 2.
    writeFileSync(join(dir, 'reports'), '');
    const underFile = await scan(dir, '-f', 'json', '-o', 'reports/gdpr.json');
    expect([underFile.code, underFile.stderr]).toEqual([
      2,
      'gdpr-lint: cannot write the json report to reports/gdpr.json: a part of the path is a file, not a directory\n',
    ]);
    const baseline = await scan(dir, '--baseline', 'out.json');
    expect([baseline.code, baseline.stderr]).toEqual([
      2,
      `gdpr-lint: cannot read the baseline ${join(dir, 'out.json')}: it is a directory\n`,
    ]);
    for (const run of [underFile, baseline]) expect(run.stderr).not.toMatch(/internal error|EEXIST|EISDIR/);
  });
});
