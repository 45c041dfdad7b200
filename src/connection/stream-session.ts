import { request, type Dispatcher } from 'undici';
import type { StreamStats } from '../metrics/stream-stats.js';
import { ConnectionAbort, onAbort, sleepUnlessAborted } from './abort-fan-out.js';
import { describeNetworkError } from './describe-error.js';
import type { CameraAuth } from './http-auth.js';
import { backoffDelay, type BackoffPolicy } from './backoff.js';
import { bodyDecoding, type BodyDecoding } from './body-decoder.js';
import { parseMultipartContentType, type MultipartType } from '../mjpeg/content-type.js';
import { MjpegParser } from '../mjpeg/mjpeg-parser.js';
import { printable } from '../text/printable.js';
import { redactUrl } from '../text/redact.js';
import type { TimestampHeaders } from '../mjpeg/part-headers.js';
import type { StallWatchdog, Watched } from './stall-watchdog.js';

export interface SessionDeps {
  dispatcher: Dispatcher;
  headers: Record<string, string>;
  /** The stream's credentials and Digest state, when its camera may ask for them. */
  auth?: CameraAuth;
  /** The proxy the stream goes through, so that its failures are named as the proxy's. */
  proxy?: string;
  /** Milliseconds on the run's clock. */
  now: () => number;
  random: () => number;
  backoff: BackoffPolicy;
  watchdog: StallWatchdog;
  /** The part headers capture times are read from (default: X-Timestamp, X-Frame-Timestamp). */
  timestampHeaders?: TimestampHeaders;
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

type Response = Dispatcher.ResponseData;

/**
 * The request, answering the camera's 401 challenge when the stream has credentials: at most one answer per
 * attempt (two when the nonce was stale), so a wrong password is one HTTP_401 and a backoff, never a storm.
 */
async function requestStream(url: string, deps: SessionDeps, headers: Record<string, string>, signal: ConnectionAbort): Promise<{ response: Response; refused?: string }> {
  const send = (authorization: string | undefined): Promise<Response> =>
    request(url, { dispatcher: deps.dispatcher, headers: authorization === undefined ? headers : { ...headers, authorization }, signal });
  if (!deps.auth) return { response: await send(undefined) };
  const target = new URL(url);
  const attempt = deps.auth.attempt({ method: 'GET', uri: `${target.pathname}${target.search}` });
  let authorization = attempt.first;
  // Bounded by the attempt's rule: three requests at most.
  for (;;) {
    const response = await send(authorization);
    if (response.statusCode !== 401) {
      if (response.statusCode >= 200 && response.statusCode <= 299) attempt.succeeded();
      return { response };
    }
    const step = attempt.unauthorized(response.headers['www-authenticate']);
    if ('refused' in step) return { response, refused: step.refused };
    // Read to the end, so that the answer goes out on the same kept-alive connection, as a camera expects.
    await discard(response.body);
    authorization = step.retry;
  }
}

/** Where a connection stands, for naming a stall: before the response headers it is a headers timeout. */
interface Progress {
  headers: boolean;
}

/** One connection: request, headers check, body through the parser. Resolves with how it ended. */
async function connectOnce(stats: StreamStats, deps: SessionDeps, headers: Record<string, string>, epochAtZero: number): Promise<ConnectionOutcome | undefined> {
  const { now, signal } = deps;
  const controller = new ConnectionAbort();
  const abortOnRunEnd = (): void => {
    controller.abort(signal.reason);
  };
  const stopListening = onAbort(signal, abortOnRunEnd);
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
  const progress: Progress = { headers: false };
  let parser: MjpegParser | undefined;
  try {
    // Watched from the moment the connection is attempted, so a server that accepts and never answers is timed
    // out like one that stops sending, and frees its place among the connection attempts.
    const { response, refused } = await deps.limitConnect(() => {
      stats.requestSent(now());
      deps.watchdog.watch(watched);
      return requestStream(stats.url, deps, headers, controller.signal);
    });
    progress.headers = true;
    stats.responseStarted(now(), response.statusCode);
    const { body } = response;
    const accepted = acceptStream(response, refused);
    if ('code' in accepted) {
      await discard(body);
      return outcome(accepted.code, accepted.message);
    }
    const { multipart, decoding } = accepted;
    // A frame's age: when it arrived, on this machine's wall clock, less the capture time its part carried.
    const onFrame = (size: number, at: number, repeated: boolean, capturedMs: number): void => {
      stats.frame(size, at, repeated, epochAtZero + at - capturedMs);
    };
    parser = new MjpegParser({
      ...(multipart ? { boundary: multipart.boundary } : {}),
      ...(deps.timestampHeaders === undefined ? {} : { timestampHeaders: deps.timestampHeaders }),
      now,
      onFrame,
    });
    const activeParser = parser;
    stats.connectionOpened(now());
    deps.watchdog.watch(watched);

    const ended = await new Promise<ConnectionOutcome>((resolve) => {
      const parse = (chunk: Buffer): void => {
        activeParser.push(chunk);
        const failure = activeParser.failure;
        if (failure) {
          resolve(outcome(failure.code, failure.message));
          body.destroy();
        }
      };
      const decoder = decoding.kind === 'decode' ? decoding.create() : undefined;
      // The hot path, once per chunk: no clock read and no allocation (the watchdog watches the frame count).
      body.on('data', (chunk: Buffer) => {
        stats.bytesReceived(chunk.length, now);
        if (decoder) decoder.write(chunk);
        else parse(chunk);
      });
      const finish = (): void => {
        // The end can settle what the body was: a short body that never showed a delimiter is not a stream.
        activeParser.end();
        const failure = activeParser.failure;
        resolve(failure ? outcome(failure.code, failure.message) : outcome('ENDED', 'the server ended the stream'));
      };
      if (decoder) {
        decoder.on('data', parse);
        decoder.once('end', finish);
        decoder.on('error', (error: Error) => {
          resolve(outcome('DECODING_FAILED', `the ${decoding.kind === 'decode' ? decoding.encoding : ''} body could not be decoded (${error.message})`));
          body.destroy();
        });
        body.once('end', () => decoder.end());
      } else {
        body.once('end', finish);
      }
      // `on`, not `once`: a body can report more than one error as it is torn down.
      body.on('error', (error: unknown) => {
        resolve(failureOutcome(error, controller.signal, progress, outcome, deps.proxy));
      });
    });
    return signal.aborted ? undefined : ended;
  } catch (error) {
    return signal.aborted ? undefined : failureOutcome(error, controller.signal, progress, outcome, deps.proxy);
  } finally {
    stopListening();
    deps.watchdog.unwatch(watched);
    if (parser) {
      // A frame that arrived whole counts however the connection ended; a part cut short counts as truncated
      // only when the server (or its silence) cut it, not when the run ended.
      if (signal.aborted) parser.stop();
      else parser.end();
      stats.parserFinished(parser);
    }
    // After the parser's last word: a frame it confirms only now (its closing delimiter never came) made this
    // connection one that delivered, and so up.
    stats.connectionClosed(now());
  }
}

const headerText = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value.join(', ') : value);

/**
 * Whether an answer is a stream camera-load can read: a 2xx, not plainly a page or a document, in an encoding it
 * decodes. Its boundary and decoding when it is; else the code and message the connection ends with.
 */
function acceptStream(
  response: Response,
  refused: string | undefined,
): { multipart: MultipartType | undefined; decoding: Exclude<BodyDecoding, { kind: 'unsupported' }> } | { code: string; message: string } {
  const { statusCode, headers } = response;
  if (statusCode < 200 || statusCode > 299) return { code: `HTTP_${statusCode}`, message: notServedMessage(statusCode, headers.location, refused) };
  const contentType = contentTypeOf(headers['content-type']);
  const multipart = parseMultipartContentType(contentType);
  if (!multipart && contentType !== undefined && NOT_A_STREAM.test(contentType.toLowerCase())) {
    return { code: 'NOT_MULTIPART', message: `answered ${contentType}, not a multipart stream` };
  }
  const decoding = bodyDecoding(headerText(headers['content-encoding']));
  if (decoding.kind === 'unsupported') {
    return { code: 'UNSUPPORTED_ENCODING', message: `the stream is sent with Content-Encoding '${decoding.encoding}', which camera-load cannot decode` };
  }
  return { multipart, decoding };
}

/** A Content-Type sent twice: the multipart one if either is, else the last (as a browser reads it). */
const contentTypeOf = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? (value.find((type) => parseMultipartContentType(type) !== undefined) ?? value.at(-1)) : value;

/** Why a non-2xx answer is no stream; a redirect says where it pointed, since camera-load does not follow it. */
function notServedMessage(statusCode: number, location: string | string[] | undefined, refused: string | undefined): string {
  const where = headerText(location);
  if (statusCode >= 300 && statusCode <= 399 && where !== undefined) {
    return `answered HTTP ${statusCode}, a redirect to ${printable(redactUrl(where), 200)}: camera-load does not follow redirects; give that URL`;
  }
  return refused === undefined ? `answered HTTP ${statusCode}` : `answered HTTP ${statusCode}: ${refused}`;
}

function failureOutcome(
  error: unknown,
  connectionSignal: { readonly reason: unknown },
  progress: Progress,
  outcome: (code: string, message: string) => ConnectionOutcome,
  proxy: string | undefined,
): ConnectionOutcome {
  if (connectionSignal.reason instanceof StallError) {
    return progress.headers ? outcome('STALL', 'no complete frame within the stall timeout') : outcome('HEADERS_TIMEOUT', 'no response headers within the stall timeout');
  }
  const failure = describeNetworkError(error, proxy);
  return outcome(failure.code, failure.cause);
}

/**
 * Keeps one stream open until the run ends: connect, count, and after any error or end wait with full-jitter
 * backoff and connect again. The backoff attempt counter starts over once a connection delivered a frame.
 */
export async function runStreamSession(stats: StreamStats, deps: SessionDeps): Promise<void> {
  // Compressed multipart is parsed only after decoding; asking for none keeps the common case cheap.
  const headers = { 'accept-encoding': 'identity', ...deps.headers };
  let failuresInARow = 0;
  // The wall clock (Unix ms, sub-millisecond) at the run clock's 0: read once, so that ages within a stream
  // are on one clock whatever the wall clock does meanwhile.
  const epochAtZero = performance.timeOrigin + performance.now() - deps.now();
  while (!deps.signal.aborted) {
    if (stats.attempts > 0) {
      const delay = backoffDelay(deps.backoff, failuresInARow, deps.random);
      const slept = await sleepUnlessAborted(delay, deps.signal);
      if (!slept) break;
      stats.event(deps.now(), 'reconnect', `after ${delay} ms`);
    }
    stats.attemptStarted(deps.now());
    const ended = await connectOnce(stats, deps, headers, epochAtZero);
    if (!ended) break;
    stats.error(ended.code, ended.message, deps.now());
    deps.onOutcome?.(stats, ended);
    failuresInARow = ended.framesOnConnection > 0 ? 1 : failuresInARow + 1;
  }
}
