import type { EndCode } from '../../src/end-codes.js';
import { DEFAULT_FRESHNESS } from '../../src/metrics/freshness.js';
import { StreamStats } from '../../src/metrics/stream-stats.js';
import type { RunOutcome } from '../../src/metrics/run-outcome.js';
import { testReport } from './run-plan.js';
import type { Report } from '../../src/report/report-types.js';
import type { ViewerGroup, ViewerPlan } from '../../src/viewers.js';

// A small run with viewer groups, built by hand (the engine's own StreamStats, the report's own builder): four
// normal viewers at 10 fps with capture times, two slow ones at 2 fps that were reset and refused, one stuck one.

export const GROUPS_PLAN: ViewerPlan = {
  behaviours: [
    { group: 'slow', share: 0.25, bytesPerSecond: 125_000 },
    { group: 'stuck', share: 0.125 },
  ],
  leadInMs: 2_500,
};

interface Spec {
  viewers: ViewerGroup;
  /** Frames at a steady rate from 100 ms to the 10 s run's end. */
  fps: number;
  ends?: EndCode[];
  timestamped?: boolean;
  /** Frames after which the stream stops receiving (stuck). */
  frames?: number;
}

const SPECS: readonly Spec[] = [
  ...Array.from({ length: 4 }, (): Spec => ({ viewers: 'normal', fps: 10, timestamped: true })),
  { viewers: 'slow', fps: 2, ends: ['ECONNRESET', 'HTTP_503', 'HTTP_503'] },
  { viewers: 'slow', fps: 2 },
  { viewers: 'stuck', fps: 10, frames: 25 },
];

/** The streams of the run, as the engine holds them: live StreamStats, each in its group. */
export function groupedStreams(): StreamStats[] {
  return SPECS.map((spec, index) => {
    const s = new StreamStats(index, String(100 + index), `Camera ${100 + index}`, `http://cam/${index}`, DEFAULT_FRESHNESS, spec.viewers);
    for (let attempt = 0; attempt <= (spec.ends?.length ?? 0); attempt++) s.attemptStarted(0);
    s.requestSent(0);
    const count = spec.frames ?? Math.floor(spec.fps * 9.9);
    for (let i = 0; i < count; i++) s.frame(1_000, 100 + Math.round((i * 1_000) / spec.fps), false, spec.timestamped ? 40 + (i % 3) * 10 : Number.NaN);
    s.bytesReceived(count * 1_100, () => 0);
    for (const code of spec.ends ?? []) s.error(code, 'test', 1_000);
    return s;
  });
}

/** The report of that run, with its viewerGroups (normal, slow, stuck). */
export function groupedReport(streams: StreamStats[] = groupedStreams()): Report {
  return testReport(tenSeconds(streams), 10_000, { viewers: GROUPS_PLAN });
}

/** The same streams, reported as a run without groups. */
export function ungroupedReport(): Report {
  return testReport(tenSeconds(groupedStreams()), 10_000);
}

const tenSeconds = (streams: StreamStats[]): RunOutcome => ({
  startedAt: new Date(0),
  endedAt: new Date(10_000),
  elapsedMs: 10_000,
  interrupted: false,
  streams,
  timeline: [],
  system: [],
});
