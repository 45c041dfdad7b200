import { relative } from 'node:path';
import type { Reporter, TestModule, TestSpecification } from 'vitest/node';

/** How often a line says what is still running, so a slow file never leaves the log silent. */
const HEARTBEAT_MS = 15_000;

/**
 * Progress for a log that is not a terminal: a first line at once (how many files), a line
 * every HEARTBEAT_MS naming the files still running and for how long, and the plain closing line CI systems read:
 * "tests: N passed, N failed, N skipped".
 */
export default class ProgressReporter implements Reporter {
  private readonly running = new Map<string, number>();
  private files = 0;
  private done = 0;
  private heartbeat: NodeJS.Timeout | undefined;

  onTestRunStart(specifications: readonly TestSpecification[]): void {
    this.files = new Set(specifications.map((spec) => spec.moduleId)).size;
    process.stdout.write(`vitest: ${this.files} test files; a line every ${HEARTBEAT_MS / 1000} s names what still runs\n`);
    this.heartbeat = setInterval(() => {
      this.beat();
    }, HEARTBEAT_MS).unref();
  }

  onTestModuleStart(module: TestModule): void {
    this.running.set(module.moduleId, performance.now());
  }

  onTestModuleEnd(module: TestModule): void {
    this.running.delete(module.moduleId);
    this.done++;
  }

  onTestRunEnd(modules: readonly TestModule[]): void {
    clearInterval(this.heartbeat);
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const module of modules) {
      const tests = [...module.children.allTests()];
      // A file that failed to load has no tests: it counts as one failure.
      if (tests.length === 0 && module.state() === 'failed') counts.failed++;
      for (const test of tests) {
        const state = test.result().state;
        if (state === 'passed' || state === 'failed') counts[state]++;
        else counts.skipped++;
      }
    }
    process.stdout.write(`\ntests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`);
  }

  private beat(): void {
    const now = performance.now();
    const names = [...this.running].map(([id, since]) => `${relative(process.cwd(), id)} (${Math.round((now - since) / 1000)} s)`);
    process.stdout.write(`… ${this.done} of ${this.files} files done${names.length > 0 ? `; running ${names.join(', ')}` : ''}\n`);
  }
}
