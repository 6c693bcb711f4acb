import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSource } from '../../server/src/host/read.js';
import { CLI } from '../helpers.js';

function hostileTree(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gdpr-hostile-'));
  writeFileSync(join(dir, 'binary.ts'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2, 3, 0, 255]));
  writeFileSync(join(dir, 'bundle.js'), `var a=${'1+'.repeat(2_600_000)}1;`);
  writeFileSync(
    join(dir, 'invalid-utf8.ts'),
    Buffer.concat([
      Buffer.from("const q = 'SELECT * FROM patients';\n"),
      Buffer.from([0xc3, 0x28, 0xa0, 0xa1]),
      Buffer.from('\n'),
    ]),
  );
  writeFileSync(join(dir, 'deep.ts'), `const x = ${'(\n'.repeat(10_000)}1${')'.repeat(10_000)};\n`);
  writeFileSync(join(dir, 'long-string.ts'), `export const s = '${'x'.repeat(1_000_000)}';\n`);
  mkdirSync(join(dir, 'loop'));
  symlinkSync(dir, join(dir, 'loop', 'back'));
  symlinkSync(join(dir, 'nowhere.ts'), join(dir, 'dangling.ts'));
  mkdirSync(join(dir, 'dossier patients é'));
  writeFileSync(join(dir, 'dossier patients é', 'requête.sql'), 'SELECT * FROM patients;\n');
  const locked = join(dir, 'locked.ts');
  writeFileSync(locked, 'export const a = 1;\n');
  chmodSync(locked, 0);
  spawnSync('mkfifo', [join(dir, 'pipe.ts')]);
  return dir;
}

describe('hostile files', () => {
  it('are each skipped or analysed, said once, and the scan ends normally', () => {
    const dir = hostileTree();
    const run = spawnSync(process.execPath, [CLI, 'scan', dir, '--format', 'json'], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(run.error).toBeUndefined();
    expect([0, 1]).toContain(run.status);
    const out = JSON.parse(run.stdout) as {
      findings: { file: string }[];
      notes: { file: string; kind: string; message: string }[];
      stats: { roles?: Record<string, number> };
    };
    const noteFor = (file: string) => out.notes.filter((n) => n.file === file);
    expect(noteFor('binary.ts')).toEqual([{ file: 'binary.ts', kind: 'skipped', message: 'binary content' }]);
    expect(noteFor('bundle.js')).toHaveLength(1);
    // A 1 MB single line is a bundle's shape: counted as generated, never analysed.
    expect(noteFor('long-string.ts')).toEqual([]);
    expect(out.findings.some((f) => f.file === 'long-string.ts')).toBe(false);
    expect(out.stats.roles?.generated).toBe(1);
    expect(noteFor('deep.ts')).toHaveLength(1);
    expect(noteFor('dangling.ts')).toEqual([
      expect.objectContaining({ kind: 'skipped', message: 'broken symbolic link' }),
    ]);
    expect(out.notes.some((n) => n.file.startsWith('loop/back'))).toBe(false);
    for (const n of out.notes) expect(out.notes.filter((m) => m.file === n.file && m.kind === n.kind)).toHaveLength(1);
  });

  it('leave the exit code alone, unless --strict', () => {
    const dir = hostileTree();
    const scan = (...extra: string[]) =>
      spawnSync(process.execPath, [CLI, 'scan', dir, '--rule', 'plaintext-health-data', ...extra], {
        encoding: 'utf8',
        timeout: 120_000,
      }).status;
    expect(scan()).toBe(0);
    expect(scan('--strict')).toBe(1);
  });
});

describe('readSource', () => {
  it('says why a file is skipped', () => {
    expect(readSource('/definitely/not/here.ts')).toEqual({ skipped: 'deleted during the scan' });
    const dir = mkdtempSync(join(tmpdir(), 'gdpr-read-'));
    writeFileSync(join(dir, 'a.ts'), 'const a = 1;');
    expect(readSource(join(dir, 'a.ts'))).toMatchObject({
      text: 'const a = 1;',
      source: { encoding: 'utf-8', lossless: true },
    });
  });
});
