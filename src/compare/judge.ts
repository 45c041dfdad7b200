import type { CompareLine, LineVerdict, NoiseThreshold } from './compare-types.js';
import type { FigureData, FigureSpec } from './figures.js';
import { beyondNoise } from './noise.js';
import { bootstrapDifference, bucketQuantile, mean, median, quantileInterval, rankTest, type Buckets } from './statistics.js';

// One line's verdict: a change is better or worse only when it is both significant (its test) and larger than the
// figure's noise threshold; otherwise the same.

/** Significance level of every test, and the intervals' confidence. */
const ALPHA = 0.05;
const CONFIDENCE = 1 - ALPHA;

export type Judged = Pick<
  CompareLine,
  'base' | 'new' | 'change' | 'relativeChange' | 'interval' | 'pValue' | 'samples' | 'method' | 'significant' | 'verdict'
> & {
  reason?: string;
};

const frames = (buckets: Buckets): number => buckets.counts.reduce((sum: number, n: number) => sum + n, 0);
const sampleCount = (data: FigureData): number => (data.kind === 'percentile' ? frames(data.buckets) : data.values.length);
const fixed = (n: number): string => (n < 0.001 ? '< 0.001' : n.toFixed(3));

/** A line with no verdict: a side had nothing to measure the figure by. */
function notCompared(base: FigureData, next: FigureData, reason: string): Judged {
  const samples = { base: sampleCount(base), new: sampleCount(next) };
  return {
    base: null,
    new: null,
    change: null,
    relativeChange: null,
    interval: null,
    pValue: null,
    samples,
    method: 'none',
    significant: false,
    verdict: 'not compared',
    reason,
  };
}

/**
 * Resamples for a bootstrap over `n` streams in all: 1,000 up to 4,000 streams, fewer above (at least 200), so that
 * two reports of 10,000 streams compare within the bench's 2 s while the interval's tails still rest on 5 or more
 * resamples each.
 */
export const resamplesFor = (n: number): number => Math.max(200, Math.min(1000, Math.round(4e6 / Math.max(1, n))));

/** Streams as samples: Mann–Whitney U decides, a bootstrap over streams gives the change's interval. */
function judgeStreams(spec: FigureSpec, base: number[], next: number[]): Omit<Judged, 'verdict' | 'change' | 'relativeChange'> {
  const statistic = spec.kind === 'rate' ? mean : median;
  const test = rankTest(base, next);
  const interval = bootstrapDifference(base, next, statistic, { confidence: CONFIDENCE, resamples: resamplesFor(base.length + next.length) });
  const of = (values: number[]): number => statistic(Float64Array.from(values), values.length);
  const what = spec.kind === 'rate' ? 'mean' : 'median';
  return {
    base: of(base),
    new: of(next),
    interval,
    pValue: test.pValue,
    samples: { base: base.length, new: next.length },
    significant: test.pValue < ALPHA,
    method: `rank test over streams (Mann–Whitney U, p ${test.pValue < 0.001 ? '<' : '='} ${fixed(test.pValue)}); interval of the ${what}'s change by bootstrap over streams`,
  };
}

/** Frames as samples: each side's percentile has an interval from its order statistics; apart, the change is significant. */
function judgePercentile(base: Buckets, next: Buckets, quantile: number): Omit<Judged, 'verdict' | 'change' | 'relativeChange'> {
  const b = quantileInterval(base, quantile, CONFIDENCE);
  const n = quantileInterval(next, quantile, CONFIDENCE);
  const interval = { low: n.low - b.high, high: n.high - b.low };
  return {
    base: bucketQuantile(base, quantile),
    new: bucketQuantile(next, quantile),
    interval,
    pValue: null,
    samples: { base: frames(base), new: frames(next) },
    significant: interval.low > 0 || interval.high < 0,
    method: `95% intervals of each side's p${Math.round(quantile * 100)} from the order statistics of all frames (merged HdrHistograms); significant when they do not overlap`,
  };
}

function verdictOf(spec: FigureSpec, judged: Omit<Judged, 'verdict' | 'change' | 'relativeChange'>, threshold: NoiseThreshold): Judged {
  const base = judged.base ?? 0;
  const change = (judged.new ?? 0) - base;
  const relativeChange = base === 0 ? null : change / Math.abs(base);
  let verdict: LineVerdict = 'same';
  if (judged.significant && beyondNoise(change, base, threshold)) verdict = change > 0 === (spec.better === 'higher') ? 'better' : 'worse';
  return { ...judged, change, relativeChange, verdict };
}

/** The line's figures and verdict from each side's data. */
export function judge(spec: FigureSpec, base: FigureData, next: FigureData, threshold: NoiseThreshold): Judged {
  const missing = sampleCount(base) === 0 ? 'BASE' : sampleCount(next) === 0 ? 'NEW' : undefined;
  if (missing !== undefined) {
    const what = spec.kind === 'percentile' ? 'no frame' : 'no stream';
    return notCompared(base, next, `${missing} has ${what} with this figure`);
  }
  if (base.kind === 'percentile' && next.kind === 'percentile') return verdictOf(spec, judgePercentile(base.buckets, next.buckets, base.quantile), threshold);
  if (base.kind !== 'percentile' && next.kind !== 'percentile') return verdictOf(spec, judgeStreams(spec, base.values, next.values), threshold);
  throw new TypeError(`${spec.figure}: the two sides' data are of different kinds`);
}

export { notCompared };
