import { setTimeout as sleep } from 'node:timers/promises';
import type { MaxReport, TrialRecord } from '../max/max-report.js';
import { MaxSearch } from '../max/max-search.js';
import { UsageError } from '../errors.js';
import type { MaxOptions } from '../options/max-options.js';
import { INTERRUPT_GRACE_MS, settleWithin, SHUTDOWN_BUDGET_MS, STOP_GRACE_MS } from './bounded.js';
import { runTrial } from './max-trial.js';
import { planStreams } from './plan-streams.js';
import { openCameras, type RunCameras } from '../cameras/open-cameras.js';
import { runPlan } from './run-plan.js';
import type { Runner } from './runner.js';

/** What the command hooks into the search: its listeners, and the process-wide time limit. */
export interface MaxRunHooks {
  cameras: (cameras: RunCameras, range: { min: number; start: number; capacity: number }) => void;
  trialStarting: (level: number, runner: Runner) => void;
  trialDone: (record: TrialRecord) => void;
  mustFinishWithin: (ms: number) => void;
  version: string;
}

export interface MaxRunResult {
  startedAt: Date;
  search: MaxSearch;
  /** A trial whose streams did not stop within the shutdown budget: the search ended there. */
  stoppedLateAt: number | undefined;
  /** The streams the cameras allow: the search cannot go above it. */
  cameraCapacity: number;
}

/** `camera-load max`: trials at the levels the search asks for, each with its cool-down, until it has an answer. */
export async function runMaxSearch(options: MaxOptions, hooks: MaxRunHooks, signal: AbortSignal): Promise<MaxRunResult> {
  const startedAt = new Date();
  const cameras = await openCameras(options, signal);
  try {
    const capacity = cameras.cameras.length * options.streamsPerCamera;
    const start = Math.min(options.start ?? options.maxStreams ?? capacity, capacity);
    if (start < options.min) {
      throw new UsageError(`--min ${options.min} is above the ${capacity} streams the cameras allow (--streams-per-camera for more)`);
    }
    hooks.cameras(cameras, { min: options.min, start, capacity });
    const search = new MaxSearch(start, options.min, options.precision, options.criteria);
    for (let level = search.next(); level !== undefined && !signal.aborted; level = search.next()) {
      // Each trial, with its cool-down, must end within its own length plus the shutdown budget.
      hooks.mustFinishWithin(options.cooldownMs + options.trialMs + SHUTDOWN_BUDGET_MS);
      if (search.trials.length > 0 && options.cooldownMs > 0) {
        const rested = await sleep(options.cooldownMs, true, { signal }).catch(() => false);
        if (!rested) break;
      }
      const streams = planStreams(cameras.cameras, level, options.streamsPerCamera);
      const trialLevel = level;
      const running = runTrial(
        runPlan({ ...options, durationMs: options.trialMs, rampUpMs: 0 }, streams, cameras),
        {
          version: hooks.version,
          cameras: { listed: cameras.listed, active: cameras.active, skipped: cameras.skipped.length },
          streamsPerCamera: options.streamsPerCamera,
          saturationCpuPercent: options.saturationCpuPercent,
        },
        signal,
        (runner) => {
          hooks.trialStarting(trialLevel, runner);
        },
      );
      const trial = await settleWithin(running, options.trialMs + STOP_GRACE_MS, signal, INTERRUPT_GRACE_MS);
      // A trial whose streams do not stop is lost, and so is the search: the report holds the trials before it.
      if (!trial) return { startedAt, search, stoppedLateAt: level, cameraCapacity: capacity };
      if (trial.interrupted) break;
      hooks.trialDone(search.record(trial.measure, trial.summary));
    }
    return { startedAt, search, stoppedLateAt: undefined, cameraCapacity: capacity };
  } finally {
    await cameras.close();
  }
}

/** The `max` report from a finished (or stopped) search. */
export function maxReport(result: MaxRunResult, info: { version: string; config: Record<string, unknown>; interrupted: boolean }): MaxReport {
  const answer = result.search.result();
  return {
    schemaVersion: 1,
    tool: { name: 'camera-load', version: info.version },
    command: 'max',
    startedAt: result.startedAt.toISOString(),
    endedAt: new Date().toISOString(),
    interrupted: info.interrupted,
    config: info.config,
    result: { ...answer, cameraCapacity: result.cameraCapacity, boundedByCameras: answer.maxStableStreams === result.cameraCapacity },
    trials: result.search.trials,
  };
}
