import type { StreamStats } from '../metrics/stream-stats.js';
import { CameraAuth } from './http-auth.js';
import { backoffDelay, type BackoffPolicy } from './backoff.js';
import { StreamConnection } from './stream-connection.js';
import type { ConnectionOutcome, ConnectionOwner, RunDeps, StreamDeps } from './connection-owner.js';

/** What every session of a run shares: one object for the run. */
export interface SessionDeps extends RunDeps {
  backoff: BackoffPolicy;
  /** Told of every connection outcome, for the log. */
  onOutcome?: (stats: StreamStats, outcome: ConnectionOutcome) => void;
}

/** The stream a session holds open, and who is told when the session is over. */
export interface SessionStream extends StreamDeps {
  /** The backoff's random draw, the stream's own sequence. */
  random(): number;
  /** The session is over: its stop ended it. */
  sessionEnded(): void;
}

/**
 * Keeps one stream open until stopped (the run's end, or its visit's under --stages): connect, count, and after any
 * error or end wait with full-jitter backoff and connect again. The backoff attempt counter starts over once a
 * connection delivered a frame. A loop of callbacks, not an async function: nothing of it waits on a promise while
 * its connection streams (three nested async frames held 1.3 KB a stream at 10,000 streams).
 */
export class StreamSession implements ConnectionOwner {
  /** One per session: a Digest nonce is reused, counted, across the stream's reconnections. */
  readonly auth: CameraAuth | undefined;
  /**
   * The wall clock (Unix ms, sub-millisecond) at the run clock's 0: read once, so that ages within a stream are on one
   * clock whatever the wall clock does meanwhile.
   */
  readonly epochAtZero: number;
  stopped = false;
  private failuresInARow = 0;
  /** A drop by a storm ended the last connection: the next attempt is the stream's return, not a reconnection. */
  private rejoin = false;
  private connection: StreamConnection | undefined;
  /** The backoff before the next attempt, while it runs. */
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly stats: StreamStats,
    readonly run: SessionDeps,
    readonly stream: SessionStream,
  ) {
    const { credentials } = stream.target;
    this.auth = credentials === undefined ? undefined : new CameraAuth(credentials);
    this.epochAtZero = performance.timeOrigin + performance.now() - run.now();
  }

  /** The first attempt. A stage's new visit starts without a backoff. */
  start(): void {
    if (this.stopped) this.stream.sessionEnded();
    else this.attempt();
  }

  /** The run's end or the visit's: the open connection is aborted with `reason`, a backoff cut short. */
  stop(reason: unknown): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.stream.sessionEnded();
    } else {
      this.connection?.stop(reason);
    }
  }

  private attempt(): void {
    const { stats, run } = this;
    // Back from a storm: the time since the drop was the client's, and this attempt is no reconnection of the server's.
    if (this.rejoin) stats.rejoined(run.now());
    stats.attemptStarted(run.now());
    const connection = new StreamConnection(this);
    this.connection = connection;
    connection.start();
  }

  connectionEnded(ended: ConnectionOutcome | undefined): void {
    this.connection = undefined;
    if (!ended) {
      this.stream.sessionEnded();
      return;
    }
    const { stats, run, stream } = this;
    run.onOutcome?.(stats, ended);
    this.rejoin = ended.code === 'DROPPED';
    if (this.rejoin) stats.dropped(run.now());
    else stats.error(ended.code, ended.message, run.now());
    this.failuresInARow = ended.framesOnConnection > 0 ? 1 : this.failuresInARow + 1;
    if (this.stopped) {
      this.stream.sessionEnded();
      return;
    }
    const delay = this.rejoin && stream.drop?.immediate === true ? 0 : backoffDelay(run.backoff, this.failuresInARow, () => stream.random());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      stats.event(run.now(), 'reconnect', `after ${delay} ms`);
      this.attempt();
    }, delay);
  }
}
