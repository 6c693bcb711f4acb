// Bundles the CLI/language server and the VS Code client with esbuild (type checking is `tsc -b`).
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: false, logLevel: 'warning', legalComments: 'none' };

await Promise.all([
  build({ ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'server/dist/cli.js', minify: true }),
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'], minify: true }),
]);
