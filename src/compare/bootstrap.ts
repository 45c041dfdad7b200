import { seededRandom } from '../random.js';

export interface Interval {
  low: number;
  high: number;
}

/** A statistic over a scratch sample it may reorder in place (length = its count). */
export type Statistic = (sample: Float64Array, length: number) => number;

/**
 * Percentile bootstrap of statistic(next) − statistic(base): each resample draws each side with replacement from its own
 * samples; `resamples` (default 1000), `confidence` (default 0.95), `seed` (default 1). Deterministic for a seed.
 */
export function bootstrapDifference(
  base: readonly number[],
  next: readonly number[],
  statistic: Statistic,
  options: { resamples?: number; confidence?: number; seed?: number } = {},
): Interval {
  const { resamples = 1000, confidence = 0.95, seed = 1 } = options;
  if (!(Number.isSafeInteger(resamples) && resamples > 0)) throw new RangeError(`resamples must be a positive integer, not ${resamples}`);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be between 0 and 1, not ${confidence}`);
  const baseSamples = checkedSamples(base, 'base');
  const nextSamples = checkedSamples(next, 'next');
  const random = seededRandom(seed);
  // Scratch buffers reused by every resample: the statistic reorders them, the samples stay as given.
  const baseScratch = new Float64Array(baseSamples.length);
  const nextScratch = new Float64Array(nextSamples.length);
  const differences = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    resample(baseSamples, baseScratch, random);
    resample(nextSamples, nextScratch, random);
    differences[r] = statistic(nextScratch, nextScratch.length) - statistic(baseScratch, baseScratch.length);
  }
  differences.sort();
  const tail = (1 - confidence) / 2;
  return { low: interpolated(differences, tail), high: interpolated(differences, 1 - tail) };
}

function checkedSamples(samples: readonly number[], side: string): Float64Array {
  if (samples.length === 0) throw new RangeError(`${side}: no samples to resample`);
  for (const value of samples) if (!Number.isFinite(value)) throw new RangeError(`${side}: sample ${value} is not finite: drop it before the bootstrap`);
  return Float64Array.from(samples);
}

function resample(samples: Float64Array, into: Float64Array, random: () => number): void {
  const n = samples.length;
  for (let i = 0; i < into.length; i++) into[i] = samples[Math.floor(random() * n)] ?? 0;
}

// Between order statistics, as numpy's default percentile and criterion's: 1,000 resamples read smoothly.
function interpolated(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p;
  const below = Math.floor(h);
  const low = sorted[below] ?? NaN;
  const high = sorted[Math.min(below + 1, sorted.length - 1)] ?? NaN;
  return low + (h - below) * (high - low);
}

/** The median: the middle value, or the mean of the two middle values of an even count (NaN when empty). */
export const median: Statistic = (sample, length) => {
  if (length === 0) return NaN;
  const k = (length - 1) >> 1;
  const lower = select(sample, k, length);
  if (length % 2 === 1) return lower;
  // After the selection everything past k is at least sample[k]: the upper middle is their minimum.
  let upper = Infinity;
  for (let i = k + 1; i < length; i++) upper = Math.min(upper, sample[i] ?? Infinity);
  return (lower + upper) / 2;
};

/** The arithmetic mean (NaN when empty). */
export const mean: Statistic = (sample, length) => {
  let sum = 0;
  for (let i = 0; i < length; i++) sum += sample[i] ?? 0;
  return sum / length;
};

/** The q-quantile (0..1), nearest-rank as the report's percentiles are (src/metrics/gap-histogram.ts valueAtPercentile). */
export function quantileStatistic(q: number): Statistic {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`a quantile is between 0 and 1, not ${q}`);
  return (sample, length) => (length === 0 ? NaN : select(sample, nearestRank(q, length) - 1, length));
}

/**
 * The 1-based rank of the q-quantile among `total` values, rounded as HdrHistogram's getValueAtPercentile (and so
 * valueAtPercentile) rounds it: up, but not past a representation error of one ulp.
 */
export function nearestRank(q: number, total: number): number {
  const fp = Math.min(q, 1) * total;
  const ulp = 2 ** (Math.floor(Math.log2(fp)) - 52);
  return Math.min(total, Math.max(Math.ceil(fp - ulp), 1));
}

/**
 * Hoare's quickselect with a median-of-three pivot (Numerical Recipes' select): puts the k-th smallest (0-based) of
 * sample[0..length) at k, smaller ones before it and larger ones after, in O(length) on average. Equal values stop
 * both scans, so samples full of repeats (every bootstrap resample) still split evenly.
 */
function select(a: Float64Array, k: number, length: number): number {
  let left = 0;
  let right = length - 1;
  while (right > left + 1) {
    swap(a, (left + right) >> 1, left + 1);
    if (at(a, left) > at(a, right)) swap(a, left, right);
    if (at(a, left + 1) > at(a, right)) swap(a, left + 1, right);
    if (at(a, left) > at(a, left + 1)) swap(a, left, left + 1);
    const pivot = at(a, left + 1);
    let i = left + 1;
    let j = right;
    for (;;) {
      do i++;
      while (at(a, i) < pivot);
      do j--;
      while (at(a, j) > pivot);
      if (j < i) break;
      swap(a, i, j);
    }
    a[left + 1] = at(a, j);
    a[j] = pivot;
    if (j >= k) right = j - 1;
    if (j <= k) left = i;
  }
  if (right === left + 1 && at(a, right) < at(a, left)) swap(a, left, right);
  return at(a, k);
}

function at(a: Float64Array, i: number): number {
  return a[i] ?? NaN;
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = at(a, i);
  a[i] = at(a, j);
  a[j] = t;
}
