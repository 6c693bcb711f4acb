import { defineConfig } from 'vitest/config';

/** Tests that run the built CLI bundle (server/dist/cli.js): they need `npm run build` first. */
const BUILT_CLI = [
  'test/cli-package.test.ts',
  'test/corpus.test.ts',
  'test/cli/contract.test.ts',
  'test/cli/determinism.test.ts',
  'test/cli/fix.test.ts',
  'test/cli/hostile.test.ts',
  'test/cli/roles.test.ts',
];
const EXCLUDED = ['test/e2e/**', 'test/fuzz/**', '**/node_modules/**'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 300_000,
    projects: [
      {
        extends: true,
        // From sources: `npm run test:unit` runs these without building the bundles.
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [...EXCLUDED, ...BUILT_CLI],
          pool: 'forks',
          isolate: false,
        },
      },
      {
        extends: true,
        test: { name: 'cli', include: BUILT_CLI, exclude: EXCLUDED, pool: 'forks' },
      },
    ],
  },
});
