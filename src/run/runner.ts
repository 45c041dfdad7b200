import { EventEmitter } from 'node:events';
import pLimit, { type LimitFunction } from 'p-limit';
import type { Dispatcher } from 'undici';
import type { RunOutcome } from '../metrics/run-outcome.js';
import { StreamStats, type StreamEvent } from '../metrics/stream-stats.js';
import { countStream, emptyCounts } from '../metrics/stream-counts.js';
import { Timeline, type TimelineRow, type Totals } from '../metrics/timeline.js';
import type { SystemSample } from '../metrics/client-health.js';
import { SystemSampler } from '../system/sampler.js';
import { StallWatchdog } from '../connection/stall-watchdog.js';
import type { ConnectionOutcome } from '../connection/connection-owner.js';
import type { SessionDeps } from '../connection/stream-session.js';
import { RunningGroups } from './running-groups.js';
import type { RunPlan } from './run-plan.js';
import { withoutStackTraces } from './without-stack-traces.js';
import { dispatchersFor } from './dispatchers.js';
import { defined } from '../defined.js';
import type { StageSpan, Visit } from '../stages.js';
import { countDropped, StageWindow, StreamStages } from '../metrics/stage-windows.js';
import { RunningStorms } from './running-storms.js';
import { visitsOf, type VisitRun } from './hold-visits.js';
import { StreamSlot } from './stream-slot.js';

export interface RunnerEvents {
  start: [{ streams: number; durationMs: number }];
  tick: [{ row: TimelineRow; totals: Totals; elapsedMs: number }];
  sample: [SystemSample];
  outcome: [StreamStats, ConnectionOutcome];
  'stream-event': [StreamStats, StreamEvent];
  done: [RunOutcome];
}

/** Streams set up in one turn of the event loop at the start; see startStreams(). */
const START_BATCH = 64;

/** Sums over all streams now (metrics/stream-counts.ts): what the timeline and the live progress read. */
export function totalsOf(streams: readonly StreamStats[], at: number): Totals {
  const counts = emptyCounts();
  for (const s of streams) countStream(counts, s);
  const { frames, bytes, reconnections, errorsByCode, openStreams, repeatedFrames, timestampedFrames, delaySumMs } = counts;
  const errors = Object.values(errorsByCode).reduce((sum, n) => sum + n, 0);
  return { at, frames, bytes, reconnections, errors, errorsByCode, openStreams, freshFrames: frames - repeatedFrames, timestampedFrames, delaySumMs };
}

/**
 * Holds the planned streams open for the duration and reports what happened. It only emits events and returns
 * data: progress, log and report listen. `signal` (Ctrl+C) ends the run early, marked interrupted.
 */
export class Runner extends EventEmitter<RunnerEvents> {
  /** The run under way (or done): undefined until run() is called. */
  private active: ActiveRun | undefined;

  constructor(private readonly plan: RunPlan) {
    super();
  }

  /** The stages its figures are cut by (--stages, or the open model's rate spans); undefined: none. */
  get stages(): readonly StageSpan[] | undefined {
    return this.plan.stages;
  }

  /** Totals right now, for a live display between ticks. */
  live(): Totals | undefined {
    return this.active?.totals();
  }

  /**
   * The outcome as measured up to now: what a command reports if the streams do not stop within its shutdown
   * budget, so a run that cannot end cleanly still loses nothing it measured.
   */
  snapshot(interrupted: boolean): RunOutcome {
    const now = new Date();
    return this.active?.outcome(interrupted) ?? { startedAt: now, endedAt: now, elapsedMs: 0, interrupted, streams: [], timeline: [], system: [] };
  }

  async run(signal: AbortSignal): Promise<RunOutcome> {
    const run = new ActiveRun(this.plan, this, signal);
    this.active = run;
    this.emit('start', { streams: run.streams.length, durationMs: this.plan.durationMs });
    run.startSampling();
    await run.startStreams();
    const elapsedMs = await run.settle();
    const outcome: RunOutcome = { ...run.outcome(signal.aborted), elapsedMs };
    this.emit('done', outcome);
    return outcome;
  }
}

/**
 * One run, from its set-up to its outcome: its clock, its streams and their sessions, the timeline it samples, its
 * stop (the duration reached or the interrupt) and what it holds until it settles.
 */
class ActiveRun {
  readonly startedAt: Date;
  /** Milliseconds on the run's clock: 0 is the run's start. */
  readonly now: () => number;
  readonly streams: StreamStats[];
  /** The stop instant on the run's clock: the run's end. */
  private stoppedAt: number | undefined;
  private readonly quietErrors = withoutStackTraces();
  private readonly timeline = new Timeline();
  private readonly ticker: NodeJS.Timeout;
  private readonly dispatchers: readonly Dispatcher[];
  /** Each stream's dispatcher, in the order of `streams`. */
  private readonly dispatcherOf: readonly Dispatcher[];
  private readonly durationTimer: NodeJS.Timeout;
  private readonly watchdog: StallWatchdog;
  private readonly limitConnect: LimitFunction;
  private readonly sampler: SystemSampler;
  /** Each stream's visits and sessions, in the order of `streams`. */
  private readonly slots: StreamSlot[];
  private slotsEnded = 0;
  /** Settles once every slot is done. */
  private readonly allEnded: Promise<void>;
  private resolveAllEnded: () => void = () => undefined;
  /** The viewer groups: how each slow, pausing or stuck viewer reads, and the normal viewers' windows. */
  private readonly groups: RunningGroups | undefined;
  /** Each stream's times open on the run clock, in the order of `streams`. */
  private readonly visits: readonly (readonly Visit[])[];
  /** Under --stages or --arrival-rate: each stage's figures over all streams. */
  private readonly stageWindows: StageWindow[] | undefined;
  private readonly storms: RunningStorms | undefined;

  /** Sets the run up with no await, so the first tick cannot come before the streams exist. */
  constructor(
    private readonly plan: RunPlan,
    private readonly events: EventEmitter<RunnerEvents>,
    private readonly interrupt: AbortSignal,
  ) {
    const clockStart = performance.now();
    this.now = () => performance.now() - clockStart;
    this.startedAt = new Date();
    this.timeline.add(totalsOf([], 0));
    this.ticker = setInterval(this.tick, plan.intervalMs);
    interrupt.addEventListener('abort', this.onInterrupt, { once: true });
    this.durationTimer = setTimeout(() => {
      this.end(new Error('duration reached'), plan.durationMs);
    }, plan.durationMs);
    this.watchdog = new StallWatchdog(plan.stallTimeoutMs, this.now);
    // undici opens a connection even for a request whose signal has already aborted (it aborts once the socket
    // is up), so attempts still queued at the stop must not reach it: at 10,000 streams, the 3,000 still waiting
    // each opened and closed a connection, 100 at a time, and the stop took 9 s.
    this.limitConnect = pLimit(plan.connectConcurrency);
    // One listener for every stream (it is told which): a closure each was 10,000 more objects at 10,000 streams.
    const onEvent = (s: StreamStats, event: StreamEvent): boolean => events.emit('stream-event', s, event);
    this.streams = plan.streams.map(({ camera }, index) => {
      const group = plan.viewers?.groups[index] ?? 'normal';
      const stats = new StreamStats(plan.indexes?.[index] ?? index, camera.id, camera.name, camera.streamUrl, plan.freshness, group);
      stats.onEvent = onEvent;
      return stats;
    });
    this.visits = visitsOf(plan);
    if (plan.stages) {
      const windows = plan.stages.map((span) => new StageWindow(span));
      this.streams.forEach((s, index) => (s.stages = new StreamStages(windows, this.visits[index] as Visit[])));
      this.stageWindows = windows;
    }
    this.storms = plan.storms && new RunningStorms(this.streams, plan.storms, this.now);
    this.groups = plan.viewers && new RunningGroups(this.streams, plan.viewers.plan, this.now, plan.rampUpMs);
    ({ all: this.dispatchers, of: this.dispatcherOf } = dispatchersFor(plan, this.groups?.pacings));
    this.allEnded = new Promise((resolve) => (this.resolveAllEnded = resolve));
    this.slots = this.newSlots();
    if (this.slots.length === 0) this.resolveAllEnded();
    this.sampler = new SystemSampler(this.now, plan.systemIntervalMs, (sample) => events.emit('sample', sample));
  }

  totals(): Totals {
    return totalsOf(this.streams, this.now());
  }

  /** What has been measured so far, shaped as the outcome; it ends at the stop instant once there is one. */
  outcome(interrupted: boolean): RunOutcome {
    const elapsedMs = Math.min(this.stoppedAt ?? this.now(), this.plan.durationMs + this.plan.rampUpMs);
    if (this.stageWindows && this.plan.arrivals) countDropped(this.stageWindows, this.plan.arrivals.droppedAt, elapsedMs);
    return {
      startedAt: this.startedAt,
      endedAt: new Date(),
      elapsedMs,
      interrupted,
      streams: this.streams,
      timeline: this.timeline.rows,
      system: this.sampler.samples,
      ...defined({ isolation: this.groups?.windows, stages: this.stageWindows, storms: this.storms?.windows }),
    };
  }

  startSampling(): void {
    this.sampler.start();
  }

  /** One row of the timeline, every interval. */
  private readonly tick = (): void => {
    const at = this.now();
    const totals = totalsOf(this.streams, at);
    const row = this.timeline.add(totals);
    this.groups?.check(at);
    if (row) this.events.emit('tick', { row, totals, elapsedMs: at });
  };

  /**
   * Every stream, each at its visits' times. A turn of the event loop every
   * START_BATCH streams: the requests already handed to undici leave (and the connect limiter, which starts its work
   * in a microtask, lets them) while the next streams are set up, rather than after all of them.
   */
  async startStreams(): Promise<void> {
    for (let index = 0; index < this.slots.length; index++) {
      if (index > 0 && index % START_BATCH === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      (this.slots[index] as StreamSlot).start();
    }
  }

  /** Each stream's slot, with what every slot and session of the run shares: one object each, not one a stream. */
  private newSlots(): StreamSlot[] {
    const { plan, limitConnect } = this;
    const run: VisitRun = {
      now: this.now,
      stopped: () => this.stoppedAt !== undefined,
      staged: plan.stages !== undefined,
      runEndMs: plan.durationMs,
      stoppedAt: this.stoppedAtOrNow,
      slotEnded: () => {
        if (++this.slotsEnded === this.slots.length) this.resolveAllEnded();
      },
    };
    const sessionDeps: SessionDeps = {
      now: this.now,
      backoff: plan.backoff,
      watchdog: this.watchdog,
      // Whether its first request had to wait for a slot: with one free, the time until it left is camera-load's
      // own (the limiter starts its work in a microtask, after the streams set up in the same turn).
      limitConnect: (stats, fn) => {
        stats.connectSlotAsked(limitConnect.activeCount + limitConnect.pendingCount >= plan.connectConcurrency);
        return limitConnect(fn);
      },
      ...defined({ timestampHeaders: plan.timestampHeaders }),
      onOutcome: this.onOutcome,
    };
    const places = { plan, dispatcherOf: this.dispatcherOf, pacings: this.groups?.pacings, drops: this.storms?.drops, sessionDeps };
    return this.streams.map((stats, index) => new StreamSlot(stats, this.visits[index] as Visit[], run, index, places));
  }

  // Shared by every stream (each is told which), rather than a closure per stream.
  private readonly stoppedAtOrNow = (): number => this.stoppedAt ?? this.now();
  private readonly onOutcome = (stats: StreamStats, outcome: ConnectionOutcome): boolean => this.events.emit('outcome', stats, outcome);

  private readonly onInterrupt = (): void => {
    this.end(this.interrupt.reason);
  };

  /** The stop: the duration reached or the interrupt. Its instant is the run's end. */
  /** `notBefore`: the duration's end, which Node's timer can fire a millisecond short of (the last stage's target then not quite reached). */
  private end(reason: unknown, notBefore = 0): void {
    if (this.stoppedAt !== undefined) return;
    this.stoppedAt = Math.max(this.now(), notBefore);
    // Read before aborting closes the connections: which streams were open, and the last row of frames that
    // arrived during the run. What the stop itself settles (a frame that had arrived whole but awaited its
    // confirming delimiter) is added to that row once the streams have stopped (Timeline.settle).
    for (const s of this.streams) s.runStopped();
    clearInterval(this.ticker);
    this.groups?.stop();
    this.storms?.stop();
    const at = this.now();
    const totals = totalsOf(this.streams, at);
    const row = this.timeline.close(totals, this.plan.intervalMs / 2000);
    if (row) this.events.emit('tick', { row, totals, elapsedMs: at });
    // Aborting thousands of requests makes undici and Node's streams build (and format) an error with a stack
    // trace for each: nobody reads them, and at 2,000 streams they were about 5% of a 3 s run's CPU.
    this.quietErrors.start();
    // The streams first, so that every connection ends as stopped (a part cut short is not truncated). An aborted
    // request whose connection is still in its TCP handshake ends only when the handshake does (undici's 10 s
    // connect timeout for a camera that does not answer): destroying the dispatchers ends it at once.
    for (const slot of this.slots) slot.runStopped(reason);
    for (const dispatcher of this.dispatchers) void dispatcher.destroy().catch(() => undefined);
  }

  /** Once every stream has stopped: the timers, the timeline's last frames, the sampler and the dispatchers. Returns the run's end. */
  async settle(): Promise<number> {
    try {
      await this.allEnded;
      clearTimeout(this.durationTimer);
      this.interrupt.removeEventListener('abort', this.onInterrupt);
      this.timeline.settle(totalsOf(this.streams, this.now()));
      // The run ends when it stopped watching, not once its connections are torn down: a viewer's fps and the run's
      // rates divide by the time frames could arrive (at 2,000 streams the teardown took 0.3 s of a 25 s run).
      const elapsedMs = this.stoppedAt ?? this.now();
      this.watchdog.stop();
      await this.sampler.stop();
      // Settles once the destroy begun at the stop has.
      await Promise.all(this.dispatchers.map((dispatcher) => dispatcher.destroy().catch(() => undefined)));
      return elapsedMs;
    } finally {
      this.quietErrors.end();
    }
  }
}
