import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          // Unit tests first, then the integration tests with their own worker limit.
          sequence: { groupOrder: 0 },
          include: ['{app,src,connectors,pipelines,simulator,warehouse}/**/*.test.ts', 'test/unit/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          sequence: { groupOrder: 1 },
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts', 'test/corpus/**/*.test.ts'],
          globalSetup: ['test/harness/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 300_000,
          // Two cores: integration tests share one broker and one PostgreSQL, each with its own topics and database.
          maxWorkers: 2,
        },
      },
    ],
  },
});
