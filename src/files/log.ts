import { constants, open } from 'node:fs';
import { promisify } from 'node:util';
import pino, { type Logger } from 'pino';

export type { Logger };

const CLOSE_TIMEOUT_MS = 2_000;
/** Lines waiting for a slow disk, at most: past this they are dropped (and counted) rather than held in memory. */
const MAX_PENDING_BYTES = 32 * 1024 * 1024;
/**
 * Lines are written in batches of this much (under sonic-boom's 16 KiB write), or every FLUSH_EVERY_MS: a write per
 * line cost a churning run (a connect, first-frame and depart line per viewer) 15 times the CPU of its log
 * (`npm run bench -- churn-cpu`).
 */
const BATCH_BYTES = 8 * 1024;
const FLUSH_EVERY_MS = 1_000;

export interface FileLog {
  logger: Logger;
  /** Why the log file is incomplete (the first write error, or lines dropped), or undefined while it is whole. */
  problem: () => string | undefined;
  /** Flushes and closes the file; bounded, so a broken disk cannot hang the end of a run. */
  close: () => Promise<void>;
}

// Opened here rather than by sonic-boom: its open blocks on a FIFO with no reader (holding a thread-pool thread,
// and so the process at exit, for ever), and its `mkdir` is Node's recursive one, which can spin for ever
// (see ensureFolder). The folder exists already: the command checked every output first.
const openFile = promisify(open);
const APPEND = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NONBLOCK;

/**
 * The run's log file (JSON lines), written asynchronously so logging never blocks the streams. URLs are
 * redacted where they are built; pino's redaction is the second net for header values and tokens.
 *
 * A log that fails (disk full, reader gone) must cost the run nothing: the first error is recorded, the file
 * is let go, and nothing more is written. Rejects only when the file cannot be opened at all.
 */
export async function createFileLogger(path: string): Promise<FileLog> {
  const fd = await openFile(path, APPEND, 0o666);
  // No retry on EAGAIN (a FIFO whose reader stalls): sonic-boom would retry for ever, even in its exit hook.
  const destination = pino.destination({ dest: fd, sync: false, minLength: BATCH_BYTES, maxLength: MAX_PENDING_BYTES, retryEAGAIN: () => false });
  let failure: string | undefined;
  let dropped = 0;
  let closed = false;
  // Without a listener, an 'error' event would throw and end the process (exit 1, the threshold code).
  destination.on('error', (error: Error) => {
    if (failure !== undefined) return;
    failure = error.message;
    // Destroyed, it is also skipped by pino's flush at process exit, which would throw on the broken file.
    destination.destroy();
  });
  destination.on('drop', () => {
    dropped++;
  });
  // pino writes through this gate: nothing after a failure, nor after close (a late event from a run that was
  // given up on must not write to a closed file).
  const gate = {
    write: (line: string): void => {
      if (failure === undefined && !closed) destination.write(line);
    },
  };
  // A quiet run's lines reach the file within a second, for anyone following it.
  const flusher = setInterval(() => {
    if (failure === undefined && !closed) destination.flush();
  }, FLUSH_EVERY_MS);
  flusher.unref();
  const logger = pino(
    {
      base: { tool: 'camera-load' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: ['headers.*', 'config.headers.*', '*.authorization', 'token'], censor: '[REDACTED]' },
    },
    gate,
  );
  return {
    logger,
    problem: () => failure ?? (dropped > 0 ? `${dropped} lines dropped: the disk did not keep up` : undefined),
    close: async () => {
      if (closed) return;
      closed = true;
      clearInterval(flusher);
      if (failure !== undefined) return;
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        destination.once('close', resolve);
        destination.once('error', () => {
          resolve();
        });
        timer = setTimeout(resolve, CLOSE_TIMEOUT_MS);
        destination.end();
      });
      clearTimeout(timer);
    },
  };
}
