import { nearestRank, type Interval } from './bootstrap.js';

export { bootstrapDifference, mean, median, quantileStatistic, type Interval, type Statistic } from './bootstrap.js';

/** A two-sided test's outcome. */
export interface RankTest {
  /** Two-sided p-value, 0-1; 1 when either side has no samples or all values are tied. */
  pValue: number;
  /** Mann–Whitney U of `next` (the count of pairs where next > base, ties counting one half). */
  u: number;
  /** Samples on each side. */
  baseCount: number;
  nextCount: number;
  /** 'exact' (small samples without ties: the exact distribution of U) or 'normal' (normal approximation, tie-corrected, continuity-corrected). */
  method: 'exact' | 'normal';
}

/** A distribution as sorted distinct values with their counts (an HdrHistogram's buckets): values ascending, counts > 0. */
export interface Buckets {
  values: readonly number[];
  counts: readonly number[];
}

// R's wilcox.test goes exact below 50 a side; 25 keeps every count of the U distribution (at most C(50, 25) ≈ 1.3e14)
// an exact integer in a double, so the tail sums lose nothing.
const EXACT_MAX_SIDE = 25;

/** Mann–Whitney U over two samples (each any order; NaN/non-finite values must be dropped by the caller: throw a RangeError if one is given). */
export function rankTest(base: readonly number[], next: readonly number[]): RankTest {
  // Sorted and counted into buckets, the samples take the bucketed path: the two can never disagree.
  return bucketRankTest(bucketsOf(base, 'base'), bucketsOf(next, 'next'));
}

/** The same test over two bucketed distributions, in O(buckets) (ties are whole buckets; 'normal' method always unless both totals are small). Must equal rankTest over the expanded samples. */
export function bucketRankTest(base: Buckets, next: Buckets): RankTest {
  const baseCount = checkedTotal(base, 'base');
  const nextCount = checkedTotal(next, 'next');
  const { u, tieTerm } = mergedRanks(base, next);
  const method = tieTerm === 0 && baseCount <= EXACT_MAX_SIDE && nextCount <= EXACT_MAX_SIDE ? 'exact' : 'normal';
  let pValue = 1;
  if (baseCount > 0 && nextCount > 0) pValue = method === 'exact' ? exactPValue(u, baseCount, nextCount) : normalPValue(u, baseCount, nextCount, tieTerm);
  return { pValue, u, baseCount, nextCount, method };
}

/** One walk over both sides in value order: U of `next` and the tie term Σ(t³ − t) over groups of equal values. */
function mergedRanks(base: Buckets, next: Buckets): { u: number; tieTerm: number } {
  let i = 0;
  let j = 0;
  let baseBelow = 0;
  let u = 0;
  let tieTerm = 0;
  while (i < base.values.length || j < next.values.length) {
    const b = base.values[i] ?? Infinity;
    const n = next.values[j] ?? Infinity;
    const baseTied = b <= n ? (base.counts[i++] ?? 0) : 0;
    const nextTied = n <= b ? (next.counts[j++] ?? 0) : 0;
    u += nextTied * (baseBelow + baseTied / 2);
    baseBelow += baseTied;
    const tied = baseTied + nextTied;
    tieTerm += tied * tied * tied - tied;
  }
  return { u, tieTerm };
}

/** As scipy's mannwhitneyu(method='asymptotic', use_continuity=True) and R's wilcox.test(correct=TRUE, exact=FALSE). */
function normalPValue(u: number, n1: number, n2: number, tieTerm: number): number {
  const n = n1 + n2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (!(variance > 0)) return 1;
  const z = Math.max(0, Math.abs(u - (n1 * n2) / 2) - 0.5) / Math.sqrt(variance);
  return Math.min(1, erfc(z / Math.SQRT2));
}

/**
 * Twice the smaller tail of U's exact distribution under the null, as R and scipy's method='exact'. The counts of
 * each U are the coefficients of the Gaussian binomial [n1 + n2 choose m]_q = Π (1 − q^(n+i)) / (1 − q^i), i = 1..m.
 */
function exactPValue(u: number, n1: number, n2: number): number {
  const m = Math.min(n1, n2);
  const n = Math.max(n1, n2);
  const ways = new Float64Array(m * n + 1);
  ways[0] = 1;
  for (let i = 1; i <= m; i++) {
    const degree = i * n;
    for (let k = degree; k >= n + i; k--) ways[k] = (ways[k] ?? 0) - (ways[k - n - i] ?? 0);
    for (let k = i; k <= degree; k++) ways[k] = (ways[k] ?? 0) + (ways[k - i] ?? 0);
  }
  let total = 0;
  let tail = 0;
  const smaller = Math.min(u, n1 * n2 - u);
  for (let k = 0; k < ways.length; k++) {
    total += ways[k] ?? 0;
    if (k <= smaller) tail += ways[k] ?? 0;
  }
  return Math.min(1, (2 * tail) / total);
}

/**
 * A distribution-free confidence interval for the q-quantile of a bucketed distribution: the order statistics at
 * ranks n·q ± z·sqrt(n·q·(1−q)) (binomial normal approximation), read from the buckets. When n is small so the ranks fall
 * outside 1..n, the interval opens to the smallest/largest value.
 */
export function quantileInterval(buckets: Buckets, q: number, confidence = 0.95): Interval {
  checkQuantile(q);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be between 0 and 1, not ${confidence}`);
  const total = checkedTotal(buckets, 'buckets');
  if (total === 0) throw new RangeError('no samples: a quantile needs at least one');
  const halfWidth = normalQuantile(1 - (1 - confidence) / 2) * Math.sqrt(total * q * (1 - q));
  // Rounded outwards, and widened to the point estimate's own rank, so the interval always holds bucketQuantile.
  const rank = nearestRank(q, total);
  const lowRank = Math.max(1, Math.min(rank, Math.floor(total * q - halfWidth)));
  const highRank = Math.min(total, Math.max(rank, Math.ceil(total * q + halfWidth)));
  return { low: valueAtRank(buckets, lowRank), high: valueAtRank(buckets, highRank) };
}

/**
 * The value at the q-quantile of buckets, nearest rank (as the report's percentiles). The value is the bucket's
 * own: where buckets are an HdrHistogram's lowest values, the report shows the top of that bucket (bucketTop).
 */
export function bucketQuantile(buckets: Buckets, q: number): number {
  checkQuantile(q);
  const total = checkedTotal(buckets, 'buckets');
  if (total === 0) throw new RangeError('no samples: a quantile needs at least one');
  return valueAtRank(buckets, nearestRank(q, total));
}

function valueAtRank(buckets: Buckets, rank: number): number {
  let seen = 0;
  for (let i = 0; i < buckets.values.length; i++) {
    seen += buckets.counts[i] ?? 0;
    if (seen >= rank) return buckets.values[i] ?? NaN;
  }
  return NaN;
}

function checkQuantile(q: number): void {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`a quantile is between 0 and 1, not ${q}`);
}

/** The samples' total, once the buckets are checked: values finite and strictly ascending, counts positive integers. */
function checkedTotal(buckets: Buckets, side: string): number {
  const { values, counts } = buckets;
  if (values.length !== counts.length) throw new RangeError(`${side}: ${values.length} values but ${counts.length} counts`);
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i] ?? NaN;
    const count = counts[i] ?? NaN;
    if (!Number.isFinite(value)) throw new RangeError(`${side}: value ${value} is not finite`);
    if (i > 0 && !(value > (values[i - 1] ?? NaN))) throw new RangeError(`${side}: values must be strictly ascending`);
    if (!(Number.isSafeInteger(count) && count > 0)) throw new RangeError(`${side}: count ${count} is not a positive integer`);
    total += count;
  }
  return total;
}

function bucketsOf(samples: readonly number[], side: string): Buckets {
  const sorted = Float64Array.from(samples).sort();
  const values: number[] = [];
  const counts: number[] = [];
  for (const value of sorted) {
    if (!Number.isFinite(value)) throw new RangeError(`${side}: sample ${value} is not finite: drop it before the test`);
    if (values.length > 0 && value === values[values.length - 1]) counts[counts.length - 1] = (counts[counts.length - 1] ?? 0) + 1;
    else {
      values.push(value);
      counts.push(1);
    }
  }
  return { values, counts };
}

/** Numerical Recipes' erfc (Chebyshev fit): relative error below 1.2e-7 everywhere, so tiny p-values keep their digits. */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -1.26551223 +
    t *
      (1.00002368 +
        t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const result = t * Math.exp(-z * z + poly);
  return x >= 0 ? result : 2 - result;
}

/** The standard normal distribution function Φ(x). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

// Acklam's rational approximation of Φ⁻¹: relative error below 1.15e-9.
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239] as const;
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1] as const;
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783] as const;
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416] as const;
const P_LOW = 0.02425;

/** Φ⁻¹(p), the standard normal quantile, for p in (0, 1); ±Infinity at 0 and 1. */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`a probability is between 0 and 1, not ${p}`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p < P_LOW) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - P_LOW) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  const numerator = (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q;
  return numerator / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
}

function tail(q: number): number {
  return (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
}
