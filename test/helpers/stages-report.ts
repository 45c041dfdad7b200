import { readFileSync } from 'node:fs';
import type { Percentiles } from '../../src/metrics/gap-histogram.js';
import type { Report, StageReport, StageViewed } from '../../src/report/report-types.js';

// A run with --stages for the outputs' tests, its stage figures made by hand on a real report (the HTML fixture's
// run: 12 streams, 5.04 s): four stages that cover the ways a stage reads (stoppedAt: one the run did not reach).
//   1  0–1 s    0 → 12  every viewer arrived, watched
//   2  1–3 s    12 held reconnections and connection ends
//   3  3–4 s    12 → 4  viewers open, none with a frame: failed
//   4  4–5 s    4 held  four viewers, under 1 s watched: no fps

const percentiles = (p95: number, count: number): Percentiles => ({ count, p50: Math.round(p95 * 0.8), p95, p99: p95, max: p95 });
const NOTHING = percentiles(0, 0);

function stage(stage: number, [fromSeconds, toSeconds]: [number, number], [from, to]: [number, number], over: Partial<StageReport> = {}): StageReport {
  return {
    stage,
    fromSeconds,
    toSeconds,
    target: { from, to },
    openStreams: { max: 12, mean: 11.5 },
    arrivals: 0,
    departures: 0,
    droppedArrivals: 0,
    reconnections: 0,
    frames: 60,
    fpsPerStream: { streams: 12, p5: 4.8, p50: 5.05, mean: 5 },
    timeToFirstFrameMs: NOTHING,
    timeToFirstFrameHistogram: '',
    frameGapMs: percentiles(212, 48),
    frameGapHistogram: '',
    delayMs: percentiles(12, 48),
    delayHistogram: '',
    errors: {},
    ...over,
  };
}

export const STAGES: readonly StageReport[] = [
  stage(1, [0, 1], [0, 12], { arrivals: 12, timeToFirstFrameMs: percentiles(41, 12), fpsPerStream: null, openStreams: { max: 12, mean: 12 } }),
  stage(2, [1, 3], [12, 12], { frames: 120, reconnections: 3, errors: { ECONNRESET: 1, HTTP_503: 2 } }),
  stage(3, [3, 4], [12, 4], { departures: 8, frames: 0, fpsPerStream: { streams: 12, p5: 0, p50: 0, mean: 0 }, frameGapMs: NOTHING, delayMs: NOTHING }),
  stage(4, [4, 5], [4, 4], { openStreams: null, frames: 20, fpsPerStream: null }),
];

/** Each stream's figures per stage: all 12 in stages 1 to 3 (none with a frame in 3), the first 4 in stage 4. */
function viewed(index: number): (StageViewed | null)[] {
  return [{ frames: 5, seconds: 0.95 }, { frames: 10, seconds: 2 }, { frames: 0, seconds: 1 }, index < 4 ? { frames: 5, seconds: 0.9 } : null];
}

export function stagedReport(): Report {
  const report = JSON.parse(readFileSync(new URL('../fixtures/html/run.json', import.meta.url), 'utf8')) as Report;
  report.config = { ...report.config, stages: STAGES.map((s) => ({ durationSeconds: s.toSeconds - s.fromSeconds, target: s.target.to })) };
  report.stages = STAGES.map((s) => structuredClone(s));
  report.streams = report.streams.map((s, index) => ({ ...s, stages: viewed(index) }));
  return report;
}

/** The same run stopped (Ctrl+C) at `seconds`: the stages from then on did not run, and hold nothing. */
export function stoppedAt(report: Report, seconds: number): Report {
  const ran = (i: number): boolean => (report.stages?.[i]?.fromSeconds ?? 0) < seconds;
  report.interrupted = true;
  report.summary = { ...report.summary, durationSeconds: seconds };
  report.stages = (report.stages ?? []).map((s, i) =>
    ran(i) ? s : { ...s, openStreams: null, arrivals: 0, departures: 0, frames: 0, fpsPerStream: null, frameGapMs: NOTHING, delayMs: NOTHING },
  );
  report.streams = report.streams.map((s) => ({ ...s, stages: (s.stages ?? []).map((v, i) => (ran(i) ? v : null)) }));
  return report;
}
