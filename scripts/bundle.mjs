// Bundles the CLI/language server and the VS Code client with esbuild (type checking is `tsc -b`).
import { build } from 'esbuild';
import { bundleOptions } from './esbuild-options.mjs';

const common = { ...bundleOptions, logLevel: 'warning' };

await Promise.all([
  build({ ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'server/dist/cli.js', minify: true }),
  // The language server alone, for the VS Code extension (the CLI's `lsp` subcommand serves other editors).
  build({ ...common, entryPoints: ['server/src/lsp/main.ts'], outfile: 'server/dist/lsp.js', minify: true }),
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'], minify: true }),
]);
