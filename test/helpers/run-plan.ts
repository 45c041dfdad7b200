import type { Camera } from '../../src/cameras/camera.js';
import { DIRECT } from '../../src/connection/network.js';
import type { RunOutcome } from '../../src/metrics/run-outcome.js';
import { buildReport } from '../../src/report/build-report.js';
import type { Report } from '../../src/report/report-types.js';
import { plannedStreams, type RunPlan } from '../../src/run/run-plan.js';
import { assignViewerGroups } from '../../src/run/viewer-groups.js';
import type { ViewerPlan } from '../../src/viewers.js';

/** A short run plan for engine tests: fast backoff and a fine timeline, overridable per test. */
export function testPlan(streams: Camera[], overrides: Partial<RunPlan> = {}): RunPlan {
  return {
    streams: plannedStreams(streams, { headersFor: () => ({}), credentialsFor: () => undefined, network: DIRECT }),
    durationMs: 2_000,
    rampUpMs: 0,
    stallTimeoutMs: 1_000,
    backoff: { baseMs: 50, factor: 2, maxMs: 200 },
    intervalMs: 250,
    network: DIRECT,
    connectConcurrency: 100,
    systemIntervalMs: 500,
    ...overrides,
  };
}

/** A test plan with viewer groups, drawn over `streams` as `run` draws them (seed 1). */
export function testGroupedPlan(streams: Camera[], viewers: ViewerPlan, overrides: Partial<RunPlan> = {}): RunPlan {
  const groups = assignViewerGroups(
    streams.map((c) => c.id),
    viewers.behaviours,
    1,
  );
  return testPlan(streams, { ...overrides, viewers: { groups, plan: viewers } });
}

/**
 * The report users get from a run of `outcome`: one stream per camera, every camera listed and active, unless
 * `requested` streams or `cameras` say otherwise.
 */
export function testReport(
  outcome: RunOutcome,
  targetDurationMs = 2_000,
  { requested, cameras, viewers }: { requested?: number; cameras?: number; viewers?: ViewerPlan } = {},
): Report {
  const streams = outcome.streams.length;
  return buildReport({
    version: 'test',
    config: {},
    cameras: { listed: cameras ?? streams, active: cameras ?? streams, skipped: 0 },
    streamsRequested: requested ?? streams,
    streamsPerCamera: 1,
    targetDurationMs,
    outcome,
    ...(viewers ? { viewers } : {}),
  });
}
