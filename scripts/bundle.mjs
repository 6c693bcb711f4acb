// Bundles the CLI/language server and the VS Code client with esbuild (type checking is `tsc -b`).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { bundleOptions } from './esbuild-options.mjs';

const common = { ...bundleOptions, logLevel: 'warning' };

await Promise.all([
  build({ ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'server/dist/cli.js', minify: true }),
  // The language server alone, for the VS Code extension (the CLI's `lsp` subcommand serves other editors).
  build({ ...common, entryPoints: ['server/src/lsp/main.ts'], outfile: 'server/dist/lsp.js', minify: true }),
  build({
    ...common,
    entryPoints: ['client/src/extension.ts'],
    outfile: 'dist/client.js',
    external: ['vscode'],
    minify: true,
  }),
]);

// The rule pack parsed and validated once, for every start-up (rules/.pack-cache.json; used only while it matches the YAML).
const temp = mkdtempSync(join(tmpdir(), 'gdpr-pack-'));
try {
  const writer = join(temp, 'write-pack-cache.js');
  await build({ ...common, entryPoints: ['server/src/host/write-pack-cache.ts'], outfile: writer });
  execFileSync(process.execPath, [writer], {
    stdio: 'inherit',
    env: { ...process.env, GDPR_LINT_HOME: process.cwd() },
  });
} finally {
  rmSync(temp, { recursive: true, force: true });
}
