import type { Dispatcher } from 'undici';
import type { StreamStats } from '../metrics/stream-stats.js';
import { describeNetworkError } from './describe-error.js';
import { AuthRounds, DISCARD_LIMIT, streamRequest, tooLongToDrain } from './request-stream.js';
import type { Watched } from './stall-watchdog.js';
import type { EndCode } from '../end-codes.js';
import { ClientDropError } from './client-drop.js';
import type { ConnectionOutcome, ConnectionOwner } from './connection-owner.js';

/** An attempt stopped while it waited for its connect slot never leaves: one Error for all, no stack trace each. */
const NOT_SENT = new Error('stopped before the request was sent');
/** Why an unread body past the drain limit is dropped (one Error for all). */
const DRAINED = new Error('the body was longer than camera-load reads of an answer it does not use');
/** How a connection the session's stop ended ended: it has no outcome. */
const STOPPED: ConnectionOutcome = { code: 'ENDED', message: 'stopped', framesOnConnection: 0 };

class StallError extends Error {
  override readonly name = 'StallError';
}

export type Controller = Dispatcher.DispatchController;
export type Headers = Dispatcher.ResponseData['headers'];

/**
 * Where a connection is: its request sent (or a 401's answer), a body read only to its end (a 401 about to be
 * answered, an answer that is no stream), the stream, or over.
 */
export const Phase = { REQUEST: 0, ANSWERING: 1, DRAINING: 2, STREAM: 3, OVER: 4 } as const;
type Phase = (typeof Phase)[keyof typeof Phase];

/**
 * A connection's request, as the handler of undici's dispatch(): a connect slot, the request (and a 401's answer),
 * its abort, the answer, an answer that is no stream read to its end, and how the connection ended. What the stream
 * of an answer that is one does is StreamConnection's.
 */
export abstract class ConnectionRequest implements Dispatcher.DispatchHandler, Watched {
  protected phase: Phase = Phase.REQUEST;
  protected readonly stats: StreamStats;
  private readonly framesBefore: number;
  /** This request's controller, once undici has sent it. */
  protected controller: Controller | undefined;
  /** Why it was aborted (first reason wins): applied as soon as undici hands over the request's controller. */
  protected abortReason: Error | undefined;
  /** The response headers came: from here a stall is a STALL, not a HEADERS_TIMEOUT. */
  private headersSeen = false;
  private rounds: AuthRounds | undefined;
  /** Releases the connect slot: the answer came, or the attempt ended before it. */
  private releaseSlot: (() => void) | undefined;
  /** An answer that is no stream: what it ends as, and how much of its body was drained. */
  private refusal: ConnectionOutcome | undefined;
  private drained = 0;
  /** How it ended, once it has: the first word is the one that counts. */
  private ended: ConnectionOutcome | undefined;

  constructor(protected readonly owner: ConnectionOwner) {
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
    this.abort(new StallError('stalled'));
  }

  stop(reason: unknown): void {
    this.abort(reason instanceof Error ? reason : new Error(String(reason)));
  }

  protected abort(reason: Error): void {
    if (this.abortReason !== undefined) return;
    this.abortReason = reason;
    this.controller?.abort(reason);
  }

  /**
   * Waits for a connect slot and sends the request. Watched from the moment it leaves, so a server that accepts and
   * never answers is timed out like one that stops sending, and frees its place among the connection attempts.
   */
  start(): void {
    const { stats, owner } = this;
    void owner.run
      .limitConnect(stats, () => {
        // Stopped while it waited for its slot: it never leaves (undici would open a connection for an aborted request).
        if (owner.stopped) return Promise.reject(NOT_SENT);
        stats.requestSent(owner.run.now());
        owner.run.watchdog.watch(this);
        if (owner.auth !== undefined) this.rounds = new AuthRounds(owner.auth, owner.stream.target);
        return new Promise<void>((resolve) => {
          this.releaseSlot = resolve;
          this.send();
        });
      })
      .catch((error: unknown) => {
        this.settle(error === NOT_SENT ? undefined : this.failed(error));
      });
  }

  private send(): void {
    this.phase = Phase.REQUEST;
    this.controller = undefined;
    const { stream } = this.owner;
    stream.dispatcher.dispatch(streamRequest(stream.target, this.rounds?.authorization), this);
  }

  onRequestStart(controller: Controller): void {
    this.controller = controller;
    if (this.abortReason !== undefined) controller.abort(this.abortReason);
  }

  onResponseStart(controller: Controller, statusCode: number, headers: Headers): void {
    // undici keeps the raw headers for the response's life, views of the socket read that carried them: each stream
    // would hold that read's whole buffer (64 KB) as long as it streams.
    controller.rawHeaders = null;
    // An informational answer (1xx) is not the answer: as request() reads it.
    if (statusCode < 200) return;
    const answer = this.rounds?.answered(statusCode, headers);
    if (answer?.retry === true) {
      this.drain(Phase.ANSWERING, controller, headers);
      return;
    }
    this.releaseSlot?.();
    this.releaseSlot = undefined;
    this.headersSeen = true;
    this.stats.responseStarted(this.owner.run.now(), statusCode);
    this.onAnswer(controller, statusCode, headers, answer?.refused);
  }

  /** The answer came (and was counted): a stream camera-load can read opens; any other answer is refused. */
  protected abstract onAnswer(controller: Controller, statusCode: number, headers: Headers, refused: string | undefined): void;

  /** An answer that is no stream: it ends as `code`, once its body is read to its end (so the connection ends cleanly). */
  protected refuse(code: EndCode, message: string, controller: Controller, headers: Headers): void {
    this.refusal = this.outcome(code, message);
    this.drain(Phase.DRAINING, controller, headers);
  }

  /** A body read to its end only: bounded, as undici's body.dump(). */
  private drain(phase: typeof Phase.ANSWERING | typeof Phase.DRAINING, controller: Controller, headers: Headers): void {
    this.phase = phase;
    this.drained = 0;
    if (tooLongToDrain(headers)) controller.abort(DRAINED);
  }

  onResponseData(controller: Controller, chunk: Buffer): void {
    if (this.phase === Phase.STREAM) {
      this.data(chunk);
    } else if (this.phase === Phase.ANSWERING || this.phase === Phase.DRAINING) {
      this.drained += chunk.length;
      if (this.drained > DISCARD_LIMIT) controller.abort(DRAINED);
    }
  }

  /** A chunk of the stream. */
  protected abstract data(chunk: Buffer): void;

  onResponseEnd(): void {
    if (this.phase === Phase.ANSWERING) this.answer();
    else if (this.phase === Phase.DRAINING) this.settle(this.refusal, true);
    else if (this.phase === Phase.STREAM) this.complete();
  }

  /** undici delivered the stream's end. */
  protected abstract complete(): void;

  onResponseError(_controller: Controller | undefined, error: Error): void {
    if (this.phase === Phase.DRAINING) {
      this.settle(this.refusal, true);
      return;
    }
    // The 401 was read as far as it goes: the answer is sent unless the connection was aborted meanwhile.
    if (this.phase === Phase.ANSWERING && this.abortReason === undefined) {
      this.answer();
      return;
    }
    this.settle(this.failed(error));
  }

  /**
   * Sends the 401's answer once undici is done with the response that asked for it (it still counts it as running
   * while it tells its end): on a kept-alive connection of the dispatcher, as request() after reading the body.
   */
  private answer(): void {
    queueMicrotask(() => {
      this.send();
    });
  }

  /**
   * The connection's first word on how it ended is the one that counts; it is closed, and the session told, once the
   * code that said it has run to its end. `undefined`, or the session stopped by then: the stop ended it (`kept`: an
   * answer that was no stream counts however the session ended).
   */
  protected settle(outcome: ConnectionOutcome | undefined, kept = false): void {
    if (this.phase === Phase.OVER) return;
    this.phase = Phase.OVER;
    this.releaseSlot?.();
    this.releaseSlot = undefined;
    this.ended = outcome ?? STOPPED;
    queueMicrotask(() => {
      const ended = this.ended === STOPPED || (this.owner.stopped && !kept) ? undefined : this.ended;
      this.close();
      this.owner.connectionEnded(ended);
    });
  }

  /** The connection is over, however it ended: its last words to the stream's figures. */
  protected abstract close(): void;

  protected outcome(code: EndCode, message: string): ConnectionOutcome {
    return { code, message, framesOnConnection: this.stats.frames - this.framesBefore };
  }

  /** An error ended the connection: a stall the watchdog called, or the network's error, named. */
  private failed(error: unknown): ConnectionOutcome {
    if (this.abortReason instanceof ClientDropError) return this.outcome('DROPPED', 'the client dropped the connection on purpose (--storm-at)');
    if (this.abortReason instanceof StallError) {
      return this.headersSeen
        ? this.outcome('STALL', 'no complete frame within the stall timeout')
        : this.outcome('HEADERS_TIMEOUT', 'no response headers within the stall timeout');
    }
    const failure = describeNetworkError(error, this.owner.stream.target.proxy);
    return this.outcome(failure.code, failure.cause);
  }
}
