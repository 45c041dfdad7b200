import type { Percentiles } from '../metrics/gap-histogram.js';
import { rank, round } from './numbers.js';
import type { StageReport, StreamReport } from './report-types.js';
import type { ThresholdSelector } from './threshold-selectors.js';

// A threshold on one stage of --stages, `fps.p5{stage:3}>=4.5`: the metrics that have a figure per stage, read
// from the stage table and from each stream's own stages. The fps are each viewer's within the stage, so they
// narrow to a viewer group too (`{viewers:slow,stage:2}`); the stage table's other figures are over all viewers.

/** What a metric reads on stage `index` (0-based): its table entry, and the streams its selector left (a group's). */
export interface StageView {
  stage: StageReport;
  index: number;
  streams: readonly StreamReport[];
}

interface StageMetric {
  read: (view: StageView) => number | null;
  /** Read from each viewer's own stages: it narrows to a viewer group as well. */
  perViewer?: true;
}

/** Each viewer's fps within the stage (frames ÷ seconds watched), ascending, over viewers watched 1 s or more of it. */
function viewerFps(view: StageView): number[] {
  return view.streams
    .flatMap((s) => {
      const viewed = s.stages?.[view.index];
      return viewed && viewed.seconds >= 1 ? [viewed.frames / viewed.seconds] : [];
    })
    .sort((a, b) => a - b);
}

/** A figure of the viewers' fps, as the stage table rounds its own (fpsPerStream); null when no viewer was watched 1 s. */
const fps = (figure: (sorted: number[]) => number): StageMetric => ({
  read: (view) => {
    const sorted = viewerFps(view);
    return sorted.length === 0 ? null : round(figure(sorted));
  },
  perViewer: true,
});

/** A percentile of one of the stage's histograms; null when it recorded nothing. */
const percentile = (pick: (stage: StageReport) => Percentiles, p: 'p50' | 'p95' | 'p99' | 'max'): StageMetric => ({
  read: ({ stage }) => (pick(stage).count > 0 ? pick(stage)[p] : null),
});

const each = <P extends string>(family: string, ps: readonly P[], metric: (p: P) => StageMetric): [string, StageMetric][] =>
  ps.map((p) => [`${family}.${p}`, metric(p)]);

/** The metrics a `{stage:N}` selector takes, by their names in threshold-metrics.ts (aliases resolve to these). */
export const STAGE_METRICS: ReadonlyMap<string, StageMetric> = new Map([
  ['fps.avg', fps((sorted) => sorted.reduce((a, b) => a + b, 0) / sorted.length)],
  ['fps.min', fps((sorted) => sorted[0] ?? 0)],
  ['fps.p5', fps((sorted) => rank(sorted, 5))],
  ['fps.p50', fps((sorted) => rank(sorted, 50))],
  ...each('frame_gap_ms', ['p50', 'p95', 'p99', 'max'] as const, (p) => percentile((s) => s.frameGapMs, p)),
  ...each('ttff_ms', ['p50', 'p95', 'max'] as const, (p) => percentile((s) => s.timeToFirstFrameMs, p)),
  ...each('delay_ms', ['p50', 'p95', 'p99', 'max'] as const, (p) => percentile((s) => s.delayMs, p)),
  ['reconnections', { read: ({ stage }) => stage.reconnections }],
  ['errors', { read: ({ stage }) => Object.values(stage.errors).reduce((a, b) => a + b, 0) }],
  ['stalls', { read: ({ stage }) => stage.errors.STALL ?? 0 }],
  ['frames', { read: ({ stage }) => stage.frames }],
]);

const names = (perViewer: boolean): string =>
  [...STAGE_METRICS]
    .filter(([, m]) => !perViewer || m.perViewer)
    .map(([name]) => name)
    .join(', ');

/** Why `metric` (as written; `name` its own) cannot be read with this selector's stage; undefined when it can. */
export function stageSelectorProblem(metric: string, name: string, selector: ThresholdSelector): string | undefined {
  if (selector.stage === undefined) return undefined;
  const stageMetric = STAGE_METRICS.get(name);
  if (stageMetric === undefined) return `${metric} has no figure per stage; with {stage:N} use ${names(false)}`;
  if (selector.viewers !== undefined && stageMetric.perViewer !== true)
    return `${metric} per stage is over all viewers of the stage, not one group's; with {viewers:…,stage:N} use ${names(true)}`;
  return undefined;
}

/** The metric `name` on stage `stage` (1-based) of a report narrowed by the rest of its selector; null: the run had no such stage. */
export function readStage(name: string, stage: number, report: { stages?: readonly StageReport[]; streams: readonly StreamReport[] }): number | null {
  const entry = report.stages?.[stage - 1];
  const metric = STAGE_METRICS.get(name);
  return entry === undefined || metric === undefined ? null : metric.read({ stage: entry, index: stage - 1, streams: report.streams });
}
