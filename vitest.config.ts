import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests open real sockets and time real streams: keep parallelism modest on 2-core machines.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    reporters: ['default', './test/helpers/progress-reporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
