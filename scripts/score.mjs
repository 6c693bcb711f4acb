#!/usr/bin/env node
// Bundles the CLI to a private temp file, scans the smoke corpus (test/smoke/lab-dev) and scores it:
//   node scripts/score.mjs [--rules a,b] [--verbose] [--corpus DIR]
// Safe to run while someone else builds: it never touches server/dist.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { bundleOptions } from './esbuild-options.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const corpusAt = args.indexOf('--corpus');
const corpus = corpusAt >= 0 ? resolve(args[corpusAt + 1]) : join(root, 'test', 'smoke', 'lab-dev');
const passThrough = corpusAt >= 0 ? args.filter((_, i) => i !== corpusAt && i !== corpusAt + 1) : args;
const dir = mkdtempSync(join(tmpdir(), 'gdpr-score-'));
const cli = join(dir, 'cli.js');
await build({ ...bundleOptions, entryPoints: [join(root, 'server/src/cli/main.ts')], outfile: cli, logLevel: 'error' });
let out;
try {
  out = execFileSync(process.execPath, [cli, 'scan', corpus, '--format', 'json'], {
    env: { ...process.env, GDPR_LINT_HOME: root },
    maxBuffer: 64 << 20,
  });
} catch (error) {
  if (error.status !== 1) throw error;
  out = error.stdout;
}
const findings = join(dir, 'findings.json');
writeFileSync(findings, out);
process.stdout.write(
  execFileSync(process.execPath, [join(root, 'test', 'smoke', 'score.mjs'), corpus, findings, ...passThrough]),
);
