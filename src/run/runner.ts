import { EventEmitter, setMaxListeners } from 'node:events';
import pLimit, { type LimitFunction } from 'p-limit';
import type { Dispatcher } from 'undici';
import { createDispatcher, type Network } from '../connection/network.js';
import type { StreamTarget } from '../connection/stream-target.js';
import type { Camera } from '../cameras/camera.js';
import type { FreshnessOptions } from '../metrics/freshness.js';
import type { TimestampHeaders } from '../mjpeg/part-headers.js';
import type { RunOutcome } from '../metrics/run-outcome.js';
import { StreamStats, type StreamEvent } from '../metrics/stream-stats.js';
import { Timeline, type TimelineRow, type Totals } from '../metrics/timeline.js';
import type { SystemSample } from '../metrics/client-health.js';
import { SystemSampler } from '../system/sampler.js';
import type { BackoffPolicy } from '../connection/backoff.js';
import { StallWatchdog } from '../connection/stall-watchdog.js';
import { sleepUnlessAborted } from '../connection/abort-fan-out.js';
import { runStreamSession, type ConnectionOutcome } from '../connection/stream-session.js';

/** One stream of the plan: the camera it reads, and where it connects and as whom. */
export interface PlannedStream {
  camera: Camera;
  target: StreamTarget;
}

export interface RunPlan {
  /** One entry per stream to hold open (a camera appears more than once with --streams-per-camera). */
  streams: PlannedStream[];
  /** Each stream's index in the whole test (a shard holds only some of them); by default 0, 1, 2, … */
  indexes?: readonly number[];
  durationMs: number;
  rampUpMs: number;
  stallTimeoutMs: number;
  /** When a picture that stays the same counts as frozen (default: DEFAULT_FRESHNESS). */
  freshness?: FreshnessOptions;
  /** The part headers capture times are read from (default: X-Timestamp, X-Frame-Timestamp). */
  timestampHeaders?: TimestampHeaders;
  backoff: BackoffPolicy;
  intervalMs: number;
  /** The proxies and the certificates trusted, for the run's dispatchers. */
  network: Network;
  /** Connection attempts waiting for response headers at once. */
  connectConcurrency: number;
  systemIntervalMs: number;
  /** The backoff's random draw (default Math.random): the benchmark fixes it to hold every stream to one connection. */
  random?: () => number;
}


export interface RunnerEvents {
  start: [{ streams: number; durationMs: number }];
  tick: [{ row: TimelineRow; totals: Totals; elapsedMs: number }];
  sample: [SystemSample];
  outcome: [StreamStats, ConnectionOutcome];
  'stream-event': [StreamStats, StreamEvent];
  done: [RunOutcome];
}

/** What every stream of a run shares as it starts. */
interface StartContext {
  now: () => number;
  /** Aborted when the run ends. */
  stop: AbortSignal;
  dispatchers: readonly Dispatcher[];
  watchdog: StallWatchdog;
  limitConnect: LimitFunction;
}

/** Streams set up in one turn of the event loop at the start; see run(). */
const START_BATCH = 64;

/** Streams that share one undici dispatcher (and its pool of connections); see run(). */
export const STREAMS_PER_DISPATCHER = 64;

/** Sums over all streams now: what the timeline and the live progress read. */
export function totalsOf(streams: readonly StreamStats[], at: number): Totals {
  const totals: Totals = { at, frames: 0, bytes: 0, reconnections: 0, errors: 0, errorsByCode: {}, openStreams: 0, freshFrames: 0, timestampedFrames: 0, delaySumMs: 0 };
  for (const s of streams) {
    totals.frames += s.frames;
    totals.freshFrames += s.frames - s.freshness.repeated;
    totals.timestampedFrames += s.freshness.timestamped;
    totals.delaySumMs += s.freshness.delaySumMs;
    totals.bytes += s.bytes;
    totals.reconnections += s.reconnections;
    if (s.connected) totals.openStreams++;
    for (const code in s.errors) {
      const n = s.errors[code] ?? 0;
      totals.errors += n;
      totals.errorsByCode[code] = (totals.errorsByCode[code] ?? 0) + n;
    }
  }
  return totals;
}

// Runs stopping at once (in one process) share one saved limit: the last to finish restores it.
let quietRuns = 0;
let savedStackTraceLimit = Error.stackTraceLimit;

/**
 * Turns stack traces off (`Error.stackTraceLimit = 0`) from start() until end(), which restores the limit as it
 * was once no run is stopping any more: for the stop of a run, where every error is expected and only its code
 * and message are read.
 */
export function withoutStackTraces(): { start: () => void; end: () => void } {
  let started = false;
  return {
    start: () => {
      if (started) return;
      started = true;
      if (quietRuns++ === 0) savedStackTraceLimit = Error.stackTraceLimit;
      Error.stackTraceLimit = 0;
    },
    end: () => {
      if (!started) return;
      started = false;
      if (--quietRuns === 0) Error.stackTraceLimit = savedStackTraceLimit;
    },
  };
}

/**
 * Holds the planned streams open for the duration and reports what happened. It only emits events and returns
 * data: progress, log and report listen. `signal` (Ctrl+C) ends the run early, marked interrupted.
 */
export class Runner extends EventEmitter<RunnerEvents> {
  /** Totals right now, for a live display between ticks. */
  live: () => Totals | undefined = () => undefined;
  /** What has been measured so far, shaped as the outcome; see snapshot(). */
  private soFar: ((interrupted: boolean) => RunOutcome) | undefined;

  constructor(private readonly plan: RunPlan) {
    super();
  }

  /**
   * The outcome as measured up to now: what a command reports if the streams do not stop within its shutdown
   * budget, so a run that cannot end cleanly still loses nothing it measured.
   */
  snapshot(interrupted: boolean): RunOutcome {
    const now = new Date();
    return this.soFar?.(interrupted) ?? { startedAt: now, endedAt: now, elapsedMs: 0, interrupted, streams: [], timeline: [], system: [] };
  }

  /** One stream: waits for its place in the ramp-up (on the run clock), then holds it open until the run ends. */
  private async startSession(stats: StreamStats, target: StreamTarget, index: number, scheduledAt: number, run: StartContext): Promise<void> {
    const plan = this.plan;
    stats.scheduled(scheduledAt);
    // Until the stream's own time on the run clock, so that the set-up of the streams before it does not push the
    // whole ramp back.
    const wait = scheduledAt - run.now();
    if (wait > 0 && !(await sleepUnlessAborted(wait, run.stop))) return;
    const { limitConnect, stop } = run;
    await runStreamSession(stats, {
      target,
      dispatcher: run.dispatchers[index % run.dispatchers.length] as Dispatcher,
      now: run.now,
      random: plan.random ?? Math.random,
      backoff: plan.backoff,
      watchdog: run.watchdog,
      limitConnect: (fn) => {
        // Whether its first request had to wait for a slot: with one free, the time until it left is camera-load's
        // own (the limiter starts its work in a microtask, after the streams set up in the same turn).
        stats.connectSlotAsked(limitConnect.activeCount + limitConnect.pendingCount >= plan.connectConcurrency);
        return limitConnect(() => (stop.aborted ? Promise.reject(stop.reason as Error) : fn()));
      },
      ...(plan.timestampHeaders === undefined ? {} : { timestampHeaders: plan.timestampHeaders }),
      signal: stop,
      onOutcome: (s, outcome) => this.emit('outcome', s, outcome),
    });
  }

  async run(signal: AbortSignal): Promise<RunOutcome> {
    const plan = this.plan;
    const clockStart = performance.now();
    const now = (): number => performance.now() - clockStart;
    const startedAt = new Date();
    const stop = new AbortController();
    let stoppedAt: number | undefined;
    const quietErrors = withoutStackTraces();
    // Every stream listens to this one signal: thousands of listeners are the design, not a leak.
    setMaxListeners(0, stop.signal);
    let streams: StreamStats[] = [];
    const timeline = new Timeline();
    const tick = (): void => {
      const at = now();
      const totals = totalsOf(streams, at);
      const row = timeline.add(totals);
      if (row) this.emit('tick', { row, totals, elapsedMs: at });
    };
    // No await before the streams exist below, so the first tick cannot come before them.
    timeline.add(totalsOf(streams, 0));
    const ticker = setInterval(tick, plan.intervalMs);
    // The stall watchdog and the run's signal decide when a connection is dead, with one exception: an abort does
    // not end a TCP handshake (undici waits for the socket), so the handshake gets the stall timeout as its own
    // limit, or a camera that never answers would hold a connect slot for undici's 10 s.
    // One dispatcher per STREAMS_PER_DISPATCHER streams: undici's pool looks through every connection it holds
    // for a free one on each request, so one pool for all streams costs O(n²) over a run's connections.
    const dispatchers: Dispatcher[] = Array.from({ length: Math.max(1, Math.ceil(plan.streams.length / STREAMS_PER_DISPATCHER)) }, () =>
      createDispatcher(plan.network, { connections: null, pipelining: 1, headersTimeout: 0, bodyTimeout: 0, connectTimeout: plan.stallTimeoutMs }),
    );
    const end = (reason: unknown): void => {
      if (stop.signal.aborted) return;
      stoppedAt = now();
      // Read before aborting closes the connections: which streams were open, and the last row of frames that
      // arrived during the run. What the stop itself settles (a frame that had arrived whole but awaited its
      // confirming delimiter) is added to that row once the streams have stopped (Timeline.settle).
      for (const s of streams) s.runStopped();
      clearInterval(ticker);
      const at = now();
      const totals = totalsOf(streams, at);
      const row = timeline.close(totals, plan.intervalMs / 2000);
      if (row) this.emit('tick', { row, totals, elapsedMs: at });
      // Aborting thousands of requests makes undici and Node's streams build (and format) an error with a stack
      // trace for each: nobody reads them, and at 2,000 streams they were about 5% of a 3 s run's CPU.
      quietErrors.start();
      // The signal first, so that every connection ends as stopped (a part cut short is not truncated). An aborted
      // request whose connection is still in its TCP handshake ends only when the handshake does (undici's 10 s
      // connect timeout for a camera that does not answer): destroying the dispatchers ends it at once.
      stop.abort(reason);
      for (const dispatcher of dispatchers) void dispatcher.destroy().catch(() => undefined);
    };
    const onInterrupt = (): void => {
      end(signal.reason);
    };
    signal.addEventListener('abort', onInterrupt, { once: true });
    const durationTimer = setTimeout(() => {
      end(new Error('duration reached'));
    }, plan.durationMs);

    const watchdog = new StallWatchdog(plan.stallTimeoutMs, now);
    // undici opens a connection even for a request whose signal has already aborted (it aborts once the socket
    // is up), so attempts still queued at the stop must not reach it: at 10,000 streams, the 3,000 still waiting
    // each opened and closed a connection, 100 at a time, and the stop took 9 s.
    const limitConnect = pLimit(plan.connectConcurrency);
    streams = plan.streams.map(({ camera }, index) => {
      const stats = new StreamStats(plan.indexes?.[index] ?? index, camera.id, camera.name, camera.streamUrl, plan.freshness);
      stats.onEvent = (s, event) => this.emit('stream-event', s, event);
      return stats;
    });
    this.live = () => totalsOf(streams, now());
    const sampler = new SystemSampler(now, plan.systemIntervalMs, (sample) => this.emit('sample', sample));
    this.soFar = (interrupted) => ({
      startedAt,
      endedAt: new Date(),
      elapsedMs: Math.min(stoppedAt ?? now(), plan.durationMs + plan.rampUpMs),
      interrupted,
      streams,
      timeline: timeline.rows,
      system: sampler.samples,
    });

    this.emit('start', { streams: streams.length, durationMs: plan.durationMs });
    sampler.start();

    const spacing = streams.length > 1 ? plan.rampUpMs / streams.length : 0;
    const started: StartContext = { now, stop: stop.signal, dispatchers, watchdog, limitConnect };
    const sessions: Promise<void>[] = [];
    for (let index = 0; index < streams.length; index++) {
      // A turn of the event loop every START_BATCH streams: the requests already handed to undici leave (and the
      // connect limiter, which starts its work in a microtask, lets them) while the next streams are set up,
      // rather than after all of them.
      if (index > 0 && index % START_BATCH === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      sessions.push(this.startSession(streams[index] as StreamStats, (plan.streams[index] as PlannedStream).target, index, spacing * index, started));
    }
    let elapsedMs: number;
    try {
      await Promise.all(sessions);

      clearTimeout(durationTimer);
      signal.removeEventListener('abort', onInterrupt);
      timeline.settle(totalsOf(streams, now()));
      // The run ends when it stopped watching, not once its connections are torn down: a viewer's fps and the run's
      // rates divide by the time frames could arrive (at 2,000 streams the teardown took 0.3 s of a 25 s run).
      elapsedMs = stoppedAt ?? now();
      watchdog.stop();
      await sampler.stop();
      // Settles once the destroy begun at the stop has.
      await Promise.all(dispatchers.map((dispatcher) => dispatcher.destroy().catch(() => undefined)));
    } finally {
      quietErrors.end();
    }

    const outcome: RunOutcome = { ...this.snapshot(signal.aborted), elapsedMs };
    this.emit('done', outcome);
    return outcome;
  }
}
