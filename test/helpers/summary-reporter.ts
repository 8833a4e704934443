// Ends the run with one plain line of counts ("tests: N passed, N failed, N skipped"), and under
// CI=true fails the run when any test was skipped: in CI a skipped integration test is a failure.
import type {Reporter, TestModule} from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: readonly TestModule[]): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
    }

    console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
    const isCi = Boolean(process.env['CI']) && process.env['CI'] !== 'false';
    if (isCi && skipped > 0) {
      console.log(`CI=true: ${skipped} skipped test(s) count as a failure.`);
      process.exitCode = 1;
    }
  }
}
