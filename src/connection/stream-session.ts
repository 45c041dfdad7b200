import type { Transform } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { StreamStats } from '../metrics/stream-stats.js';
import { ConnectionAbort, onAbort, sleepUnlessAborted } from './abort-fan-out.js';
import { describeNetworkError } from './describe-error.js';
import { CameraAuth } from './http-auth.js';
import { backoffDelay, type BackoffPolicy } from './backoff.js';
import { acceptStream, type ReadableDecoding } from './accept-stream.js';
import { MjpegParser } from '../mjpeg/mjpeg-parser.js';
import { discard, requestStream } from './request-stream.js';
import { PACED_HIGH_WATER_MARK, type ViewerPacing } from './viewer-pacing.js';
import type { TimestampHeaders } from '../mjpeg/part-headers.js';
import type { StallWatchdog, Watched } from './stall-watchdog.js';
import type { StreamTarget } from './stream-target.js';
import { defined } from '../defined.js';
import type { EndCode } from '../end-codes.js';
import { ClientDropError, type ClientDrop } from './client-drop.js';

export interface SessionDeps {
  /** Where the stream connects and as whom, resolved when the run was planned. */
  target: StreamTarget;
  dispatcher: Dispatcher;
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
  /** How a slow, pausing or stuck viewer reads; absent for a normal viewer, who reads as fast as it can. */
  pacing?: ViewerPacing;
  /** How the run's reconnect storms reach the open connection; absent: the run has none. */
  drop?: ClientDrop;
}

/** How one connection ended. */
export interface ConnectionOutcome {
  code: EndCode;
  message: string;
  framesOnConnection: number;
}

class StallError extends Error {
  override readonly name = 'StallError';
}

type Response = Dispatcher.ResponseData;

type Body = Response['body'];
/** A normal viewer never holds its reading: one function for every connection rather than a closure each. */
const neverHeld = (): boolean => false;

/**
 * One connection of a stream, in the steps undici's dispatch handlers name: the request, the response's start
 * (status, content type, encoding), its data (each chunk through the decoder and the parser), its end or error,
 * and the teardown. The connection owns its state (its abort, its watch, its parser); the stream's figures change
 * through StreamStats.
 */
class StreamConnection {
  private readonly abort = new ConnectionAbort();
  private readonly stopListening: () => void;
  private readonly framesBefore: number;
  private readonly watched: Watched;
  /** The response headers came: from here a stall is a STALL, not a HEADERS_TIMEOUT. */
  private headersSeen = false;
  private parser: MjpegParser | undefined;
  private decoder: Transform | undefined;
  private body: Body | undefined;
  private settle: (outcome: ConnectionOutcome) => void = () => undefined;

  constructor(
    private readonly stats: StreamStats,
    private readonly deps: SessionDeps,
    /** The stream's credentials and Digest state, when its camera may ask for them. */
    private readonly auth: CameraAuth | undefined,
    /** The wall clock at the run clock's 0, for a frame's age. */
    private readonly epochAtZero: number,
  ) {
    this.stopListening = onAbort(deps.signal, () => {
      this.abort.abort(deps.signal.reason);
    });
    this.framesBefore = stats.frames;
    const pacing = deps.pacing;
    this.watched = {
      progress: stats,
      // A viewer that stops reading on purpose is not stalled: only the time it reads counts.
      held: pacing === undefined ? neverHeld : () => pacing.holding,
      stall: () => {
        this.abort.abort(new StallError('stalled'));
      },
    };
  }

  /** Resolves with how the connection ended; undefined when the run's end ended it. */
  async run(): Promise<ConnectionOutcome | undefined> {
    const { signal } = this.deps;
    try {
      const { response, refused } = await this.request();
      const accepted = this.onResponseStart(response, refused);
      if ('code' in accepted) {
        await discard(response.body);
        return accepted;
      }
      const ended = await this.pump(response.body, accepted.decoding);
      return signal.aborted ? undefined : ended;
    } catch (error) {
      return signal.aborted ? undefined : this.failed(error);
    } finally {
      this.close();
    }
  }

  /**
   * Waits for a connect slot and sends the request. Watched from the moment it leaves, so a server that accepts and
   * never answers is timed out like one that stops sending, and frees its place among the connection attempts.
   */
  private request(): Promise<{ response: Response; refused?: string }> {
    const { stats, deps } = this;
    return deps.limitConnect(() => {
      stats.requestSent(deps.now());
      deps.watchdog.watch(this.watched);
      return requestStream(deps.target, deps.dispatcher, this.auth, this.abort.signal, deps.pacing && PACED_HIGH_WATER_MARK);
    });
  }

  /** The response headers came: a stream camera-load can read opens with its parser; any other answer ends it. */
  private onResponseStart(response: Response, refused: string | undefined): { decoding: ReadableDecoding } | ConnectionOutcome {
    const { stats, deps } = this;
    this.headersSeen = true;
    stats.responseStarted(deps.now(), response.statusCode);
    const accepted = acceptStream(response, refused);
    if ('code' in accepted) return this.outcome(accepted.code, accepted.message);
    this.parser = new MjpegParser({
      ...(accepted.multipart ? { boundary: accepted.multipart.boundary } : {}),
      ...defined({ timestampHeaders: deps.timestampHeaders }),
      now: deps.now,
      onFrame: deps.pacing ? this.onPacedFrame.bind(this) : this.onFrame,
    });
    stats.connectionOpened(deps.now());
    deps.watchdog.watch(this.watched);
    deps.drop?.attach(() => {
      this.abort.abort(new ClientDropError('dropped by the client'));
    });
    return accepted;
  }

  /** Reads the body to its end, its error, a parser failure or the run's end: resolves with how it ended. */
  private pump(body: Body, decoding: ReadableDecoding): Promise<ConnectionOutcome> {
    return new Promise<ConnectionOutcome>((resolve) => {
      this.settle = resolve;
      this.body = body;
      const decoder = decoding.kind === 'decode' ? decoding.create() : undefined;
      this.decoder = decoder;
      if (this.deps.pacing) {
        this.deps.pacing.attach(body);
        body.on('data', this.onPacedData.bind(this));
      } else {
        body.on('data', this.onResponseData);
      }
      if (decoder) {
        decoder.on('data', this.parse);
        decoder.once('end', this.onResponseEnd);
        decoder.on('error', (error: Error) => {
          this.end(this.outcome('DECODING_FAILED', `the ${decoding.kind === 'decode' ? decoding.encoding : ''} body could not be decoded (${error.message})`));
        });
        body.once('end', () => decoder.end());
      } else {
        body.once('end', this.onResponseEnd);
      }
      // `on`, not `once`: a body can report more than one error as it is torn down.
      body.on('error', this.onResponseError);
    });
  }

  /** The hot path, once per chunk: no clock read and no allocation (the watchdog watches the frame count). */
  private readonly onResponseData = (chunk: Buffer): void => {
    this.stats.bytesReceived(chunk.length, this.deps.now);
    if (this.decoder) this.decoder.write(chunk);
    else this.parse(chunk);
  };

  /** A paced viewer's chunk: read as any other, then held as long as its pace asks. Bound only for a paced viewer. */
  private onPacedData(chunk: Buffer): void {
    this.onResponseData(chunk);
    this.deps.pacing?.chunk(chunk.length);
  }

  /** Decoded bytes into the parser; a parser that gave up on the body ends the connection. */
  private readonly parse = (chunk: Buffer): void => {
    const parser = this.parser as MjpegParser;
    parser.push(chunk);
    const failure = parser.failure;
    if (failure) this.end(this.outcome(failure.code, failure.message));
  };

  /** A frame's age: when it arrived, on this machine's wall clock, less the capture time its part carried. */
  private readonly onFrame = (size: number, at: number, repeated: boolean, capturedMs: number): void => {
    this.stats.frame(size, at, repeated, this.epochAtZero + at - capturedMs);
  };

  private onPacedFrame(size: number, at: number, repeated: boolean, capturedMs: number): void {
    this.onFrame(size, at, repeated, capturedMs);
    this.deps.pacing?.frame();
  }

  /** The server ended the body. The end can settle what it was: a short body that never showed a delimiter is not a stream. */
  private readonly onResponseEnd = (): void => {
    const parser = this.parser as MjpegParser;
    parser.end();
    const failure = parser.failure;
    this.settle(failure ? this.outcome(failure.code, failure.message) : this.outcome('ENDED', 'the server ended the stream'));
  };

  private readonly onResponseError = (error: unknown): void => {
    this.settle(this.failed(error));
  };

  /** Ends the connection from this side, with how it ended. */
  private end(outcome: ConnectionOutcome): void {
    this.settle(outcome);
    this.body?.destroy();
  }

  /**
   * The connection is over, however it ended. A frame that arrived whole counts however the connection ended; a
   * part cut short counts as truncated only when the server (or its silence) cut it, not when the run ended.
   */
  private close(): void {
    const { stats, deps, parser } = this;
    this.stopListening();
    deps.pacing?.detach();
    deps.drop?.detach();
    deps.watchdog.unwatch(this.watched);
    if (parser) {
      // Cut short on purpose (the run's end, a storm): a part in flight is not truncated.
      if (deps.signal.aborted || this.abort.reason instanceof ClientDropError) parser.stop();
      else parser.end();
      stats.parserFinished(parser);
    }
    // After the parser's last word: a frame it confirms only now (its closing delimiter never came) made this
    // connection one that delivered, and so up.
    stats.connectionClosed(deps.now());
  }

  private outcome(code: EndCode, message: string): ConnectionOutcome {
    return { code, message, framesOnConnection: this.stats.frames - this.framesBefore };
  }

  /** An error ended the connection: a stall the watchdog called, or the network's error, named. */
  private failed(error: unknown): ConnectionOutcome {
    if (this.abort.reason instanceof ClientDropError) return this.outcome('DROPPED', 'the client dropped the connection on purpose (--storm-at)');
    if (this.abort.reason instanceof StallError) {
      return this.headersSeen
        ? this.outcome('STALL', 'no complete frame within the stall timeout')
        : this.outcome('HEADERS_TIMEOUT', 'no response headers within the stall timeout');
    }
    const failure = describeNetworkError(error, this.deps.target.proxy);
    return this.outcome(failure.code, failure.cause);
  }
}

/**
 * Keeps one stream open until the run (or its visit, under --stages) ends: connect, count, and after any error or end wait with full-jitter
 * backoff and connect again. The backoff attempt counter starts over once a connection delivered a frame.
 */
export async function runStreamSession(stats: StreamStats, deps: SessionDeps): Promise<void> {
  const { credentials } = deps.target;
  // One per stream: a Digest nonce is reused, counted, across the stream's reconnections.
  const auth = credentials === undefined ? undefined : new CameraAuth(credentials);
  let failuresInARow = 0;
  // The wall clock (Unix ms, sub-millisecond) at the run clock's 0: read once, so that ages within a stream
  // are on one clock whatever the wall clock does meanwhile.
  const epochAtZero = performance.timeOrigin + performance.now() - deps.now();
  // A stage's new visit starts without a backoff: only this visit's attempts after its first wait.
  let rejoin = false;
  for (let attempt = 0; !deps.signal.aborted; attempt++) {
    if (attempt > 0) {
      const delay = rejoin && deps.drop?.immediate === true ? 0 : backoffDelay(deps.backoff, failuresInARow, deps.random);
      const slept = await sleepUnlessAborted(delay, deps.signal);
      if (!slept) break;
      stats.event(deps.now(), 'reconnect', `after ${delay} ms`);
    }
    // Back from a storm: the time since the drop was the client's, and this attempt is no reconnection of the server's.
    if (rejoin) stats.rejoined(deps.now());
    stats.attemptStarted(deps.now());
    const ended = await new StreamConnection(stats, deps, auth, epochAtZero).run();
    if (!ended) break;
    deps.onOutcome?.(stats, ended);
    rejoin = ended.code === 'DROPPED';
    if (rejoin) stats.dropped(deps.now());
    else stats.error(ended.code, ended.message, deps.now());
    failuresInARow = ended.framesOnConnection > 0 ? 1 : failuresInARow + 1;
  }
}
