/**
 * The input of a CI scan is a pull request: whoever opens one controls the files, the
 * configuration and the state the tool finds. Each attack here is bounded by its outcome (the scan
 * finished, said what it refused, leaked nothing), never by a timed assertion.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FORMAT_NAMES } from '../../server/src/cli/outputs.js';
import { runInProcess } from './run-cli.js';

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'gdpr-attack-'));
  execFileSync('git', ['init', '-q', dir]);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}
const APP = { 'src/a.ts': 'export function f(r: { diagnosis: string }) { console.log(r.diagnosis); }\n' };
const scan = (dir: string, ...args: string[]) => runInProcess(['scan', '.', ...args], dir);

describe('team patterns cannot hang a scan', () => {
  it('a regex that backtracks catastrophically runs in linear time on adversarial names', async () => {
    const name = `${'a'.repeat(5000)}b`;
    const dir = tree({
      ...APP,
      'src/b.ts': `export const ${name} = 1;\nexport const x = { ${name}: 2 };\n`,
      '.gdpr-lint.yaml': 'vocabulary:\n  identifierPatterns:\n    lab-result: ["^(a|a)*$", "^(a+)+$"]\n',
    });
    const run = await scan(dir, '--format', 'json');
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).stats.files).toBe(2);
  });

  it('a glob with many wildcards is refused, located; one with a few matches in linear time', async () => {
    const many = tree({ ...APP, '.gdpr-lint.yaml': `ignore: ["${'*a'.repeat(13)}*b"]\n` });
    const refused = await scan(many);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/\.gdpr-lint\.yaml:1:\d+: ignore\.0: bad glob .*more than 8 wildcards/);
    const few = tree({
      ...APP,
      [`src/${'a'.repeat(200)}.ts`]: 'export const a = 1;\n',
      '.gdpr-lint.yaml': `roles:\n  test: ["${'*a'.repeat(7)}*b"]\n`,
    });
    expect((await scan(few)).code).toBe(1);
  });

  it('an invalid name in auth.middleware is a located error, not a silently disabled rule', async () => {
    const run = await scan(tree({ ...APP, '.gdpr-lint.yaml': 'auth:\n  middleware: ["a("]\n' }));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('.gdpr-lint.yaml:2:16: auth.middleware.0: "a(" does not match the expected form');
  });

  it('a backslash glob is a located error', async () => {
    const run = await scan(tree({ ...APP, '.gdpr-lint.yaml': 'include: ["src\\\\\\\\*.ts"]\n' }));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/include\.0: bad glob .*backslash is not a folder separator/);
  });
});

describe('scanned code cannot hang the scan or vanish from it', () => {
  it('a 1.9 MB file of 40,000 SELECT * constants: the scan ends, and says it if the file was stopped', async () => {
    const big = Array.from({ length: 40_000 }, (_, i) => `export const q${i} = 'SELECT * FROM patients';`).join('\n');
    const dir = tree({ ...APP, 'src/queries.ts': big });
    // A budget small enough to stop it, whatever the analysis of its rows' flow costs: the stop is
    // said (with the default budget it ends too: test/engine/robustness.test.ts).
    writeFileSync(join(dir, '.gdpr-lint.yaml'), 'workBudget: 20000\n');
    const json = await scan(dir, '--format', 'json');
    const report = JSON.parse(json.stdout) as {
      findings: { file: string; ruleId: string }[];
      notes: { file: string; kind: string; message: string }[];
    };
    expect(report.notes).toContainEqual({
      file: 'src/queries.ts',
      kind: 'timeout',
      message: expect.stringContaining('stopped after its budget'),
    });
    expect(report.findings).toContainEqual(
      expect.objectContaining({ file: 'src/a.ts', ruleId: 'health-data-in-logs' }),
    );
    const text = await scan(dir);
    expect(text.stdout).toMatch(/src\/queries\.ts: timeout: analysis of src\/queries\.ts stopped after its budget/);
  });

  it('a 3,000-term concatenation is said, not dropped without a word', async () => {
    const terms = Array.from({ length: 3000 }, (_, i) => `'p${i}'`).join(' +\n  ');
    const dir = tree({ ...APP, 'src/long.ts': `export const s = ${terms};\n` });
    const json = await scan(dir, '--format', 'json');
    expect((JSON.parse(json.stdout) as { notes: unknown[] }).notes).toContainEqual({
      file: 'src/long.ts',
      kind: 'ts-syntax',
      message: expect.stringMatching(
        /^not analysed: its code nests 3,\d{3} levels deep, more than the 1,000 the analysis follows$/,
      ),
    });
    const text = await scan(dir);
    expect(text.stdout).toMatch(/src\/long\.ts: not analysed: its code nests 3,\d{3} levels deep/);
  });
});

describe('the configuration stays inside the repository', () => {
  it('extends through a symbolic link to a system file is refused, and nothing of the file is quoted', async () => {
    const dir = tree({ ...APP, '.gdpr-lint.yaml': 'extends: ./shared.yaml\n' });
    symlinkSync('/etc/passwd', join(dir, 'shared.yaml'));
    const run = await scan(dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('"./shared.yaml" is outside the repository');
    expect(run.stderr).not.toMatch(/root:|nologin|\/bin\/(ba)?sh/);
  });

  it('extends to a file above the repository is refused', async () => {
    const outer = mkdtempSync(join(tmpdir(), 'gdpr-outer-'));
    writeFileSync(join(outer, 'team.yaml'), 'rules: {}\n');
    const dir = join(outer, 'repo');
    mkdirSync(join(dir, 'src'), { recursive: true });
    execFileSync('git', ['init', '-q', dir]);
    writeFileSync(join(dir, 'src', 'a.ts'), APP['src/a.ts']);
    writeFileSync(join(dir, '.gdpr-lint.yaml'), 'extends: ../team.yaml\n');
    const run = await scan(dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('"../team.yaml" is outside the repository');
  });

  it('ruleFiles that would walk the whole file system are refused before walking', async () => {
    const run = await scan(tree({ ...APP, '.gdpr-lint.yaml': 'ruleFiles: ["/**/*.yaml"]\n' }));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('ruleFiles.0: "/**/*.yaml" is outside the repository');
  });

  it('a configuration nested 1,000 levels deep, or over 256 KB, is refused unread, located', async () => {
    const json = await scan(tree({ ...APP, '.gdpr-lint.json': `{"rules": ${'['.repeat(1000)}${']'.repeat(1000)}}` }));
    expect(json.code).toBe(2);
    expect(json.stderr).toContain('nested more than 32 levels deep');
    const yaml = await scan(tree({ ...APP, '.gdpr-lint.yaml': `rules: ${'['.repeat(1000)}${']'.repeat(1000)}\n` }));
    expect(yaml.stderr).toContain('nested more than 32 levels deep');
    const big = await scan(tree({ ...APP, '.gdpr-lint.yaml': `# ${'x'.repeat(300 * 1024)}\nrules: {}\n` }));
    expect(big.stderr).toContain('larger than 256 KB');
  });
});

describe('files are sized and typed before they are read', () => {
  it('a 1.5 GB dump is skipped by its size, never read', async () => {
    const dir = tree({ ...APP, 'dump.sql': '' });
    // Sparse: 1.5 GB long, no disk used; reading it would take 1.5 GB of memory.
    truncateSync(join(dir, 'dump.sql'), 1.5 * 1024 ** 3);
    const before = process.memoryUsage().rss;
    const run = await scan(dir, '--format', 'json');
    expect(process.memoryUsage().rss - before).toBeLessThan(512 * 1024 ** 2);
    expect((JSON.parse(run.stdout) as { notes: unknown[] }).notes).toContainEqual({
      file: 'dump.sql',
      kind: 'skipped',
      message: 'larger than 2 MB',
    });
  });

  it('a device given as a path is never read', async () => {
    const run = await runInProcess(
      ['scan', '/dev/zero', '--format', 'json', '--no-error-on-unmatched-pattern'],
      tmpdir(),
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).notes).toEqual([
      expect.objectContaining({ kind: 'skipped', message: expect.stringContaining('not a regular file') }),
    ]);
  });
});

describe('state and paths', () => {
  it.each([
    ['broken entries', () => ({ key: 'x', findings: [null], notes: null })],
    ['null entries', () => null],
  ])('a corrupt cache (right header, %s) is rebuilt', async (_what, entry) => {
    const dir = tree(APP);
    expect((await scan(dir, '--cache')).code).toBe(1);
    const cacheDir = join(dir, 'node_modules', '.cache', 'gdpr-lint');
    const file = join(cacheDir, execFileSync('ls', [cacheDir], { encoding: 'utf8' }).trim().split('\n')[0]!);
    const cache = JSON.parse(readFileSync(file, 'utf8')) as { entries: Record<string, unknown> };
    const keys = Object.keys(cache.entries);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) cache.entries[key] = entry();
    writeFileSync(file, JSON.stringify(cache));
    const run = await scan(dir, '--cache', '--format', 'json');
    expect(run.code).toBe(1);
    expect(run.stderr).not.toMatch(/internal error/i);
    expect((JSON.parse(run.stdout) as { findings: unknown[] }).findings).toHaveLength(1);
    // Rebuilt: the entries are whole again.
    const rebuilt = JSON.parse(readFileSync(file, 'utf8')) as {
      entries: Record<string, { findings?: unknown[] } | null>;
    };
    for (const key of keys) expect(rebuilt.entries[key]?.findings).toBeInstanceOf(Array);
  });

  it('a corrupt baseline and an empty --changed-since are sentences, exit 2', async () => {
    const dir = tree({ ...APP, 'base.json': '{"findings": 3' });
    const baseline = await scan(dir, '--baseline', 'base.json');
    expect(baseline.code).toBe(2);
    expect(baseline.stderr).toMatch(/base\.json: not a gdpr-lint baseline/);
    const since = await scan(dir, '--changed-since', '');
    expect(since.code).toBe(2);
    expect(since.stderr).toContain('--changed-since needs a git ref');
  });

  it('an unreadable .gdpr-lintignore is said, and an include that matches nothing says so', async () => {
    const dir = tree(APP);
    mkdirSync(join(dir, '.gdpr-lintignore'));
    const run = await scan(dir, '--format', 'json');
    expect((JSON.parse(run.stdout) as { notes: { file: string; message: string }[] }).notes).toContainEqual(
      expect.objectContaining({
        file: '.gdpr-lintignore',
        message: expect.stringContaining('its patterns are not applied'),
      }),
    );
    const include = await scan(tree({ ...APP, '.gdpr-lint.yaml': 'include: ["lib/**"]\n' }));
    expect(include.code).toBe(2);
    expect(include.stderr).toContain("the configuration's include (lib/**) matches no file");
  });

  it('files reached through paths outside the working directory never get a file field that escapes the root', async () => {
    const a = tree(APP);
    const b = tree(APP);
    const cwd = mkdtempSync(join(tmpdir(), 'gdpr-cwd-'));
    for (const format of FORMAT_NAMES) {
      const run = await runInProcess(['scan', a, b, '--format', format], cwd);
      expect(run.stdout, format).toContain('a.ts');
      expect(run.stdout, format).not.toContain('../');
    }
  });
});
