import { setTimeout as sleep } from 'node:timers/promises';
import { request, type Dispatcher } from 'undici';
import type { StreamStats } from '../metrics/stream-stats.js';
import { describeNetworkError } from '../net/describe-error.js';
import { backoffDelay, type BackoffPolicy } from './backoff.js';
import { parseMultipartContentType } from './content-type.js';
import { MjpegParser } from './mjpeg-parser.js';
import type { StallWatchdog, Watched } from './stall-watchdog.js';

export interface SessionDeps {
  dispatcher: Dispatcher;
  headers: Record<string, string>;
  /** Milliseconds on the run's clock. */
  now: () => number;
  random: () => number;
  backoff: BackoffPolicy;
  watchdog: StallWatchdog;
  /** Limits how many connection attempts wait for their response headers at once. */
  limitConnect: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Ends the session: the run is over. */
  signal: AbortSignal;
  /** Told of every connection outcome, for the log. */
  onOutcome?: (stats: StreamStats, outcome: ConnectionOutcome) => void;
}

/** How one connection ended. */
export interface ConnectionOutcome {
  code: string;
  message: string;
  framesOnConnection: number;
}

// Bodies that are plainly not a stream of images: answered at once rather than sniffed.
const NOT_A_STREAM = /^(text\/|application\/(json|xml|problem\+json))/;

/** Reads and drops a body we do not want (bounded by undici's dump limit), so the connection ends cleanly. */
async function discard(body: Dispatcher.ResponseData['body']): Promise<void> {
  await body.dump({ limit: 64 * 1024 }).catch(() => undefined);
}

class StallError extends Error {
  override readonly name = 'StallError';
}

/** One connection: request, headers check, body through the parser. Resolves with how it ended. */
async function connectOnce(stats: StreamStats, deps: SessionDeps): Promise<ConnectionOutcome | undefined> {
  const { now, signal } = deps;
  const controller = new AbortController();
  const abortOnRunEnd = (): void => {
    controller.abort(signal.reason);
  };
  signal.addEventListener('abort', abortOnRunEnd, { once: true });
  const framesBefore = stats.frames;
  const outcome = (code: string, message: string): ConnectionOutcome => ({
    code,
    message,
    framesOnConnection: stats.frames - framesBefore,
  });
  const watched: Watched = {
    progress: stats,
    stall: () => {
      controller.abort(new StallError('stalled'));
    },
  };
  let parser: MjpegParser | undefined;
  try {
    const response = await deps.limitConnect(() =>
      request(stats.url, { dispatcher: deps.dispatcher, headers: deps.headers, signal: controller.signal }),
    );
    const { statusCode, headers, body } = response;
    stats.event(now(), 'connect', `HTTP ${statusCode}`);
    if (statusCode < 200 || statusCode > 299) {
      await discard(body);
      return outcome(`HTTP_${statusCode}`, `answered HTTP ${statusCode}`);
    }
    const contentType = typeof headers['content-type'] === 'string' ? headers['content-type'] : undefined;
    const multipart = parseMultipartContentType(contentType);
    if (!multipart && contentType !== undefined && NOT_A_STREAM.test(contentType.toLowerCase())) {
      await discard(body);
      return outcome('NOT_MULTIPART', `answered ${contentType}, not a multipart stream`);
    }
    const onFrame = (size: number, at: number): void => {
      stats.frame(size, at);
    };
    parser = new MjpegParser({ ...(multipart ? { boundary: multipart.boundary } : {}), now, onFrame });
    const activeParser = parser;
    stats.connectedSince = now();
    deps.watchdog.watch(watched);

    const ended = await new Promise<ConnectionOutcome>((resolve) => {
      // The hot path, once per chunk: no clock read and no allocation (the watchdog watches stats.bytes).
      body.on('data', (chunk: Buffer) => {
        stats.firstByteAt ??= now();
        stats.bytes += chunk.length;
        activeParser.push(chunk);
        if (activeParser.gaveUp) {
          resolve(outcome('NOT_MULTIPART', `no multipart boundary found in ${contentType ?? 'an untyped'} body`));
          body.destroy();
        }
      });
      body.once('end', () => {
        activeParser.end();
        resolve(outcome('ENDED', 'the server ended the stream'));
      });
      // `on`, not `once`: a body can report more than one error as it is torn down.
      body.on('error', (error: unknown) => {
        resolve(failureOutcome(error, controller.signal, outcome));
      });
    });
    return signal.aborted ? undefined : ended;
  } catch (error) {
    return signal.aborted ? undefined : failureOutcome(error, controller.signal, outcome);
  } finally {
    signal.removeEventListener('abort', abortOnRunEnd);
    deps.watchdog.unwatch(watched);
    if (stats.connectedSince !== undefined) {
      stats.connectedMsClosed += now() - stats.connectedSince;
      stats.connectedSince = undefined;
    }
    if (parser) {
      // A frame that arrived whole counts however the connection ended; a part cut short counts as truncated
      // only when the server (or its silence) cut it, not when the run ended.
      if (signal.aborted) parser.stop();
      else parser.end();
      stats.addParts(parser.counters);
    }
  }
}

function failureOutcome(
  error: unknown,
  connectionSignal: AbortSignal,
  outcome: (code: string, message: string) => ConnectionOutcome,
): ConnectionOutcome {
  if (connectionSignal.reason instanceof StallError) return outcome('STALL', 'no data within the stall timeout');
  const failure = describeNetworkError(error);
  return outcome(failure.code, failure.cause);
}

/**
 * Keeps one stream open until the run ends: connect, count, and after any error or end wait with full-jitter
 * backoff and connect again. The backoff attempt counter starts over once a connection delivered a frame.
 */
export async function runStreamSession(stats: StreamStats, deps: SessionDeps): Promise<void> {
  let failuresInARow = 0;
  while (!deps.signal.aborted) {
    if (stats.attempts > 0) {
      const delay = backoffDelay(deps.backoff, failuresInARow, deps.random);
      const slept = await sleep(delay, true, { signal: deps.signal }).catch(() => false);
      if (!slept) break;
      stats.event(deps.now(), 'reconnect', `after ${delay} ms`);
    }
    stats.attempts++;
    stats.firstAttemptAt ??= deps.now();
    const ended = await connectOnce(stats, deps);
    if (!ended) break;
    stats.error(ended.code, ended.message, deps.now());
    deps.onOutcome?.(stats, ended);
    failuresInARow = ended.framesOnConnection > 0 ? 1 : failuresInARow + 1;
  }
}
