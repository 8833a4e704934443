import {defineConfig} from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // One file at a time: the integration files share one engine and its network namespace (a test
    // that compares a host-mode container's interfaces sees another file's bridges), and the
    // end-to-end files need a terminal that nothing else is loading. In a clean clone, files ran in
    // another order than here and such pairs collided.
    fileParallelism: false,
    reporters: ['default', './test/helpers/summary-reporter.ts'],
  },
});
