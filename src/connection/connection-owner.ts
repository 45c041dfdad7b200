import type { Dispatcher } from 'undici';
import type { StreamStats } from '../metrics/stream-stats.js';
import type { EndCode } from '../end-codes.js';
import type { CameraAuth } from './http-auth.js';
import type { ClientDrop } from './client-drop.js';
import type { TimestampHeaders } from '../mjpeg/part-headers.js';
import type { StallWatchdog } from './stall-watchdog.js';
import type { StreamTarget } from './stream-target.js';
import type { ViewerPacing } from './viewer-pacing.js';

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
