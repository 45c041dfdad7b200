import { defined } from '../defined.js';
import { addEncodedHistograms, addedHistogram } from '../metrics/encoded-histograms.js';
import { encodeHistogram, valueAtPercentile } from '../metrics/gap-histogram.js';
import type { StageTally } from '../metrics/stage-windows.js';
import type { StageSpan, Visit } from '../stages.js';
import { rank, round } from './numbers.js';
import type { ReportTimelineRow, StreamReport } from './report-types.js';
import type { StageReport, StageViewed } from './stage-types.js';

// The stage table of a run with --stages (issue 30), from mergeable pieces: each stage's counts and encoded
// histograms (one per process; a merge of shards has one per shard, added here), each stream's frames and seconds
// in the stage (streams[].stages) for the fps percentiles, and the timeline's rows for the concurrency reached.

/** One stage's counts and encoded histograms, from one process or added over shards. */
export interface StageInput {
  span: StageSpan;
  arrivals: number;
  departures: number;
  droppedArrivals: number;
  /** Absent: a report from before it was counted. */
  arrivalsNotStarted?: number;
  reconnections: number;
  errors: Record<string, number>;
  gapHistograms: readonly string[];
  delayHistograms: readonly string[];
  firstFrameHistograms: readonly string[];
  /** Absent: a report from before arrivals' lateness was kept. */
  latenessHistograms?: readonly string[];
  /** Each viewer's fps over its visit, in milli-fps; absent: a report from before it was kept. */
  viewerFpsHistograms?: readonly string[];
}

/** The viewers' fps percentiles from their milli-fps histogram (added over shards). */
function viewerFpsOf(encoded: readonly string[]): Pick<StageReport, 'viewerFps' | 'viewerFpsHistogram'> {
  const added = addedHistogram(encoded, 0);
  if (added.totalCount === 0) return { viewerFps: null, viewerFpsHistogram: '' };
  const { buckets, counts } = added.sortedBuckets();
  // Milli-fps in HdrHistogram's 3 digits: 0.1% of a value, so two decimals of fps are all it knows.
  const fps = (percentile: number): number => round(valueAtPercentile(buckets, counts, added.totalCount, percentile) / 1000, 2);
  return { viewerFps: { viewers: added.totalCount, p5: fps(5), p50: fps(50) }, viewerFpsHistogram: encodeHistogram(added) };
}

/** Milliseconds a slot was open within [fromMs, toMs), by its planned visits. */
function presentMs(visits: readonly Visit[], fromMs: number, toMs: number): number {
  return visits.reduce((sum, v) => sum + Math.max(0, Math.min(toMs, v.toMs) - Math.max(fromMs, v.fromMs)), 0);
}

/**
 * One stream's frames and watched seconds in each stage. A silence at a stage's end (to the end, or to its
 * departure) longer than two of its usual intervals counts, and a stream open in a stage that had no frame in it
 * counts as watched for its time there: a stream that stopped is not left out of the p5.
 */
export function streamStages(
  tallies: readonly (StageTally | undefined)[],
  spans: readonly StageSpan[],
  visits: readonly Visit[],
  endMs: number,
): (StageViewed | null)[] {
  return spans.map((span, i) => {
    const toMs = Math.min(span.toMs, endMs);
    const tally = tallies[i];
    if (tally === undefined) {
      const present = presentMs(visits, span.fromMs, toMs);
      return present > 0 ? { frames: 0, seconds: round(present / 1000, 3) } : null;
    }
    const until = Math.min(toMs, tally.leftAt ?? toMs);
    const silentMs = Math.max(0, until - Math.max(tally.fromMs, tally.lastFrameAt ?? tally.fromMs));
    const spanMs = tally.frames === 0 || silentMs > (2 * tally.spanMs) / tally.frames ? tally.spanMs + silentMs : tally.spanMs;
    return { frames: tally.frames, seconds: round(spanMs / 1000, 3) };
  });
}

/**
 * The stage's rows of the timeline: those that end within it. A row's `t` is its start and its open streams are
 * counted at its end, so each count is a sample of the instant it was taken, in the stage that instant falls in.
 * The last stage takes the run's last row too, which ends when the stop settles, a few ms past the stages' end.
 */
export const rowsIn = (rows: readonly ReportTimelineRow[], fromSeconds: number, toSeconds: number): ReportTimelineRow[] =>
  rows.filter((r) => r.t + r.seconds > fromSeconds && r.t + r.seconds <= toSeconds);

function fpsOf(streams: readonly StreamReport[], index: number): StageReport['fpsPerStream'] {
  const fps = streams
    .flatMap((s) => {
      const viewed = s.stages?.[index];
      return viewed && viewed.seconds >= 1 ? [viewed.frames / viewed.seconds] : [];
    })
    .sort((a, b) => a - b);
  if (fps.length === 0) return null;
  return { streams: fps.length, p5: round(rank(fps, 5)), p50: round(rank(fps, 50)), mean: round(fps.reduce((a, b) => a + b, 0) / fps.length) };
}

/** The stage table, from each stage's inputs, the streams' tallies and the timeline. */
export function stageReports(inputs: readonly StageInput[], streams: readonly StreamReport[], timeline: readonly ReportTimelineRow[]): StageReport[] {
  return inputs.map((input, index) => {
    const { span } = input;
    const rows = rowsIn(timeline, span.fromMs / 1000, index === inputs.length - 1 ? Infinity : span.toMs / 1000);
    const gaps = addEncodedHistograms(input.gapHistograms, 1);
    const delays = addEncodedHistograms(input.delayHistograms, 0);
    const firstFrames = addEncodedHistograms(input.firstFrameHistograms, 1);
    const lateness = input.latenessHistograms && addEncodedHistograms(input.latenessHistograms, 0);
    return {
      stage: span.number,
      fromSeconds: round(span.fromMs / 1000),
      toSeconds: round(span.toMs / 1000),
      target: { from: span.fromTarget, to: span.toTarget },
      ...defined({ arrivalsPerSecond: span.arrivalsPerSecond }),
      openStreams:
        rows.length === 0
          ? null
          : { max: Math.max(...rows.map((r) => r.openStreams)), mean: round(rows.reduce((sum, r) => sum + r.openStreams, 0) / rows.length, 1) },
      arrivals: input.arrivals,
      departures: input.departures,
      droppedArrivals: input.droppedArrivals,
      ...defined({ arrivalsNotStarted: input.arrivalsNotStarted }),
      reconnections: input.reconnections,
      frames: Math.round(rows.reduce((sum, r) => sum + r.fps * r.seconds, 0)),
      fpsPerStream: fpsOf(streams, index),
      ...(input.viewerFpsHistograms ? viewerFpsOf(input.viewerFpsHistograms) : {}),
      timeToFirstFrameMs: firstFrames.percentiles,
      timeToFirstFrameHistogram: firstFrames.encoded,
      frameGapMs: gaps.percentiles,
      frameGapHistogram: gaps.encoded,
      delayMs: delays.percentiles,
      delayHistogram: delays.encoded,
      ...(lateness ? { clientLatenessMs: lateness.percentiles, clientLatenessHistogram: lateness.encoded } : {}),
      errors: input.errors,
    };
  });
}
