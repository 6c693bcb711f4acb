import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, REPO_ROOT } from '../helpers.js';

function cli(args: string[], cwd = REPO_ROOT) {
  const run = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('gdpr-lint scan: the JSON contract of DESIGN.md', () => {
  const run = cli(['scan', 'examples/lab-app', '--format', 'json']);
  const out = JSON.parse(run.stdout) as {
    findings: Record<string, unknown>[];
    stats: { files: number; durationMs: number };
  };

  it('exits 1 with findings on the demo app', () => {
    expect(run.code).toBe(1);
    expect(out.findings.length).toBeGreaterThan(0);
    expect(out.stats.files).toBeGreaterThan(5);
    expect(typeof out.stats.durationMs).toBe('number');
  });

  it('gives every finding exactly the contract keys, 1-based positions and relative posix paths', () => {
    const allowed = new Set([
      'ruleId',
      'severity',
      'message',
      'file',
      'line',
      'column',
      'endLine',
      'endColumn',
      'fixes',
      'suppressed',
      'role',
    ]);
    for (const f of out.findings) {
      for (const key of Object.keys(f)) expect(allowed.has(key), key).toBe(true);
      expect(f.ruleId).toMatch(/^[a-z-]+$/);
      expect(['error', 'warning', 'note']).toContain(f.severity);
      expect(f.file).not.toMatch(/^\/|\\|^examples\//);
      expect(f.line as number).toBeGreaterThanOrEqual(1);
      expect(f.column as number).toBeGreaterThanOrEqual(1);
      expect((f.endLine as number) > (f.line as number) || (f.endColumn as number) >= (f.column as number)).toBe(true);
      const source = readFileSync(join(REPO_ROOT, 'examples/lab-app', f.file as string), 'utf8').split('\n');
      expect((f.line as number) <= source.length).toBe(true);
    }
  });

  it('reports paths relative to the working directory when several paths are given', () => {
    const two = JSON.parse(cli(['scan', 'examples/lab-app/db', 'examples/lab-app/src', '--format', 'json']).stdout) as {
      findings: { file: string }[];
    };
    expect(two.findings.length).toBeGreaterThan(0);
    for (const f of two.findings) expect(f.file).toMatch(/^examples\/lab-app\/(db|src)\//);
  });
});

describe('gdpr-lint scan: exit codes and options', () => {
  it('exits 0 on a directory without findings', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gdpr-clean-'));
    writeFileSync(
      join(dir, 'settings.sql'),
      'CREATE TABLE app_settings (cle TEXT, valeur TEXT);\nSELECT * FROM app_settings;\n',
    );
    const run = cli(['scan', dir]);
    expect(run.stdout).toContain('No GDPR findings');
    expect(run.code).toBe(0);
  });

  it('exits 2 on an unknown rule or a missing path', () => {
    expect(cli(['scan', 'examples/lab-app', '--rule', 'no-such-rule']).code).toBe(2);
    const missing = cli(['scan', 'does/not/exist']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file or directory');
  });

  it('runs only the rules given with --rule', () => {
    const out = JSON.parse(
      cli(['scan', 'examples/lab-app', '--format', 'json', '--rule', 'select-star-export']).stdout,
    ) as { findings: { ruleId: string }[] };
    expect(out.findings.length).toBeGreaterThan(0);
    expect(new Set(out.findings.map((f) => f.ruleId))).toEqual(new Set(['select-star-export']));
  });

  it('never crashes on broken SQL or TS and says once which statements could not be parsed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gdpr-broken-'));
    writeFileSync(
      join(dir, 'broken.sql'),
      "SELECT * FROM patients WHERE (;\nCOPY (SELECT * FROM patients) TO '/srv/www/public/p.csv';\nINSERT INTO ((( ;\n",
    );
    writeFileSync(join(dir, 'broken.ts'), 'const q = `SELECT * FROM patients`; function (( {');
    const run = cli(['scan', dir]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/broken\.sql: \d+ statements? could not be parsed/);
    expect(run.stdout.match(/broken\.sql: \d+ statement/g)).toHaveLength(1);
  });

  it('--fix applies the preferred fixes in place', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gdpr-fix-'));
    cpSync(join(REPO_ROOT, 'test/fixtures/fix'), dir, { recursive: true });
    cli(['scan', dir, '--fix']);
    expect(readFileSync(join(dir, 'export.sql'), 'utf8')).toContain(
      "COPY (SELECT id, nom, prenom, diagnostic FROM patients) TO '/srv/export/patients.csv'",
    );
  });
});
