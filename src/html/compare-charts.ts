import { streamFigureData, streamFigures, type FigureData } from '../compare/figures.js';
import { bucketQuantile, type Buckets } from '../compare/statistics.js';
import type { Report } from '../report/report-types.js';
import { PERCENTILES, percentileLabel, percentileTicks, xOf, type PercentileCurve } from './distributions.js';

// What the compare page's charts draw (issue 31): both runs' distributions on one x axis each, so that base and new
// are two series of one uPlot chart. Read through compare/figures.ts, so that a chart and its table line agree.

/** Points kept of each side's CDF: a 10,000-stream report embeds no more than a 500-stream one. */
export const MAX_CDF_POINTS = 500;

/** A per-stream figure of both runs as CDFs on one grid: at each x, the share of each side's streams at or below it. */
export interface OverlayCdf {
  x: number[];
  /** 0-1; null for a side without a single value. */
  base: (number | null)[];
  new: (number | null)[];
  streams: { base: number; new: number };
}

/** A merged-histogram figure of both runs read at the same percentiles (x = 1 / (1 − p), as the run page's curve). */
export interface OverlayPercentiles {
  x: number[];
  labels: string[];
  ticks: PercentileCurve['ticks'];
  /** ms; null past the finest percentile a side's frame count resolves. */
  base: (number | null)[];
  new: (number | null)[];
  frames: { base: number; new: number };
}

export interface ComparePageData {
  v: 1;
  kind: 'compare';
  fps: OverlayCdf | null;
  timeToFirstFrameMs: OverlayCdf | null;
  frameGapMs: OverlayPercentiles | null;
  /** null unless both runs had timestamped frames. */
  delayMs: OverlayPercentiles | null;
}

const rounded = (value: number, digits: number): number => Number(value.toFixed(digits));

/** How many of the ascending `sorted` are at most x. */
function atOrBelow(sorted: readonly number[], x: number): number {
  let [low, high] = [0, sorted.length];
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid] ?? Infinity) <= x) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Up to MAX_CDF_POINTS of the ascending values, evenly spaced by rank, the smallest and largest always kept. */
function thinned(sorted: readonly number[]): number[] {
  if (sorted.length <= MAX_CDF_POINTS) return [...sorted];
  const last = sorted.length - 1;
  return Array.from({ length: MAX_CDF_POINTS }, (_, k) => sorted[Math.round((k * last) / (MAX_CDF_POINTS - 1))] ?? 0);
}

/**
 * Both sides' empirical CDFs on the union of their thinned values. Each share is exact (counted over every stream),
 * only the grid is thinned; values are rounded to `digits` first so that the grid and the counts see the same numbers.
 * The grid starts one rounding step left of the smallest value, at 0 for both.
 */
export function overlayCdf(base: readonly number[], next: readonly number[], digits: number): OverlayCdf | null {
  if (base.length === 0 && next.length === 0) return null;
  const [b, n] = [base, next].map((values) => values.map((v) => rounded(v, digits)).sort((p, q) => p - q)) as [number[], number[]];
  const values = [...new Set([...thinned(b), ...thinned(n)])].sort((p, q) => p - q);
  // One step left of the smallest value, where both sides are at 0: each curve is drawn rising from the axis.
  const x = [rounded((values[0] ?? 0) - 10 ** -digits, digits), ...values];
  const shares = (sorted: readonly number[]): (number | null)[] =>
    x.map((v) => (sorted.length === 0 ? null : rounded(atOrBelow(sorted, v) / sorted.length, 4)));
  return { x, base: shares(b), new: shares(n), streams: { base: b.length, new: n.length } };
}

const framesOf = (buckets: Buckets): number => buckets.counts.reduce((sum, count) => sum + count, 0);

/**
 * Both sides read at the run page's percentiles, up to the finest either side's count resolves, then each side's
 * largest value one step further right (named max: it has no place on a scale of 1 / (1 − p)).
 */
export function overlayPercentiles(base: Buckets, next: Buckets): OverlayPercentiles | null {
  const frames = { base: framesOf(base), new: framesOf(next) };
  if (frames.base === 0 || frames.new === 0) return null;
  const most = Math.max(frames.base, frames.new);
  const shown = PERCENTILES.filter((p) => p === 0 || xOf(p) <= most);
  const at = (buckets: Buckets, count: number) => (p: number) => (p === 0 || xOf(p) <= count ? bucketQuantile(buckets, p / 100) : null);
  const lastX = xOf(shown.at(-1) ?? 0);
  return {
    x: [...shown.map(xOf), lastX * 2],
    labels: [...shown.map((p) => (p === 0 ? '0% (min)' : percentileLabel(p))), '100% (max)'],
    ticks: percentileTicks(lastX),
    base: [...shown.map(at(base, frames.base)), bucketQuantile(base, 1)],
    new: [...shown.map(at(next, frames.new)), bucketQuantile(next, 1)],
    frames,
  };
}

/** One figure's data of the whole run of a report, as its compare line read it. */
function wholeRun(figure: string, report: Report): FigureData {
  const spec = streamFigures([], []).find((f) => f.figure === figure);
  if (spec === undefined) throw new TypeError(`compare has no figure ${figure}`);
  return streamFigureData(spec, report.streams, report);
}

const valuesOf = (data: FigureData): number[] => (data.kind === 'percentile' ? [] : data.values);
const bucketsOf = (data: FigureData): Buckets => (data.kind === 'percentile' ? data.buckets : { values: [], counts: [] });

/** The charts' data, over every stream of each run (the first table's scope). */
export function comparePageData(base: Report, next: Report): ComparePageData {
  const overlay = (figure: string, digits: number): OverlayCdf | null => overlayCdf(valuesOf(wholeRun(figure, base)), valuesOf(wholeRun(figure, next)), digits);
  const curves = (figure: string): OverlayPercentiles | null => overlayPercentiles(bucketsOf(wholeRun(figure, base)), bucketsOf(wholeRun(figure, next)));
  return {
    v: 1,
    kind: 'compare',
    fps: overlay('fps', 3),
    timeToFirstFrameMs: overlay('timeToFirstFrame', 1),
    frameGapMs: curves('frameGap.p50'),
    delayMs: curves('delay.p50'),
  };
}
