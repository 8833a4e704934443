// Ends the run with the counts of each project (unit, and each engine of the matrix) and one plain
// line of totals ("tests: N passed, N failed, N skipped"); under CI=true fails the run when any test
// was skipped: in CI a skipped integration test is a failure.
import type {Reporter, TestModule} from 'vitest/node';

type Counts = {passed: number; failed: number; skipped: number; files: number};

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: readonly TestModule[]): void {
    const total: Counts = {passed: 0, failed: 0, skipped: 0, files: 0};
    const byProject = new Map<string, Counts>();
    for (const module of testModules) {
      const name = module.project.name || 'tests';
      const counts = byProject.get(name) ?? {passed: 0, failed: 0, skipped: 0, files: 0};
      byProject.set(name, counts);
      counts.files++;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        const key = state === 'passed' ? 'passed' : state === 'failed' ? 'failed' : 'skipped';
        counts[key]++;
        total[key]++;
      }

      // A file that failed to load has no tests to count; it is still a failure.
      if (module.state() === 'failed' && [...module.children.allTests()].length === 0) {
        counts.failed++;
        total.failed++;
      }
    }

    console.log('');
    for (const [name, counts] of [...byProject].sort(([a], [b]) => a.localeCompare(b))) {
      console.log(`  ${name.padEnd(10)} ${counts.files} files: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
    }

    console.log(`tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
    const isCi = Boolean(process.env['CI']) && process.env['CI'] !== 'false';
    if (isCi && total.skipped > 0) {
      console.log(`CI=true: ${total.skipped} skipped test(s) count as a failure.`);
      process.exitCode = 1;
    }
  }
}
