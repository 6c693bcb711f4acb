import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, SCORER, SMOKE_CORPUS } from './helpers.js';

/** Recall/precision floors on the shared labelled corpus, per rule. */
const FLOORS: Record<string, { recall: number; precision: number }> = {
  'select-star-export': { recall: 0.9, precision: 0.9 },
  'plaintext-health-data': { recall: 0.9, precision: 0.9 },
  'unauthenticated-route': { recall: 0.9, precision: 0.9 },
  'health-data-in-logs': { recall: 0.85, precision: 0.9 },
  'health-data-to-third-party': { recall: 0.85, precision: 0.9 },
  'hardcoded-health-identifier': { recall: 0.85, precision: 0.9 },
};

describe('score on the smoke corpus test/smoke/lab-dev', () => {
  let findingsFile = '';
  beforeAll(() => {
    let out: Buffer;
    try {
      out = execFileSync(process.execPath, [CLI, 'scan', SMOKE_CORPUS, '--format', 'json'], { maxBuffer: 64 << 20 });
    } catch (error) {
      const e = error as { status?: number; stdout?: Buffer };
      if (e.status !== 1 || !e.stdout) throw error;
      out = e.stdout;
    }
    findingsFile = join(mkdtempSync(join(tmpdir(), 'gdpr-corpus-')), 'findings.json');
    writeFileSync(findingsFile, out);
  });

  for (const [rule, floor] of Object.entries(FLOORS)) {
    it(`${rule}: recall >= ${floor.recall}, precision >= ${floor.precision}`, () => {
      const text = execFileSync(process.execPath, [
        SCORER,
        SMOKE_CORPUS,
        findingsFile,
        '--rules',
        rule,
        '--verbose',
      ]).toString();
      const line = text.split('\n').find((l) => l.startsWith(rule))!;
      const [, recall, precision] = /recall ([\d.]+) precision ([\d.]+)/.exec(line)!;
      expect(Number(recall), text).toBeGreaterThanOrEqual(floor.recall);
      expect(Number(precision), text).toBeGreaterThanOrEqual(floor.precision);
    });
  }
});
