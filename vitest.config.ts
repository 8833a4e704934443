import {configDefaults, defineConfig} from 'vitest/config';

// The engine matrix: integration and end-to-end files run once per engine, each in a project of its
// own with its own isolated engine (test/helpers/global-setup.ts); unit and UI files run once.
// HAWSER_TEST_ENGINES=20,28 (any of 20, 26, 28) picks a subset for a quick local run.
const allEngines = ['20', '26', '28'];
const engines = (process.env['HAWSER_TEST_ENGINES'] ?? allEngines.join(',')).split(',').map(name => name.trim()).filter(Boolean);
const unknown = engines.filter(name => !allEngines.includes(name));
if (unknown.length > 0 || engines.length === 0) {
  throw new Error(`HAWSER_TEST_ENGINES="${process.env['HAWSER_TEST_ENGINES']}": name one or more of ${allEngines.join(', ')}, separated by commas.`);
}

// The single executable (scripts/package-sea.mjs, `npm run package`) is tested on one engine, the newest of those
// asked for, in a project of its own: its setup builds it, then the end-to-end file runs once more with it as the
// program under test (HAWSER_E2E_BIN), and single-executable.test.ts runs it with no Node at all.
const seaEngine = [...engines].sort((a, b) => Number(b) - Number(a))[0]!;
const seaFile = 'test/e2e/single-executable.test.ts';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // One file at a time: the end-to-end files need a terminal that nothing else is loading, and
    // timing-sensitive integration tests ran flaky beside each other on this 2-core machine.
    fileParallelism: false,
    reporters: ['default', './test/helpers/summary-reporter.ts'],
    projects: [
      // HAWSER_UI_LOAD=N runs each UI file beside N busy threads (test/ui/cpu-load.ts).
      {extends: true, test: {name: 'unit', include: ['test/unit/**/*.test.{ts,tsx}', 'test/ui/**/*.test.{ts,tsx}'], setupFiles: ['test/ui/cpu-load.ts']}},
      ...engines.map(id => ({
        extends: true as const,
        test: {
          name: `engine-${id}`,
          include: ['test/integration/**/*.test.{ts,tsx}', 'test/e2e/**/*.test.{ts,tsx}'],
          exclude: [...configDefaults.exclude, seaFile],
          globalSetup: ['test/helpers/global-setup.ts'],
        },
      })),
      {
        extends: true,
        test: {
          name: `sea-${seaEngine}`,
          include: ['test/e2e/tui.test.ts', seaFile],
          globalSetup: ['test/helpers/sea-build.ts', 'test/helpers/global-setup.ts'],
          env: {HAWSER_E2E_BIN: `dist/sea/hawser-linux-${process.arch}`},
        },
      },
    ],
  },
});
