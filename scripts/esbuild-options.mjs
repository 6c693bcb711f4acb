// The esbuild options every bundle of gdpr-lint shares (the published bundles, the bench's, the scorer's).
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * One ES-module view of the CommonJS `typescript` package for the whole bundle. Without it esbuild
 * wraps `require('typescript')` anew in each of the ~60 files that import it, copying thousands of
 * exports into a fresh object every time: about 80 ms of every start-up.
 */
const typescriptOnce = {
  name: 'typescript-once',
  setup(build) {
    build.onResolve({ filter: /^typescript$/ }, (args) =>
      args.namespace === 'typescript-once' ? undefined : { path: 'typescript', namespace: 'typescript-once' },
    );
    build.onLoad({ filter: /.*/, namespace: 'typescript-once' }, () => ({
      contents: "import ts from 'typescript';\nexport default ts;\n",
      resolveDir: root,
      loader: 'js',
    }));
  },
};

export const bundleOptions = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: false,
  legalComments: 'none',
  plugins: [typescriptOnce],
};
