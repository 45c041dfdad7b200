// How long a run may take to stop: the bounds that keep any failure from holding the process.

/**
 * After a run's planned end: time for the streams to stop and the outputs to be written. The CLI ends the
 * process when it is spent (exit 70), so no failure can hold a run longer.
 */
export const SHUTDOWN_BUDGET_MS = 10_000;
/** Of the shutdown budget, what the streams get to stop; the rest is for writing what was measured. */
export const STOP_GRACE_MS = 6_000;
/** After Ctrl+C, what the streams get to stop: the report is then written well before the CLI's 4.5 s exit. */
export const INTERRUPT_GRACE_MS = 2_500;

/**
 * `work`'s result, or undefined once `limitMs` have passed, or `graceMs` after `signal` aborted: the caller
 * then goes on with what it knows, so a stop that never completes cannot hold the run.
 */
export function settleWithin<T>(work: Promise<T>, limitMs: number, signal: AbortSignal, graceMs: number): Promise<T | undefined> {
  return new Promise<T | undefined>((resolve, reject) => {
    let grace: NodeJS.Timeout | undefined;
    const onAbort = (): void => {
      grace = setTimeout(settle, graceMs, undefined);
    };
    const limit = setTimeout(settle, limitMs, undefined);
    function cleanUp(): void {
      clearTimeout(limit);
      clearTimeout(grace);
      signal.removeEventListener('abort', onAbort);
    }
    function settle(value: T | undefined): void {
      cleanUp();
      resolve(value);
    }
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    work.then(settle, (error: unknown) => {
      cleanUp();
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passed on as the work rejected
      reject(error);
    });
  });
}
