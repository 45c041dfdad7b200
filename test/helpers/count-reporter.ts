import type { RunnerTask, RunnerTestFile } from 'vitest';
import type { Reporter } from 'vitest/reporters';

/** Prints the plain closing line CI systems read: "tests: N passed, N failed, N skipped". */
export default class CountReporter implements Reporter {
  onFinished(files: RunnerTestFile[] = []): void {
    const counts = { pass: 0, fail: 0, skip: 0 };
    const walk = (task: RunnerTask): void => {
      if (task.type === 'suite') {
        task.tasks.forEach(walk);
        return;
      }
      const state = task.result?.state;
      if (state === 'pass') counts.pass++;
      else if (state === 'fail') counts.fail++;
      else counts.skip++;
    };
    files.forEach(walk);
    const failedFiles = files.filter((file) => file.result?.state === 'fail' && file.tasks.length === 0).length;
    process.stdout.write(`\ntests: ${counts.pass} passed, ${counts.fail + failedFiles} failed, ${counts.skip} skipped\n`);
  }
}
