import type { Report } from '../report/report-types.js';
import { frameResolution, mergedBuckets, type FigureData, type FigureSpec } from './figures.js';

// The figures of one stage (--stages, --arrival-rate) that both runs ran alike: each viewer's fps within it, and the
// stage's own merged HdrHistograms (every arrival's first frame, every frame's gap and delay within it).

export const STAGE_FIGURES: readonly FigureSpec[] = [
  { figure: 'fps', name: 'fps per stream in the stage, median', unit: 'fps', better: 'higher', kind: 'streams', schemaBound: true },
  { figure: 'timeToFirstFrame.p50', name: 'time to first frame p50, all arrivals', unit: 'ms', better: 'lower', kind: 'percentile', schemaBound: true },
  { figure: 'frameGap.p50', name: 'frame gap p50, all frames', unit: 'ms', better: 'lower', kind: 'percentile' },
  { figure: 'frameGap.p99', name: 'frame gap p99, all frames', unit: 'ms', better: 'lower', kind: 'percentile' },
  { figure: 'delay.p50', name: 'queueing delay p50, timestamped frames', unit: 'ms', better: 'lower', kind: 'percentile' },
  { figure: 'delay.p99', name: 'queueing delay p99, timestamped frames', unit: 'ms', better: 'lower', kind: 'percentile' },
];

/** One side's data for a figure of stage `stage` (1-based). */
export function stageFigureData(spec: FigureSpec, report: Report, stage: number): FigureData {
  const row = report.stages?.[stage - 1];
  const quantile = spec.figure.endsWith('.p99') ? 0.99 : 0.5;
  if (spec.figure === 'fps') {
    const viewed = report.streams.flatMap((s) => {
      const inStage = s.stages?.[stage - 1];
      return inStage && inStage.seconds >= 1 ? [inStage] : [];
    });
    const resolution = frameResolution(viewed.map((v) => v.seconds));
    return { kind: 'streams', values: viewed.map((v) => v.frames / v.seconds), ...(resolution === undefined ? {} : { resolution }) };
  }
  const encoded = spec.figure.startsWith('timeToFirstFrame')
    ? row?.timeToFirstFrameHistogram
    : spec.figure.startsWith('frameGap')
      ? row?.frameGapHistogram
      : row?.delayHistogram;
  return { kind: 'percentile', buckets: mergedBuckets(encoded === undefined ? [] : [encoded]), quantile };
}
