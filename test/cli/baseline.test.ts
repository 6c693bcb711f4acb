import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../server/src/engine/index.js';
import { fingerprintFindings, readBaseline } from '../../server/src/host/baseline.js';
import { runInProcess } from './run-cli.js';

function finding(file: string, text: string, token: string, nth = 0, ruleId = 'select-star-export'): Finding {
  let start = -1;
  for (let i = 0; i <= nth; i++) start = text.indexOf(token, start + 1);
  return { ruleId, severity: 'warning', message: 'm', file, range: { start, end: start + token.length } };
}

function fingerprint(file: string, text: string, token: string, nth = 0, all?: Finding[]): string {
  const f = finding(file, text, token, nth);
  const list = all ?? [f];
  return fingerprintFindings(list, new Map([[file, text]]))[
    all ? all.findIndex((x) => x.range.start === f.range.start) : 0
  ]!;
}

describe('fingerprints', () => {
  const base = 'const a = 1;\nconst q = `SELECT * FROM analyses`;\n';

  it('survive line shifts, re-indentation and unrelated edits', () => {
    const fp = fingerprint('src/q.ts', base, '*');
    expect(fingerprint('src/q.ts', `// header\n\n${base}const z = 3;\n`, '*')).toBe(fp);
    expect(fingerprint('src/q.ts', base.replace('const q', '    const   q'), '*')).toBe(fp);
    expect(fingerprint('src/q.ts', base.replace('const a = 1', 'const a = 2'), '*')).toBe(fp);
  });

  it('change with the flagged line, the file or the rule', () => {
    const fp = fingerprint('src/q.ts', base, '*');
    expect(fingerprint('src/q.ts', base.replace('analyses', 'patients'), '*')).not.toBe(fp);
    expect(fingerprint('src/other.ts', base, '*')).not.toBe(fp);
    const other = fingerprintFindings(
      [finding('src/q.ts', base, '*', 0, 'plaintext-health-data')],
      new Map([['src/q.ts', base]]),
    )[0];
    expect(other).not.toBe(fp);
  });

  it('tell identical lines apart by a stable ordinal', () => {
    const text = 'SELECT * FROM analyses;\nSELECT * FROM analyses;\n';
    const both = [finding('a.sql', text, '*', 0), finding('a.sql', text, '*', 1)];
    const [first, second] = fingerprintFindings(both, new Map([['a.sql', text]]));
    expect(first).not.toBe(second);
    expect(fingerprintFindings([...both].reverse(), new Map([['a.sql', text]]))).toEqual([second, first]);
  });

  it('are hashes: no source text in them', () => {
    expect(fingerprint('src/q.ts', base, '*')).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('baseline files', () => {
  const NIR = '185057800608491';

  it('gdpr-lint baseline records findings; scan --baseline reports only new ones; --baseline-update accepts them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gdpr-baseline-'));
    writeFileSync(join(dir, 'a.ts'), `export const nir = '${NIR}';\n`);
    expect(
      (await runInProcess(['baseline', 'baseline.json', '.', '--rule', 'hardcoded-health-identifier'], dir)).code,
    ).toBe(0);
    const saved = readFileSync(join(dir, 'baseline.json'), 'utf8');
    expect(saved).not.toContain(NIR);
    expect(readBaseline(join(dir, 'baseline.json')).size).toBe(1);

    writeFileSync(
      join(dir, 'a.ts'),
      `// moved down\n\nexport const nir = '${NIR}';\nexport const other = '284051234567832';\n`,
    );
    const scan = (...extra: string[]) =>
      runInProcess(
        [
          'scan',
          '.',
          '--format',
          'json',
          '--rule',
          'hardcoded-health-identifier',
          '--baseline',
          'baseline.json',
          ...extra,
        ],
        dir,
      );
    const fresh = await scan();
    expect((JSON.parse(fresh.stdout) as { findings: { line: number }[] }).findings.map((f) => f.line)).toEqual([4]);
    expect(fresh.code).toBe(1);

    await scan('--baseline-update');
    const after = await scan();
    expect((JSON.parse(after.stdout) as { findings: unknown[] }).findings).toEqual([]);
    expect(after.code).toBe(0);
  });

  it('a missing or malformed baseline is a usage error (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gdpr-baseline-'));
    writeFileSync(join(dir, 'a.ts'), 'export const a = 1;\n');
    expect((await runInProcess(['scan', '.', '--baseline', 'missing.json'], dir)).code).toBe(2);
    writeFileSync(join(dir, 'bad.json'), '{"nope": true}');
    const bad = await runInProcess(['scan', '.', '--baseline', 'bad.json'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('not a gdpr-lint baseline');
  });
});

describe('--fail-on and --max-findings', () => {
  it('decide the exit code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gdpr-exit-'));
    writeFileSync(join(dir, 'a.ts'), "export const a = '185057800608491';\nexport const b = '284051234567832';\n");
    const code = async (...extra: string[]) =>
      (await runInProcess(['scan', '.', '--rule', 'hardcoded-health-identifier', ...extra], dir)).code;
    expect(await code()).toBe(1);
    expect(await code('--max-findings', '2')).toBe(0);
    expect(await code('--max-findings', '1')).toBe(1);
    expect(await code('--max-findings', 'x')).toBe(2);
  });
});
