import { addGapHistograms } from '../metrics/encoded-histograms.js';
import type { StreamReport } from '../report/report-types.js';
import { gapHistogramOf } from './older-reports.js';

/** Equal-width bins: bin i holds values in [start + i·step, start + (i + 1)·step). */
export interface Bins {
  start: number;
  step: number;
  counts: number[];
}

/** The classic HdrHistogram percentile plot: x = 1 / (1 − p), so that 90, 99, 99.9 % are evenly spaced on a log axis. */
export interface PercentileCurve {
  /** Gaps recorded. */
  count: number;
  /** Streams whose histogram could not be read, left out. */
  unreadable: number;
  percentiles: number[];
  x: number[];
  ms: number[];
  /** Each point's percentile as the legend writes it; the last point is the maximum. */
  labels: string[];
  /** Where the axis is labelled: 50 %, 90 %, 99 %, … up to the finest percentile the count resolves. */
  ticks: { x: number[]; labels: string[] };
}

const TARGET_BINS = 24;
const MAX_BINS = 60;

/** The smallest of 1, 2, 2.5, 5 × 10^k at least `raw`: bin edges a reader can add up in their head. */
function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const factor of [1, 2, 2.5, 5, 10]) if (factor * power >= raw) return factor * power;
  return 10 * power;
}

/** null when there is nothing to count, so that the page says "no data" rather than draw an empty chart. */
export function histogram(values: readonly number[]): Bins | null {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return null;
  let min = Infinity;
  let max = -Infinity;
  for (const v of finite) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const target = Math.min(TARGET_BINS, Math.max(5, Math.ceil(Math.sqrt(finite.length))));
  let step = niceStep(max > min ? (max - min) / target : Math.max(Math.abs(max) / 10, 0.01));
  let start = Math.floor(min / step) * step;
  while (Math.floor((max - start) / step) + 1 > MAX_BINS) {
    step = niceStep(step * 1.01);
    start = Math.floor(min / step) * step;
  }
  const counts = new Array<number>(Math.floor((max - start) / step) + 1).fill(0);
  for (const v of finite) {
    const bin = Math.min(counts.length - 1, Math.floor((v - start) / step + 1e-9));
    counts[bin] = (counts[bin] ?? 0) + 1;
  }
  // Rounded so the page shows 0.3 rather than 0.30000000000000004, unless that would move the first edge past min.
  const roundStart = Number(start.toPrecision(12));
  return { start: roundStart <= min ? roundStart : start, step: Number(step.toPrecision(12)), counts };
}

export const PERCENTILES = [0, 25, 50, 75, 80, 90, 95, 97.5, 99, 99.5, 99.9, 99.95, 99.99, 99.995, 99.999, 99.9995, 99.9999];
/** The axis's labels: each a tenth of the rest, evenly spaced on the log scale (50 % is the median, a reader's anchor). */
const TICK_PERCENTILES = [50, 90, 99, 99.9, 99.99, 99.999, 99.9999];

/** Where percentile p sits on the axis: 1 / (1 − p), rounded so that 99.99 % lands on 10000 and not 10000.000000000282. */
export const xOf = (p: number): number => Number((1 / (1 - p / 100)).toPrecision(8));

/**
 * Written with every digit it has ("99.99%", never "99.9%" or "100%" for it): the percentiles come from fixed lists of
 * short decimals, so their shortest form is exact.
 */
export const percentileLabel = (p: number): string => `${p}%`;

/** The axis's ticks within [1, lastX]: beyond the last point there is nothing to read. */
export function percentileTicks(lastX: number): PercentileCurve['ticks'] {
  const shown = TICK_PERCENTILES.filter((p) => xOf(p) <= lastX);
  return { x: shown.map(xOf), labels: shown.map(percentileLabel) };
}

/**
 * Every stream's gaps added into one histogram (as the summary's frame-gap figures are), read at percentiles up
 * to the finest the count resolves. The maximum is the streams' exact one: HdrHistogram keeps only its bucket.
 */
export function gapPercentiles(streams: readonly StreamReport[]): PercentileCurve | null {
  const encoded = streams.map(gapHistogramOf).filter((text) => text !== '');
  if (encoded.length === 0) return null;
  const { total: merged, unreadable } = addGapHistograms(encoded);
  const count = merged.totalCount;
  if (count === 0) return null;
  const curve: PercentileCurve = { count, unreadable, percentiles: [], x: [], ms: [], labels: [], ticks: { x: [], labels: [] } };
  for (const p of PERCENTILES) {
    const x = xOf(p);
    if (p > 0 && x > count) break;
    curve.percentiles.push(p);
    curve.x.push(x);
    curve.ms.push(merged.getValueAtPercentile(p));
    curve.labels.push(p === 0 ? '0% (min)' : percentileLabel(p));
  }
  const exactMax = streams.reduce((max, s) => Math.max(max, s.frameGapMs.max), 0);
  const lastX = curve.x.at(-1) ?? 1;
  // The maximum has no place on a scale of 1 / (1 − p): it is drawn past the last percentile, and named for what it is.
  curve.percentiles.push(100);
  curve.x.push(count > lastX ? count : lastX * 2);
  curve.ms.push(Math.max(exactMax, curve.ms.at(-1) ?? 0));
  curve.labels.push('100% (max)');
  curve.ticks = percentileTicks(lastX);
  return curve;
}
