import { relative } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

/**
 * Ends the run with the plain `N passed, N failed` line CI reads. A file that failed outside its tests (it did not
 * load, or a hook such as the log scan failed) counts as one failure and is named above the line.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const broken: string[] = [];
    for (const module of testModules) {
      let failedTests = 0;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failedTests++;
        else skipped++;
      }
      if (failedTests === 0 && module.state() === 'failed') {
        const reason = module.errors()[0]?.message.split('\n')[0] ?? 'failed outside its tests';
        broken.push(`failed outside its tests: ${relative(process.cwd(), module.moduleId)}: ${reason}`);
        failed += 1;
      } else {
        failed += failedTests;
      }
    }
    const names = broken.map((line) => `${line}\n`).join('');
    process.stdout.write(`\n${names}${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  }
}
