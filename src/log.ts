import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * The run's log file (JSON lines). Everything logged passes through redaction first (URLs are redacted where
 * they are built); pino's own redaction is the second net for header values.
 */
export function createFileLogger(path: string): { logger: Logger; flush: () => void } {
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
    flush: () => {
      logger.flush();
      destination.flushSync();
    },
  };
}
