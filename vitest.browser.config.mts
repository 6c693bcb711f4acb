import { defineConfig } from 'vitest/config';

/** Tests in headless Chromium: `npm run test:e2e` installs Debian's chromium, then runs these. */
export default defineConfig({
  test: { include: ['test/e2e/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 300_000, pool: 'forks' },
});
