import { defined } from '../defined.js';
import { addCounts } from '../metrics/timeline.js';
import type { StageSpan } from '../stages.js';
import { checkShardsRanAlike } from './merge-plans.js';
import type { Report, ReportTimelineRow, StageReport, StreamReport } from './report-types.js';
import { stageReports, type StageInput } from './stage-reports.js';

// The stage table of a sharded run with --stages. Every shard ran the same stages on its own run clock, so each
// stage's counts add up and its histograms (one encoding per shard) are added by the code that builds one
// process's table (stageReports); the fps percentiles are read again from the merged streams' own stages, and the
// concurrency from the merged timeline, as one process would have.

/** The stage's place in the schedule, as its report gives it (to the millisecond, as the stages are written). */
const spanOf = (stage: StageReport): StageSpan => ({
  number: stage.stage,
  fromMs: Math.round(stage.fromSeconds * 1000),
  toMs: Math.round(stage.toSeconds * 1000),
  fromTarget: stage.target.from,
  toTarget: stage.target.to,
  ...defined({ arrivalsPerSecond: stage.arrivalsPerSecond }),
});

/** Every shard ran the first one's --stages (the same stages, beginning, ending and ramping alike). */
export const checkStageSchedules = (reports: readonly Report[], names: readonly string[]): void => {
  checkShardsRanAlike(reports, names, {
    flag: '--stages',
    ran: (report) => report.stages && JSON.stringify(report.stages.map(spanOf)),
    missing: 'has no stage table where {first} has one',
    extra: 'has a stage table where {first} has none',
    other: 'ran other stages than {first} (their stages[] do not begin, end and ramp alike)',
  });
};

type StageCount = 'arrivals' | 'departures' | 'reconnections' | 'frames' | 'droppedArrivals';
const sum = (stages: readonly StageReport[], key: StageCount): number => stages.reduce((total, s) => total + s[key], 0);

/** One stage over the shards: its counts added, and every shard's encoded histograms for stageReports to add. */
function stageInput(stages: readonly StageReport[]): StageInput {
  return {
    span: spanOf(stages[0] as StageReport),
    arrivals: sum(stages, 'arrivals'),
    departures: sum(stages, 'departures'),
    droppedArrivals: sum(stages, 'droppedArrivals'),
    // Only when every shard counted it: a part would read as all of it.
    ...(stages.every((s) => s.arrivalsNotStarted !== undefined) ? { arrivalsNotStarted: stages.reduce((n, s) => n + (s.arrivalsNotStarted ?? 0), 0) } : {}),
    reconnections: sum(stages, 'reconnections'),
    errors: stages.reduce<Record<string, number>>((total, s) => addCounts(total, s.errors), {}),
    gapHistograms: stages.map((s) => s.frameGapHistogram),
    delayHistograms: stages.map((s) => s.delayHistogram),
    firstFrameHistograms: stages.map((s) => s.timeToFirstFrameHistogram),
    // Only when every shard kept it: a part of the arrivals' lateness would read as all of it.
    ...(stages.every((s) => s.clientLatenessHistogram !== undefined) ? { latenessHistograms: stages.map((s) => s.clientLatenessHistogram as string) } : {}),
    ...(stages.every((s) => s.viewerFpsHistogram !== undefined) ? { viewerFpsHistograms: stages.map((s) => s.viewerFpsHistogram as string) } : {}),
  };
}

/**
 * Pure: the merged stage table (absent when the shards ran no stages), the shards' tables checked alike
 * (checkStageSchedules). Frames are the shards' own added, each counted on its shard's run clock as its stages were:
 * the merged timeline's rows are on the earliest shard's clock, which the others started after.
 */
export function mergedStages(sorted: readonly Report[], streams: readonly StreamReport[], timeline: readonly ReportTimelineRow[]): Pick<Report, 'stages'> {
  const tables = sorted.flatMap((r) => (r.stages ? [r.stages] : []));
  const first = tables[0];
  if (first === undefined) return {};
  const each = first.map((_, i) => tables.map((table) => table[i] as StageReport));
  const stages = stageReports(each.map(stageInput), streams, timeline).map((stage, i) => {
    const shards = each[i] as StageReport[];
    return { ...stage, frames: sum(shards, 'frames') };
  });
  return { stages };
}
