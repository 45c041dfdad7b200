import type { Logger } from './log.js';
import { redactUrl } from '../text/redact.js';
import type { RunCameras } from '../cameras/open-cameras.js';
import type { Runner } from '../run/runner.js';

const PROGRESS_EVERY_MS = 10_000;

/** The log listens to the runner: every connect, first frame, error, FROZEN picture and reconnection, and progress every 10 s. */
export function attachRunLog(runner: Runner, logger: Logger): void {
  runner.on('start', ({ streams, durationMs }) => {
    logger.info({ event: 'run-start', streams, durationSeconds: durationMs / 1000 });
  });
  // Each stream's URL redacted once, not parsed again for every event: at 10,000 streams the start alone logs
  // 20,000 events (a connect and a first frame each).
  const redacted = new Map<string, string>();
  const urlOf = (url: string): string => {
    let text = redacted.get(url);
    if (text === undefined) {
      text = redactUrl(url);
      redacted.set(url, text);
    }
    return text;
  };
  runner.on('stream-event', (stats, event) => {
    const entry = { event: event.type, camera: stats.cameraId, stream: stats.index, url: urlOf(stats.url), t: event.t / 1000, detail: event.detail };
    if (event.type === 'error' || event.type === 'stall' || event.type === 'frozen') logger.warn(entry);
    else logger.info(entry);
  });
  let lastProgress = 0;
  runner.on('tick', ({ row, totals }) => {
    if (totals.at - lastProgress < PROGRESS_EVERY_MS) return;
    lastProgress = totals.at;
    logger.info({ event: 'progress', t: totals.at / 1000, totals, row });
  });
  runner.on('sample', (sample) => {
    logger.debug({ event: 'system', ...sample });
  });
  runner.on('done', (outcome) => {
    logger.info({ event: 'run-end', elapsedSeconds: outcome.elapsedMs / 1000, interrupted: outcome.interrupted });
  });
}

/** What the camera source listed, or why it failed. */
export function logCameras(logger: Logger, cameras: RunCameras): void {
  logger.info({
    event: 'cameras',
    origin: redactUrl(cameras.origin),
    listed: cameras.listed,
    active: cameras.active,
    skipped: cameras.skipped,
    cameras: cameras.cameras.map((c) => ({ id: c.id, name: c.name, url: redactUrl(c.streamUrl) })),
  });
}
