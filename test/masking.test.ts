import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../server/src/cli/run.js';
import { FORMAT_NAMES } from '../server/src/cli/outputs.js';
import { schemesOf } from '../server/src/engine/identifiers/index.js';

/** Checksum-valid identifiers (synthetic, generated for this test), as written in the fixture. */
const IDENTIFIERS = [
  '169063306301775',
  '2 76 05 92 050 437 80',
  '2 84 12 2A 004 012 84',
  '1 55 30 99 135 105 25',
  '7 83 01 99 350 042 38',
  '185057800608491',
  '284122B03104544',
  '293127505612349',
  '295109912611193',
  '253072B07300470',
  '943 476 5919',
  '4010232137',
  '450 557 7104',
  '9434765870',
];

const compact = (s: string) => s.replace(/\s/g, '');

function fixture(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gdpr-mask-'));
  mkdirSync(join(dir, 'src'));
  const [a, b, c, d, e, f, g, h, i, j, k, l, m, n] = IDENTIFIERS;
  writeFileSync(
    join(dir, 'src', 'patients.fixture.ts'),
    [
      `export const patients = [`,
      `  { nom: 'A', nir: '${a}', nhsNumber: '${k}' },`,
      `  { nom: 'B', nir: '${b}', nhsNumber: '${l}' },`,
      `  { nom: 'C', nir: '${c}', nhsNumber: '${m}' },`,
      `];`,
      `export const NIR_DEMO = '${d}';`,
      `export const nia = '${e}';`,
      `export function log(diagnosis: string) { console.log('patient ${a}', diagnosis, '${f}'); }`,
      `export const msg = \`NIR ${j} NHS ${n}\`;`,
      ``,
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'seed.sql'),
    [
      `INSERT INTO patients (id, nom, nir, diagnosis) VALUES (1, 'X', '${f}', 'HIV');`,
      `INSERT INTO patients (id, nom, nir) VALUES (2, 'Y', '${g}');`,
      `INSERT INTO patients (id, ins) VALUES (3, pgp_sym_encrypt('${h}', 'k'));`,
      `UPDATE patients SET nir = '${i}' WHERE id = 4;`,
      ``,
    ].join('\n'),
  );
  return dir;
}

async function run(args: string[], cwd: string): Promise<{ code: number; out: string }> {
  let out = '';
  const sink = () =>
    new Writable({
      write(chunk, _enc, done) {
        out += String(chunk);
        done();
      },
    });
  const code = await runCli(args, { cwd, stdout: sink(), stderr: sink() });
  return { code, out };
}

describe('no output format prints a raw identifier found in scanned code', () => {
  let dir = '';
  beforeAll(() => {
    dir = fixture();
  });

  it('uses identifiers that are valid (so the scan finds them)', () => {
    for (const id of IDENTIFIERS) expect(schemesOf(compact(id).toUpperCase()), id).not.toEqual([]);
  });

  it.each(FORMAT_NAMES)('--format %s', async (format) => {
    const { code, out } = await run(['scan', '.', '--format', format], dir);
    expect(code).toBe(1);
    // the findings are there, masked
    expect(out).toContain('2 76 05 •• ••• ••• ••');
    for (const id of IDENTIFIERS) {
      expect(out, `${format} prints ${id.slice(0, 3)}…`).not.toContain(compact(id));
      expect(out).not.toContain(id);
    }
  });

  it('reports every identifier of the fixture (masked)', async () => {
    const { out } = await run(['scan', '.', '--format', 'json', '--rule', 'hardcoded-health-identifier'], dir);
    const findings = (JSON.parse(out) as { findings: { message: string }[] }).findings;
    expect(findings.length).toBeGreaterThanOrEqual(IDENTIFIERS.length);
    expect(findings.every((f) => f.message.includes('\u2022'))).toBe(true);
  });
});
