import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit`, the fast default (`npm test`: in-process and loopback tests), and `e2e` (`npm run test:e2e`:
 * a real browser, the production build, child processes). `npm run test:all` runs both in one run.
 */
export default defineConfig({
  resolve: {
    // graphql 16 ships CJS and ESM without an exports map; one copy for src, tests and yoga (docs/architecture.md).
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    environment: 'node',
    reporters: ['default', './test/helpers/summary-reporter.ts'],
    setupFiles: ['./test/helpers/setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        // One module graph per worker instead of one per file: the schema, yoga and the emulator are imported once,
        // which saves most of the run. Nothing in src/ keeps global state; test/helpers/setup.ts resets the log sink.
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/e2e/**'], isolate: false },
      },
      {
        extends: true,
        test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 },
      },
    ],
  },
});
