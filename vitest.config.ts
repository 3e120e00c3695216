import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // 2-core machines: two workers keep PGlite start-up and servers from starving each other.
    pool: 'forks',
    maxWorkers: 2,
    // The summary reporter prints the closing `N passed, N failed` line that CI logs are read by.
    reporters: ['default', './test/helpers/summary-reporter.ts'],
  },
});
