import { buildReport } from '../report/build-report.js';
import type { ReportSummary } from '../report/report-types.js';
import type { TimelineRow } from '../metrics/timeline.js';
import type { RunPlan } from './run-plan.js';
import { Runner } from './runner.js';
import { collectTheStreams } from './load-test.js';
import { DEFAULT_SATURATION } from '../metrics/client-health.js';
import type { TrialMeasure } from '../max/stability.js';

export interface TrialOutcome {
  measure: TrialMeasure;
  summary: ReportSummary;
  interrupted: boolean;
}

/** The first part of a trial, while streams open, is left out of its frame rate. */
const WARM_UP_SHARE = 0.2;
const MIN_WARM_UP_MS = 1_000;

/**
 * Frames per second per requested stream, in the steady part of the trial. Left out: the start, since a stream's
 * first frame comes at once; and the short last row written when the trial stops, which holds the frames
 * that had arrived whole but were not yet confirmed by the next delimiter. Over a short trial either would
 * overstate the rate by a frame per stream.
 */
export function steadyFpsPerStream(timeline: readonly TimelineRow[], level: number, trialMs: number, intervalMs: number): number {
  const warmUpSeconds = Math.max(MIN_WARM_UP_MS, trialMs * WARM_UP_SHARE) / 1000;
  let frames = 0;
  let seconds = 0;
  for (const row of timeline) {
    if (row.t < warmUpSeconds || row.seconds < intervalMs / 2000) continue;
    frames += row.fps * row.seconds;
    seconds += row.seconds;
  }
  return seconds > 0 && level > 0 ? frames / seconds / level : 0;
}

/** Holds the plan's streams open for the trial and measures what the stability verdict needs. */
export async function runTrial(
  plan: RunPlan,
  context: { version: string; cameras: { listed: number; active: number; skipped: number }; streamsPerCamera: number; saturationCpuPercent: number },
  signal: AbortSignal,
  onRunner?: (runner: Runner) => void,
): Promise<TrialOutcome> {
  const runner = new Runner(plan);
  const level = plan.streams.length;
  onRunner?.(runner);
  const outcome = await runner.run(signal);
  collectTheStreams();
  const report = buildReport({
    version: context.version,
    config: {},
    cameras: context.cameras,
    streamsRequested: level,
    streamsPerCamera: context.streamsPerCamera,
    targetDurationMs: plan.durationMs,
    outcome,
    saturation: { ...DEFAULT_SATURATION, processCpuPercent: context.saturationCpuPercent },
  });
  const s = report.summary;
  return {
    measure: {
      level,
      opened: s.streamsOpened,
      reconnections: s.totalReconnections,
      stalls: s.totalStalls,
      fpsPerStream: steadyFpsPerStream(outcome.timeline, level, plan.durationMs, plan.intervalMs),
    },
    summary: s,
    interrupted: outcome.interrupted,
  };
}
