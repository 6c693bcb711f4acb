import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { review } from '../server/src/host/review/review.js';
import { runScan } from '../server/src/host/scan-pipeline.js';
import { testConfig } from './helpers.js';

const SCHEMA = 'CREATE TABLE patients (\n  id SERIAL PRIMARY KEY,\n  nom TEXT,\n  diagnostic TEXT\n);\n';
const EXPORT = "COPY (SELECT * FROM patients) TO '/srv/exports/patients.csv' WITH (FORMAT csv);\n";

function project(): { dir: string; scan: () => ReturnType<typeof runScan>; config: ReturnType<typeof testConfig> } {
  const dir = mkdtempSync(join(tmpdir(), 'gdpr-review-'));
  writeFileSync(join(dir, 'schema.sql'), SCHEMA);
  writeFileSync(join(dir, 'export.sql'), EXPORT);
  const config = testConfig({ only: ['select-star-export'] });
  return { dir, config, scan: () => runScan({ paths: [dir], cwd: dir, config }) };
}

// The review the CLI's scan runs, called as another adapter would: no command line, no output format.
describe('host review: baseline, fixes, without the CLI', () => {
  it('a baseline of every fingerprint leaves nothing to report, and `all` still holds the findings', async () => {
    const { config, scan } = project();
    const first = await review({ config, scan });
    expect(first.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`)).toEqual(['export.sql:1 select-star-export']);
    const again = await review({ config, scan, known: new Set(first.all.map((f) => f.fingerprint)) });
    expect(again.findings).toEqual([]);
    expect(again.all).toHaveLength(1);
    expect(again.fixed).toBeUndefined();
  });

  it('a dry run plans the fix and writes nothing; a real one writes it and scans again', async () => {
    const { dir, config, scan } = project();
    const dry = await review({ config, scan, fix: { types: ['safe'], dryRun: true } });
    expect(dry.fixed?.diff).toContain('+COPY (SELECT id, nom, diagnostic FROM patients)');
    expect(readFileSync(join(dir, 'export.sql'), 'utf8')).toBe(EXPORT);
    const fixed = await review({ config, scan, fix: { types: ['safe'], dryRun: false } });
    expect(fixed.fixed?.changed.map((c) => [c.file, c.fixes])).toEqual([['export.sql', 1]]);
    expect(readFileSync(join(dir, 'export.sql'), 'utf8')).toBe(
      "COPY (SELECT id, nom, diagnostic FROM patients) TO '/srv/exports/patients.csv' WITH (FORMAT csv);\n",
    );
    expect(fixed.findings).toEqual([]);
  });
});
