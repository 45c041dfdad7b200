import type { Transform } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { StreamStats } from '../metrics/stream-stats.js';
import { ConnectionAbort } from './abort-fan-out.js';
import { describeNetworkError } from './describe-error.js';
import type { CameraAuth } from './http-auth.js';
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

/** What every stream of a run shares: one object for the run, not one a stream. */
export interface RunDeps {
  /** Milliseconds on the run's clock. */
  now: () => number;
  watchdog: StallWatchdog;
  /** The part headers capture times are read from (default: X-Timestamp, X-Frame-Timestamp). */
  timestampHeaders?: TimestampHeaders;
  /** Limits how many connection attempts of the run wait for their response headers at once. */
  limitConnect: <T>(stats: StreamStats, fn: () => Promise<T>) => Promise<T>;
}

/** One stream's own, read by its connections from the stream itself. */
export interface StreamDeps {
  /** Where the stream connects and as whom, resolved when the run was planned. */
  readonly target: StreamTarget;
  readonly dispatcher: Dispatcher;
  /** How a slow, pausing or stuck viewer reads; absent for a normal viewer, who reads as fast as it can. */
  readonly pacing: ViewerPacing | undefined;
  /** How the run's reconnect storms reach the open connection; absent: the run has none. */
  readonly drop: ClientDrop | undefined;
}

/** The session a connection belongs to: the stream's figures and deps, and how the connection tells it it ended. */
export interface ConnectionOwner {
  readonly stats: StreamStats;
  readonly run: RunDeps;
  readonly stream: StreamDeps;
  /** The stream's credentials and Digest state, when its camera may ask for them. */
  readonly auth: CameraAuth | undefined;
  /** The wall clock at the run clock's 0, for a frame's age. */
  readonly epochAtZero: number;
  /** The run's end or the visit's ended the session: a connection it ends has no outcome. */
  readonly stopped: boolean;
  /** The connection is over: how it ended, or undefined when the session's stop ended it. */
  connectionEnded(outcome: ConnectionOutcome | undefined): void;
}

/** How one connection ended. */
export interface ConnectionOutcome {
  code: EndCode;
  message: string;
  framesOnConnection: number;
}

/** An attempt stopped while it waited for its connect slot never leaves: one Error for all, no stack trace each. */
const NOT_SENT = new Error('stopped before the request was sent');
/** How a connection the session's stop ended ended: it has no outcome. */
const STOPPED: ConnectionOutcome = { code: 'ENDED', message: 'stopped', framesOnConnection: 0 };

class StallError extends Error {
  override readonly name = 'StallError';
}

type Response = Dispatcher.ResponseData;
type Body = Response['body'];

/**
 * One connection of a stream, in the steps undici's dispatch handlers name: the request, the response's start
 * (status, content type, encoding), its data (each chunk through the decoder and the parser), its end or error,
 * and the teardown. No promise is pending while the body streams: each step calls the next, the last tells the
 * session. It owns its state (its abort, its parser, its entry in the watchdog); the figures change through StreamStats.
 */
export class StreamConnection implements Watched {
  private readonly abort = new ConnectionAbort();
  private readonly stats: StreamStats;
  private readonly framesBefore: number;
  /** The response headers came: from here a stall is a STALL, not a HEADERS_TIMEOUT. */
  private headersSeen = false;
  private parser: MjpegParser | undefined;
  private decoder: Transform | undefined;
  private body: Body | undefined;
  /** How it ended, once it has: the first word is the one that counts. */
  private ended: ConnectionOutcome | undefined;

  constructor(private readonly owner: ConnectionOwner) {
    this.stats = owner.stats;
    this.framesBefore = owner.stats.frames;
  }

  get progress(): StreamStats {
    return this.stats;
  }

  /** A viewer that stops reading on purpose is not stalled: only the time it reads counts. */
  held(): boolean {
    return this.owner.stream.pacing?.holding === true;
  }

  stall(): void {
    this.abort.abort(new StallError('stalled'));
  }

  stop(reason: unknown): void {
    this.abort.abort(reason);
  }

  /**
   * Waits for a connect slot and sends the request. Watched from the moment it leaves, so a server that accepts and
   * never answers is timed out like one that stops sending, and frees its place among the connection attempts.
   */
  start(): void {
    const { stats, owner } = this;
    const { run, stream } = owner;
    run
      .limitConnect(stats, () => {
        // Stopped while it waited for its slot: it never leaves (undici would open a connection for an aborted request).
        if (owner.stopped) return Promise.reject(NOT_SENT);
        stats.requestSent(run.now());
        run.watchdog.watch(this);
        return requestStream(stream.target, stream.dispatcher, owner.auth, this.abort.signal, stream.pacing && PACED_HIGH_WATER_MARK);
      })
      .then(
        ({ response, refused }) => {
          this.onResponseStart(response, refused);
        },
        (error: unknown) => {
          this.settle(this.owner.stopped ? undefined : this.failed(error));
        },
      );
  }

  /** The response headers came: a stream camera-load can read opens with its parser; any other answer ends it. */
  private onResponseStart(response: Response, refused: string | undefined): void {
    const { stats, owner } = this;
    const { run, stream } = owner;
    this.headersSeen = true;
    try {
      stats.responseStarted(run.now(), response.statusCode);
      const accepted = acceptStream(response, refused);
      if ('code' in accepted) {
        const outcome = this.outcome(accepted.code, accepted.message);
        // Read to its end first; the answer is the outcome even if the session stopped meanwhile.
        void discard(response.body).then(() => {
          this.settle(outcome, true);
        });
        return;
      }
      this.parser = new MjpegParser({
        ...(accepted.multipart ? { boundary: accepted.multipart.boundary } : {}),
        ...defined({ timestampHeaders: run.timestampHeaders }),
        now: run.now,
        onFrame: stream.pacing ? this.onPacedFrame.bind(this) : this.onFrame,
      });
      stats.connectionOpened(run.now());
      run.watchdog.watch(this);
      stream.drop?.attach(() => {
        this.abort.abort(new ClientDropError('dropped by the client'));
      });
      this.pump(response.body, accepted.decoding);
    } catch (error) {
      this.settle(owner.stopped ? undefined : this.failed(error));
    }
  }

  /** Reads the body to its end, its error, a parser failure or the session's stop, each of which settles it. */
  private pump(body: Body, decoding: ReadableDecoding): void {
    this.body = body;
    const pacing = this.owner.stream.pacing;
    const decoder = decoding.kind === 'decode' ? decoding.create() : undefined;
    this.decoder = decoder;
    if (pacing) {
      pacing.attach(body);
      body.on('data', this.onPacedData.bind(this));
    } else {
      body.on('data', this.onResponseData);
    }
    if (decoder) {
      decoder.on('data', (chunk: Buffer) => {
        this.parse(chunk);
      });
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
  }

  /** The hot path, once per chunk: no clock read and no allocation (the watchdog watches the frame count). */
  private readonly onResponseData = (chunk: Buffer): void => {
    this.stats.bytesReceived(chunk.length, this.owner.run.now);
    if (this.decoder) this.decoder.write(chunk);
    else this.parse(chunk);
  };

  /** A paced viewer's chunk: read as any other, then held as long as its pace asks. Bound only for a paced viewer. */
  private onPacedData(chunk: Buffer): void {
    this.onResponseData(chunk);
    this.owner.stream.pacing?.chunk(chunk.length);
  }

  /** Decoded bytes into the parser; a parser that gave up on the body ends the connection. */
  private parse(chunk: Buffer): void {
    const parser = this.parser as MjpegParser;
    parser.push(chunk);
    const failure = parser.failure;
    if (failure) this.end(this.outcome(failure.code, failure.message));
  }

  /** A frame's age: when it arrived, on this machine's wall clock, less the capture time its part carried. */
  private readonly onFrame = (size: number, at: number, repeated: boolean, capturedMs: number): void => {
    this.stats.frame(size, at, repeated, this.owner.epochAtZero + at - capturedMs);
  };

  private onPacedFrame(size: number, at: number, repeated: boolean, capturedMs: number): void {
    this.onFrame(size, at, repeated, capturedMs);
    this.owner.stream.pacing?.frame();
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
   * The connection's first word on how it ended is the one that counts; it is closed, and the session told, once the
   * code that said it has run to its end (as when it was awaited). `undefined`, or the session stopped by then: the
   * stop ended it (`kept`: an answer that was no stream counts however the session ended).
   */
  private settle(outcome: ConnectionOutcome | undefined, kept = false): void {
    if (this.ended !== undefined) return;
    this.ended = outcome ?? STOPPED;
    queueMicrotask(() => {
      const ended = this.ended === STOPPED || (this.owner.stopped && !kept) ? undefined : this.ended;
      this.close();
      this.owner.connectionEnded(ended);
    });
  }

  /**
   * The connection is over, however it ended. A frame that arrived whole counts however the connection ended; a
   * part cut short counts as truncated only when the server (or its silence) cut it, not when the run ended.
   */
  private close(): void {
    const { stats, owner, parser } = this;
    const { run, stream } = owner;
    stream.pacing?.detach();
    stream.drop?.detach();
    run.watchdog.unwatch(this);
    if (parser) {
      // Cut short on purpose (the run's end, a storm): a part in flight is not truncated.
      if (owner.stopped || this.abort.reason instanceof ClientDropError) parser.stop();
      else parser.end();
      stats.parserFinished(parser);
    }
    // After the parser's last word: a frame it confirms only now (its closing delimiter never came) made this
    // connection one that delivered, and so up.
    stats.connectionClosed(run.now());
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
    const failure = describeNetworkError(error, this.owner.stream.target.proxy);
    return this.outcome(failure.code, failure.cause);
  }
}
