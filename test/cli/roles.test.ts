import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI } from '../helpers.js';

const NIR = ['2', '95109912611193'].join('');

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'gdpr-roles-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function scan(dir: string, ...args: string[]) {
  const run = spawnSync(process.execPath, [CLI, 'scan', '.', ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const LOG = 'export function f(r: { diagnosis: string }) { console.log(r.diagnosis); }\n';
const app = {
  'src/report.ts': LOG,
  'src/__tests__/report.test.ts': `${LOG}export const nir = '${NIR}';\n`,
  'test/fixtures/patients.ts': `export const patient = { nir: '${NIR}' };\n`,
  'prisma/seed.ts': LOG,
  '.github/actions/notify/compiled/index.js': `/******/ (() => { var __nccwpck_require__ = {}; console.log(r.diagnosis, '${NIR}'); })();\n`,
};

describe('file roles in the CLI', () => {
  it('JSON: findings of non-production files carry their role, stats count the roles, bundles give nothing', () => {
    const out = JSON.parse(scan(tree(app), '--format', 'json').stdout) as {
      findings: { ruleId: string; file: string; role?: string }[];
      stats: { roles: Record<string, number> };
    };
    expect(out.findings.map((f) => `${f.ruleId} ${f.file} ${f.role ?? 'production'}`).sort()).toEqual([
      'hardcoded-health-identifier src/__tests__/report.test.ts test',
      'hardcoded-health-identifier test/fixtures/patients.ts test',
      'health-data-in-logs src/report.ts production',
    ]);
    expect(out.stats.roles).toEqual({ test: 2, seed: 1, generated: 1 });
  });

  it('text: the role beside the finding and a line saying what the roles left out', () => {
    const text = scan(tree(app)).stdout;
    expect(text).toMatch(/hardcoded-health-identifier \[test\]/);
    expect(text).toContain(
      '2 test, 1 seed files not production code: only hardcoded-health-identifier ran there (--include-tests analyses them fully); 1 generated file not analysed.',
    );
  });

  it('SARIF: the role is a result property', () => {
    const sarif = JSON.parse(scan(tree(app), '--format', 'sarif').stdout) as {
      runs: { results: { ruleId: string; properties?: { role?: string } }[] }[];
    };
    const roles = sarif.runs[0]!.results.map((r) => `${r.ruleId} ${r.properties?.role ?? '-'}`).sort();
    expect(roles).toEqual([
      'hardcoded-health-identifier test',
      'hardcoded-health-identifier test',
      'health-data-in-logs -',
    ]);
  });

  it('--include-tests (or includeTests: true) analyses tests and seeds like production code, never bundles', () => {
    const dir = tree(app);
    const flagged = JSON.parse(scan(dir, '--format', 'json', '--include-tests').stdout) as {
      findings: { ruleId: string; file: string }[];
    };
    const logs = flagged.findings
      .filter((f) => f.ruleId === 'health-data-in-logs')
      .map((f) => f.file)
      .sort();
    expect(logs).toEqual(['prisma/seed.ts', 'src/__tests__/report.test.ts', 'src/report.ts']);
    writeFileSync(join(dir, '.gdpr-lint.yaml'), 'includeTests: true\n');
    const configured = JSON.parse(scan(dir, '--format', 'json').stdout) as {
      findings: { ruleId: string; file: string }[];
    };
    expect(
      configured.findings
        .filter((f) => f.ruleId === 'health-data-in-logs')
        .map((f) => f.file)
        .sort(),
    ).toEqual(logs);
  });

  it("the team's roles: globs decide first, relative to the config file", () => {
    const dir = tree({
      ...app,
      'qa/check.ts': LOG,
      '.gdpr-lint.yaml': 'roles:\n  test: [qa]\n  production: [prisma/seed.ts]\n',
    });
    const out = JSON.parse(scan(dir, '--format', 'json').stdout) as { findings: { ruleId: string; file: string }[] };
    const logs = out.findings
      .filter((f) => f.ruleId === 'health-data-in-logs')
      .map((f) => f.file)
      .sort();
    expect(logs).toEqual(['prisma/seed.ts', 'src/report.ts']);
  });

  it('a bad role glob or an unknown role is a located configuration error', () => {
    const dir = tree({ 'a.ts': LOG, '.gdpr-lint.yaml': 'roles:\n  tests: [qa]\n' });
    const run = scan(dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/\.gdpr-lint\.yaml:2:\d+: roles/);
    const bad = tree({ 'a.ts': LOG, '.gdpr-lint.yaml': 'roles:\n  test: ["qa/[x"]\n' });
    expect(scan(bad).stderr).toMatch(/roles\.test\.0.*bad glob/);
  });
});
