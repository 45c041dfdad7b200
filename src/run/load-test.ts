import { describeProxy } from '../options/proxy.js';
import { hostname } from 'node:os';
import type { Camera } from '../cameras/camera.js';
import { DEFAULT_SATURATION } from '../metrics/client-health.js';
import type { RunOptions } from '../options/run-options.js';
import { buildReport } from '../report/build-report.js';
import { planFingerprint } from '../report/plan-fingerprint.js';
import type { Report } from '../report/report-types.js';
import { INTERRUPT_GRACE_MS, settleWithin, SHUTDOWN_BUDGET_MS, STOP_GRACE_MS } from './bounded.js';
import { orderCameras, planStreams, shardIndexes } from './plan-streams.js';
import { openCameras, type RunCameras } from '../cameras/open-cameras.js';
import { runPlan } from './run-plan.js';
import { assignViewerGroups } from './viewer-groups.js';
import { Runner } from './runner.js';
import { waitUntil } from './wait-until.js';
import { checkStartAt } from '../options/start-at.js';
import { defined } from '../defined.js';
import { UsageError } from '../errors.js';
import { stageSpans, type StageSpan, type Visit } from '../stages.js';
import { openModelSpans, planArrivals, type OpenModel } from '../arrivals.js';
import type { RunOutcome } from '../metrics/run-outcome.js';
import type { ViewerGroup } from '../viewers.js';

/** What the command hooks into a load test: its listeners, and the answers only it can give. */
export interface LoadTestHooks {
  cameras: (cameras: RunCameras) => void;
  /** How many streams to open: the flag, the prompt or the default. */
  streamCount: (cameras: RunCameras) => Promise<number>;
  /** The streams are planned, nothing has run: a plan the command cannot take (--baseline's other plan) throws here. */
  planned?: (streams: readonly Camera[]) => void;
  /**
   * The run is planned and about to start: attach the log and the progress, and say what will happen. In a
   * sharded run, `streams` and `maxStreams` are this shard's share; `atOnce`, the most it holds open at once (the
   * open model's cap share, its slots being more).
   */
  starting: (runner: Runner, plan: { streams: Camera[]; maxStreams: number; atOnce: number; cameras: RunCameras }) => void;
  /**
   * `--start-at`: the run is planned and waits for its instant. Returns the countdown's listener and how often
   * it wants to hear (milliseconds); `done` is called when the wait ends.
   */
  waiting?: (startAtMs: number) => { tickMs: number; tick: (remainingMs: number) => void; done: () => void };
  /** The longest the rest may take: the CLI ends the process once it is spent. */
  mustFinishWithin: (ms: number) => void;
  version: string;
  config: (maxStreams: number) => Record<string, unknown>;
}

export interface LoadTestResult {
  report: Report;
  /** false: the streams did not stop within the shutdown budget, and the report holds what was measured then. */
  stoppedInTime: boolean;
}

/**
 * Waits for `--start-at` once the cameras are listed and the streams planned, so the wait absorbs a slow API.
 * A listing that took the start past the tolerance is the same error as a start given in the past.
 */
async function waitForStart(startAtMs: number, hooks: LoadTestHooks, signal: AbortSignal): Promise<boolean> {
  checkStartAt(startAtMs, Date.now());
  const countdown = hooks.waiting?.(startAtMs);
  try {
    return await waitUntil(startAtMs, { signal, ...(countdown ? { onTick: countdown.tick, tickMs: countdown.tickMs } : {}) });
  } finally {
    countdown?.done();
  }
}

/** The test's plan and this process's share of it: every shard plans the whole test, in the same order. */
interface TestPlan {
  ordered: Camera[];
  maxStreams: number;
  /** This process's streams, and their indexes in the whole plan. */
  streams: Camera[];
  indexes: number[];
  /** --max-streams, or this shard's share of it (the open model: this shard's slots). */
  requested: number;
  /** This process's streams' viewer groups, drawn over the whole plan so that every shard draws the same. */
  groups: ViewerGroup[] | undefined;
  /** The open model: this process's streams' visits, and its share of the dropped arrivals. */
  arrivals?: { visits: Visit[][]; droppedAt: number[] };
}

/** The whole plan's streams (one per slot) and, in the open model, each slot's visits and the dropped arrivals. */
interface Slots {
  planned: Camera[];
  visits?: Visit[][];
  dropped?: number[];
}

/** The open model's slots: a slot keeps one camera, and its visits are the arrivals it took. */
function openModelSlots(model: OpenModel, ordered: readonly Camera[], maxStreams: number, seed: number): Slots {
  const plan = planArrivals({ ...model, slots: maxStreams, cameras: ordered.length, seed });
  return { planned: plan.slots.map((s) => ordered[s.camera] as Camera), visits: plan.slots.map((s) => s.visits), dropped: plan.dropped };
}

function closedSlots(options: RunOptions, ordered: readonly Camera[], maxStreams: number): Slots {
  const planned = planStreams(ordered, maxStreams, options.streamsPerCamera);
  if (options.stages && planned.length < maxStreams) {
    throw new UsageError(
      `--stages reaches ${maxStreams} concurrent streams but the cameras give ${planned.length} (${ordered.length} cameras × --streams-per-camera ${options.streamsPerCamera}): ` +
        "raise --streams-per-camera or lower the stages' targets",
      { code: 'ERR_BAD_STAGES' },
    );
  }
  return { planned };
}

function planTest(options: RunOptions, cameras: RunCameras, maxStreams: number): TestPlan {
  const ordered = orderCameras(cameras.cameras);
  const { viewers, seed, shard } = options;
  const { planned, visits, dropped } = options.arrivals
    ? openModelSlots(options.arrivals, ordered, maxStreams, seed)
    : closedSlots(options, ordered, maxStreams);
  const indexes = shardIndexes(planned.length, shard);
  const groups =
    viewers &&
    assignViewerGroups(
      planned.map((c) => c.id),
      viewers.behaviours,
      seed,
    );
  return {
    ordered,
    maxStreams,
    streams: indexes.map((i) => planned[i] as Camera),
    indexes,
    // The open model asks for its slots: --max-streams caps the viewers open at once, not the slots they pass through.
    requested: visits ? indexes.length : shardIndexes(maxStreams, shard).length,
    groups: groups && indexes.map((i) => groups[i] ?? 'normal'),
    // Dropped arrivals are dealt round-robin too, so the shards' counts add up to the plan's.
    ...(visits && dropped
      ? {
          arrivals: {
            visits: indexes.map((i) => visits[i] ?? []),
            droppedAt: dropped.filter((_, k) => shard === undefined || k % shard.count === shard.index - 1),
          },
        }
      : {}),
  };
}

/** The stages each figure is cut by: --stages', or the open model's rate spans; absent: neither. */
function spansOf(options: RunOptions, maxStreams: number): StageSpan[] | undefined {
  if (options.stages) return stageSpans(options.stages);
  return options.arrivals && openModelSpans(options.arrivals, maxStreams);
}

/** The report of the run (or of what was measured when it could not stop in time). */
function reportOf(options: RunOptions, hooks: LoadTestHooks, cameras: RunCameras, plan: TestPlan, outcome: RunOutcome): Report {
  const { viewers, seed } = options;
  return buildReport({
    version: hooks.version,
    // Which of the run's hosts went through the proxy is known only now that the cameras are.
    config: {
      ...hooks.config(plan.maxStreams),
      proxy: describeProxy(options.proxy, [...(options.source.kind === 'api' ? [options.source.apiUrl] : []), ...plan.streams.map((s) => s.streamUrl)]),
    },
    cameras: { listed: cameras.listed, active: cameras.active, skipped: cameras.skipped.length },
    streamsRequested: plan.requested,
    streamsPerCamera: options.streamsPerCamera,
    targetDurationMs: options.durationMs,
    outcome,
    saturation: { ...DEFAULT_SATURATION, processCpuPercent: options.saturationCpuPercent },
    thresholds: options.thresholds,
    ...defined({ shard: options.shard, viewers }),
    host: hostname(),
    planFingerprint: planFingerprint({
      cameras: plan.ordered,
      maxStreams: plan.maxStreams,
      streamsPerCamera: options.streamsPerCamera,
      durationMs: options.durationMs,
      rampUpMs: options.rampUpMs,
      stallTimeoutMs: options.stallTimeoutMs,
      intervalMs: options.intervalMs,
      backoffMaxMs: options.backoffMaxMs,
      connectConcurrency: options.connectConcurrency,
      shardCount: options.shard?.count ?? 1,
      seed,
      ...defined({ viewers, stages: options.stages, storms: options.storms, arrivals: options.arrivals }),
    }),
  });
}

/**
 * One full collection once the streams are closed, in a process started with --expose-gc (run relaunches itself
 * with it: src/launcher/gc-tuning.ts). The heap is then mostly the streams' garbage (10,000 streams: 220 MB used,
 * 43 MB live), which V8 would collect only at its old generation's limit: the report would be built on new pages
 * beside it, the run's peak RSS (+20 MB there). Collected first, it is built in their place, and the rest returned.
 */
export function collectTheStreams(): void {
  globalThis.gc?.();
}

/** `camera-load run`: list the cameras, hold the streams for the duration, and build the report. */
export async function loadTest(options: RunOptions, hooks: LoadTestHooks, signal: AbortSignal): Promise<LoadTestResult> {
  const cameras = await openCameras(options, signal);
  try {
    hooks.cameras(cameras);
    const plan = planTest(options, cameras, await hooks.streamCount(cameras));
    hooks.planned?.(plan.streams);
    const { viewers } = options;
    const runner = new Runner({
      ...runPlan(options, plan.streams, cameras),
      indexes: plan.indexes,
      seed: options.seed,
      ...defined({ stages: spansOf(options, plan.maxStreams), storms: options.storms, arrivals: plan.arrivals }),
      ...(viewers && plan.groups ? { viewers: { plan: viewers, groups: plan.groups } } : {}),
    });
    // Interrupted while waiting: the report says so, with nothing measured (exit 130, as any interrupted run).
    const started = options.startAt === undefined || (await waitForStart(options.startAt, hooks, signal));
    const atOnce = options.arrivals ? Math.min(plan.streams.length, shardIndexes(plan.maxStreams, options.shard).length) : plan.streams.length;
    if (started) hooks.starting(runner, { streams: plan.streams, maxStreams: plan.requested, atOnce, cameras });
    const plannedMs = options.durationMs + options.rampUpMs;
    hooks.mustFinishWithin(plannedMs + SHUTDOWN_BUDGET_MS);
    const ran = started ? await settleWithin(runner.run(signal), plannedMs + STOP_GRACE_MS, signal, INTERRUPT_GRACE_MS) : runner.snapshot(true);
    // Not when the streams did not stop in time: they are still open, and the shutdown budget is short.
    if (started && ran !== undefined) collectTheStreams();
    const report = reportOf(options, hooks, cameras, plan, ran ?? runner.snapshot(signal.aborted));
    return { report, stoppedInTime: ran !== undefined };
  } finally {
    await cameras.close();
  }
}
