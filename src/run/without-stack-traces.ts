// Runs stopping at once (in one process) share one saved limit: the last to finish restores it.
let quietRuns = 0;
let savedStackTraceLimit = Error.stackTraceLimit;

/**
 * Turns stack traces off (`Error.stackTraceLimit = 0`) from start() until end(), which restores the limit as it
 * was once no run is stopping any more: for the stop of a run, where every error is expected and only its code
 * and message are read.
 */
export function withoutStackTraces(): { start: () => void; end: () => void } {
  let started = false;
  return {
    start: () => {
      if (started) return;
      started = true;
      if (quietRuns++ === 0) savedStackTraceLimit = Error.stackTraceLimit;
      Error.stackTraceLimit = 0;
    },
    end: () => {
      if (!started) return;
      started = false;
      if (--quietRuns === 0) Error.stackTraceLimit = savedStackTraceLimit;
    },
  };
}

/**
 * Runs `fn` with stack traces off: for a viewer's departure, whose abort makes undici build two errors
 * (RequestAbortedError, and the socket's InformationalError, whose stack Node's destroy reads at once) that nothing
 * reads after. About 90 µs a departure in a CPU profile of churn.
 */
export function withoutStackTrace<T>(fn: () => T): T {
  const saved = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return fn();
  } finally {
    Error.stackTraceLimit = saved;
  }
}
