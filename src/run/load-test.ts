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
import { stageSpans } from '../stages.js';
import type { RunOutcome } from '../metrics/run-outcome.js';
import type { ViewerGroup } from '../viewers.js';

/** What the command hooks into a load test: its listeners, and the answers only it can give. */
export interface LoadTestHooks {
  cameras: (cameras: RunCameras) => void;
  /** How many streams to open: the flag, the prompt or the default. */
  streamCount: (cameras: RunCameras) => Promise<number>;
  /**
   * The run is planned and about to start: attach the log and the progress, and say what will happen. In a
   * sharded run, `streams` and `maxStreams` are this shard's share.
   */
  starting: (runner: Runner, plan: { streams: Camera[]; maxStreams: number; cameras: RunCameras }) => void;
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
  /** --max-streams, or this shard's share of it. */
  requested: number;
  /** This process's streams' viewer groups, drawn over the whole plan so that every shard draws the same. */
  groups: ViewerGroup[] | undefined;
}

function planTest(options: RunOptions, cameras: RunCameras, maxStreams: number): TestPlan {
  const ordered = orderCameras(cameras.cameras);
  const planned = planStreams(ordered, maxStreams, options.streamsPerCamera);
  if (options.stages && planned.length < maxStreams) {
    throw new UsageError(
      `--stages reaches ${maxStreams} concurrent streams but the cameras give ${planned.length} (${ordered.length} cameras × --streams-per-camera ${options.streamsPerCamera}): ` +
        "raise --streams-per-camera or lower the stages' targets",
      { code: 'ERR_BAD_STAGES' },
    );
  }
  const indexes = shardIndexes(planned.length, options.shard);
  const { viewers, seed } = options;
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
    requested: shardIndexes(maxStreams, options.shard).length,
    groups: groups && indexes.map((i) => groups[i] ?? 'normal'),
  };
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
      ...defined({ viewers, stages: options.stages, storms: options.storms }),
    }),
  });
}

/** `camera-load run`: list the cameras, hold the streams for the duration, and build the report. */
export async function loadTest(options: RunOptions, hooks: LoadTestHooks, signal: AbortSignal): Promise<LoadTestResult> {
  const cameras = await openCameras(options, signal);
  try {
    hooks.cameras(cameras);
    const plan = planTest(options, cameras, await hooks.streamCount(cameras));
    const { viewers } = options;
    const runner = new Runner({
      ...runPlan(options, plan.streams, cameras),
      indexes: plan.indexes,
      seed: options.seed,
      ...(options.stages ? { stages: stageSpans(options.stages) } : {}),
      ...defined({ storms: options.storms }),
      ...(viewers && plan.groups ? { viewers: { plan: viewers, groups: plan.groups } } : {}),
    });
    // Interrupted while waiting: the report says so, with nothing measured (exit 130, as any interrupted run).
    const started = options.startAt === undefined || (await waitForStart(options.startAt, hooks, signal));
    if (started) hooks.starting(runner, { streams: plan.streams, maxStreams: plan.requested, cameras });
    const plannedMs = options.durationMs + options.rampUpMs;
    hooks.mustFinishWithin(plannedMs + SHUTDOWN_BUDGET_MS);
    const ran = started ? await settleWithin(runner.run(signal), plannedMs + STOP_GRACE_MS, signal, INTERRUPT_GRACE_MS) : runner.snapshot(true);
    const report = reportOf(options, hooks, cameras, plan, ran ?? runner.snapshot(signal.aborted));
    return { report, stoppedInTime: ran !== undefined };
  } finally {
    await cameras.close();
  }
}
