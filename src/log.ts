import { once } from 'node:events';
import pino, { type Logger } from 'pino';

export type { Logger };

const CLOSE_TIMEOUT_MS = 2_000;

/**
 * The run's log file (JSON lines), written asynchronously so logging never blocks the streams. URLs are
 * redacted where they are built; pino's redaction is the second net for header values and tokens.
 */
export function createFileLogger(path: string): { logger: Logger; close: () => Promise<void> } {
  const destination = pino.destination({ dest: path, sync: false, mkdir: true });
  const logger = pino(
    {
      base: { tool: 'camera-load' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: ['headers.*', 'config.headers.*', '*.authorization', 'token'], censor: '[REDACTED]' },
    },
    destination,
  );
  return {
    logger,
    // end() waits for the file to open and for every pending write; bounded so a broken disk cannot hang us.
    close: async () => {
      const closed = once(destination, 'close');
      destination.end();
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, CLOSE_TIMEOUT_MS).unref())]);
    },
  };
}
