import type { Report, StageReport } from '../report/report-types.js';
import { isOpenModel } from '../report/stage-schedule.js';
import type { StageWithStanding as StageRow } from '../verdict/stage-verdict.js';

// A stage's figures (issue 30), one list for every text output that shows them: the job summary's Markdown table
// and JUnit's system-out name and format them alike (the HTML page has its own columns, in html/stages-section.ts).

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const decimal = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 2 });

/** One figure of a stage: its name with its statistic and unit, and its value (n/a: nothing measured). */
export interface StageFigure {
  name: string;
  value: (row: StageRow) => string;
}

/** A percentile of nothing would read 0. */
const p95 = (p: StageReport['frameGapMs']): string => (p.count === 0 ? 'n/a' : int(p.p95));

/** "30–150 s". */
export const stageTime = (stage: StageReport): string => `${decimal(stage.fromSeconds)}–${decimal(stage.toSeconds)} s`;

/** "stage 2 (30–150 s): 100 streams held", "stage 3 (150–180 s): 100 → 0 streams": the same for one --stages, run after run. */
export function stageName(stage: StageReport): string {
  const { from, to } = stage.target;
  if (stage.arrivalsPerSecond !== undefined) return `stage ${stage.stage} (${stageTime(stage)}): ${decimal(stage.arrivalsPerSecond)} arrivals/s`;
  return `stage ${stage.stage} (${stageTime(stage)}): ${from === to ? `${int(to)} streams held` : `${int(from)} → ${int(to)} streams`}`;
}

/** What was measured in a stage. Its schedule (stageTime, stageTarget) is apart: a stage the run did not reach has one too. */
/** The open model's own figure: the arrivals its cap turned away. */
const DROPPED: StageFigure = { name: 'arrivals dropped at --max-streams', value: ({ stage }) => int(stage.droppedArrivals) };

export const STAGE_FIGURES: readonly StageFigure[] = [
  {
    name: 'open streams max / mean',
    value: ({ stage }) => (stage.openStreams === null ? 'n/a' : `${int(stage.openStreams.max)} / ${decimal(stage.openStreams.mean)}`),
  },
  { name: 'arrivals / departures', value: ({ stage }) => `${int(stage.arrivals)} / ${int(stage.departures)}` },
  DROPPED,
  {
    name: 'viewers with a frame / open',
    value: ({ standing }) => (standing.viewers === null ? 'n/a' : `${int(standing.viewers.withFrames)} / ${int(standing.viewers.open)}`),
  },
  {
    name: 'fps per stream p5 / p50',
    value: ({ stage }) => (stage.fpsPerStream === null ? 'n/a' : `${String(stage.fpsPerStream.p5)} / ${String(stage.fpsPerStream.p50)}`),
  },
  { name: 'time to first frame p95 (ms)', value: ({ stage }) => p95(stage.timeToFirstFrameMs) },
  { name: 'frame gap p95 (ms)', value: ({ stage }) => p95(stage.frameGapMs) },
  { name: 'queueing delay p95 (ms)', value: ({ stage }) => p95(stage.delayMs) },
  { name: 'reconnections', value: ({ stage }) => int(stage.reconnections) },
  {
    name: "arrivals' client lateness p99 (ms)",
    value: ({ stage }) => (stage.clientLatenessMs === undefined || stage.clientLatenessMs.count === 0 ? 'n/a' : int(stage.clientLatenessMs.p99)),
  },
];

/** The figures of a report's stages: the arrivals dropped at the cap only in the open model's. */
export const stageFigures = (report: Pick<Report, 'stages'>): readonly StageFigure[] =>
  isOpenModel(report.stages) ? STAGE_FIGURES : STAGE_FIGURES.filter((figure) => figure !== DROPPED);

/** Why a stage failed, or did not run; null when it passed. */
export function stageProblem({ standing }: StageRow, report: Pick<Report, 'summary'>): string | null {
  if (!standing.ran) return `not run: the run ended at ${decimal(report.summary.durationSeconds)} s, before the stage began`;
  if (!standing.failed) return null;
  return standing.viewers === null ? 'no frame, though streams were asked for' : `no viewer had a frame (0 of ${int(standing.viewers.open)} open)`;
}
