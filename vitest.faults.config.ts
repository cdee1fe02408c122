import { defineConfig } from 'vitest/config';

/**
 * The fault suite (`npm run test:faults`): kills runs, restarts the shared Kafka broker and
 * PostgreSQL under them. It must run alone — never beside `npm test`, whose tests use the same
 * broker and cluster — hence its own config, one file at a time, one worker.
 */
export default defineConfig({
  test: {
    name: 'faults',
    include: ['test/faults/**/*.test.ts'],
    globalSetup: ['test/harness/global-setup.ts'],
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 3_600_000,
    hookTimeout: 600_000,
    // The suite's summary table and kill points are its output.
    silent: false,
  },
});
