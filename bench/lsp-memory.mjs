// Memory over a long editing session: 10,000 edits over a real LSP stdio session on a generated
// 500-file workspace, the server's resident memory sampled every 1,000 edits.
//   node bench/lsp-memory.mjs [--edits 10000] [--files 500]
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { BIG_FILE, generateCorpus } from './generate.mjs';
import { lspEdit } from './lsp-edit.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) =>
  process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : fallback;
const edits = arg('--edits', 10_000);
const files = arg('--files', 500);

const dir = mkdtempSync(join(tmpdir(), 'gdpr-lsp-memory-'));
const cli = join(dir, 'cli.js');
await build({
  entryPoints: [join(root, 'server/src/cli/main.ts')],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outfile: cli,
  logLevel: 'error',
});
const workspace = join(dir, 'ws');
generateCorpus(workspace, files);
const edited = join(workspace, BIG_FILE);
const result = await lspEdit({
  cli,
  env: { ...process.env, GDPR_LINT_HOME: root },
  root: workspace,
  file: edited,
  edits,
  rssEvery: 1000,
  timeoutMs: 30_000,
});
const { rssMb, ...latency } = result;
const report = { edits, files, rssMb, growthMb: rssMb.at(-1) - rssMb[1], latency };
writeFileSync(join(dir, 'lsp-memory.json'), JSON.stringify(report, null, 2));
console.log(JSON.stringify(report, null, 2));
