import { UsageError } from '../errors.js';
import { MAX_FRAME_BYTES, MIN_FRAME_BYTES } from './frame-images.js';

export type ErrorResponse = 503 | 404 | 'html';
export type BoundaryStyle = 'quoted' | 'capitalised';

/** `--freeze`: after every `freshFrames` new frames, re-send the last one `repeatFrames` times. */
export interface FreezeSpec {
  freshFrames: number;
  repeatFrames: number;
}

/** `--lag`: each frame's send is delayed by `stepMsPerSecond` more per second of stream, up to `maxMs`. */
export interface LagSpec {
  stepMsPerSecond: number;
  maxMs: number;
}

/**
 * `--slow-client`: what the fleet does for a viewer whose socket is full (it reads slower than the stream). `drop`
 * skips the frames it cannot take, so it stays fresh at a lower frame rate (uStreamer, MediaMTX); `queue` holds up to
 * `frames` of them, so its delay and the server's memory grow (a server with a per-viewer queue, nginx buffering);
 * `disconnect` ends its stream once it has been behind for `afterMs`.
 */
export type SlowClientPolicy = { policy: 'drop' } | { policy: 'queue'; frames: number } | { policy: 'disconnect'; afterMs: number };

/** A fault and the share of active cameras (0..1) that show it; the cameras are picked by the seed. */
export interface FaultRule<T> {
  value: T;
  share: number;
}

export interface SimulatorFaults {
  /** Close the connection after every N frames sent on it. */
  dropEveryFrames?: FaultRule<number>;
  /** Stop sending after N frames but keep the connection open. */
  stallAfterFrames?: FaultRule<number>;
  /** Answer the stream request with an error instead of a stream. */
  errorResponse?: FaultRule<ErrorResponse>;
  /** Wait this long before sending the response headers. */
  headerDelayMs?: FaultRule<number>;
  /** Every Nth part is not a JPEG. */
  corruptEveryFrames?: FaultRule<number>;
  /** Parts carry no Content-Length header. */
  noContentLength?: FaultRule<true>;
  /** LF instead of CRLF on the wire. */
  lfOnly?: FaultRule<true>;
  /** How the boundary parameter is written in the Content-Type. */
  boundaryStyle?: FaultRule<BoundaryStyle>;
  /** Re-send the last frame (same bytes, same X-Timestamp) for a while, then resume fresh frames. */
  freeze?: FaultRule<FreezeSpec>;
  /** Delay each frame's send by a growing amount, as a backend that queues; X-Timestamp stays the capture time. */
  lag?: FaultRule<LagSpec>;
}

export interface SimulatorOptions {
  host: string;
  /** 0 = any free port. */
  port: number;
  /** Active cameras (status 1). */
  cameras: number;
  /** Inactive cameras (status 0); every other one has fr_url null. */
  inactive: number;
  pageSize: number;
  fps: number;
  /** Ignore fps: write to each stream as fast as it reads (for throughput benchmarks). */
  maxSpeed?: boolean;
  frameBytes: number;
  /** Distinct JPEG images each stream cycles through. */
  distinctFrames: number;
  /** Concurrent streams served fleet-wide; the next one gets 503 with Retry-After. */
  maxClients?: number;
  /** Shared egress budget; above it every stream's frame rate drops in proportion. */
  bandwidthBytesPerSecond?: number;
  /** API and streams answer 401 without `Authorization: Bearer <token>`. */
  requireToken?: string;
  seed: number;
  faults: SimulatorFaults;
  slowClient: SlowClientPolicy;
}

export const DEFAULT_SIMULATOR_OPTIONS: SimulatorOptions = {
  host: '127.0.0.1',
  port: 0,
  cameras: 20,
  inactive: 4,
  pageSize: 25,
  fps: 5,
  frameBytes: 30_000,
  distinctFrames: 10,
  seed: 1,
  faults: {},
  slowClient: { policy: 'drop' },
};

const MAX_CAMERAS = 100_000;

function check(condition: boolean, message: string): void {
  if (!condition) throw new UsageError(message);
}

/** Fills defaults and checks every value, so that the simulator itself trusts its options. */
export function resolveSimulatorOptions(partial: Partial<SimulatorOptions> = {}): SimulatorOptions {
  const options: SimulatorOptions = {
    ...DEFAULT_SIMULATOR_OPTIONS,
    ...partial,
    faults: { ...partial.faults },
  };
  const isCount = (n: number, min: number, max: number): boolean => Number.isInteger(n) && n >= min && n <= max;
  check(isCount(options.port, 0, 65_535), `port must be 0 to 65535, got ${options.port}`);
  check(isCount(options.cameras, 0, MAX_CAMERAS), `cameras must be 0 to ${MAX_CAMERAS}, got ${options.cameras}`);
  check(isCount(options.inactive, 0, MAX_CAMERAS), `inactive must be 0 to ${MAX_CAMERAS}, got ${options.inactive}`);
  check(isCount(options.pageSize, 1, 10_000), `page size must be 1 to 10000, got ${options.pageSize}`);
  check(options.fps > 0 && options.fps <= 1000, `fps must be above 0 and at most 1000, got ${options.fps}`);
  check(
    isCount(options.frameBytes, MIN_FRAME_BYTES, MAX_FRAME_BYTES),
    `frame size must be ${MIN_FRAME_BYTES} to ${MAX_FRAME_BYTES} bytes (a real JPEG needs a few hundred), got ${options.frameBytes}`,
  );
  check(isCount(options.distinctFrames, 1, 100), `distinct frames must be 1 to 100, got ${options.distinctFrames}`);
  if (options.maxClients !== undefined) {
    check(isCount(options.maxClients, 0, 10_000_000), `max clients must be a whole number >= 0, got ${options.maxClients}`);
  }
  if (options.bandwidthBytesPerSecond !== undefined) {
    check(options.bandwidthBytesPerSecond > 0, `bandwidth must be above 0, got ${options.bandwidthBytesPerSecond}`);
  }
  if (options.requireToken !== undefined) check(options.requireToken !== '', 'the required token must not be empty');
  check(Number.isInteger(options.seed), `seed must be a whole number, got ${options.seed}`);
  for (const [name, rule] of Object.entries(options.faults) as [string, FaultRule<unknown> | undefined][]) {
    if (!rule) continue;
    check(rule.share >= 0 && rule.share <= 1, `${name}: share must be 0 to 1, got ${rule.share}`);
    if (typeof rule.value === 'number') {
      const min = name === 'headerDelayMs' || name === 'stallAfterFrames' ? 0 : 1;
      check(Number.isInteger(rule.value) && rule.value >= min, `${name} must be a whole number >= ${min}, got ${rule.value}`);
    }
  }
  const slow = options.slowClient;
  if (slow.policy === 'queue') check(isCount(slow.frames, 1, 100_000), `slow client: queue must hold 1 to 100000 frames, got ${slow.frames}`);
  if (slow.policy === 'disconnect')
    check(slow.afterMs > 0 && slow.afterMs <= 3_600_000, `slow client: disconnect after above 0 and at most an hour, got ${slow.afterMs} ms`);
  const { freeze, lag } = options.faults;
  if (freeze) {
    const { freshFrames, repeatFrames } = freeze.value;
    check(isCount(freshFrames, 1, 1_000_000), `freeze: fresh frames must be a whole number >= 1, got ${freshFrames}`);
    check(isCount(repeatFrames, 1, 1_000_000), `freeze: repeated frames must be a whole number >= 1, got ${repeatFrames}`);
  }
  if (lag) {
    const { stepMsPerSecond, maxMs } = lag.value;
    // The cap bounds the frames a lagging stream holds in timers: at most maxMs × fps of them.
    check(stepMsPerSecond > 0 && Number.isFinite(stepMsPerSecond), `lag: step must be above 0, got ${stepMsPerSecond}`);
    check(maxMs > 0 && maxMs <= 600_000, `lag: maximum must be above 0 and at most 10 minutes, got ${maxMs}`);
  }
  return options;
}
