import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bootstrapDifference, mean, median, quantileStatistic, type Statistic } from '../../src/compare/bootstrap.js';
import { bucketQuantile, bucketRankTest, normalCdf, normalQuantile, quantileInterval, rankTest, type Buckets } from '../../src/compare/statistics.js';
import { bucketOf, bucketTop, valueAtPercentile } from '../../src/metrics/gap-histogram.js';
import { seededRandom } from '../../src/random.js';

function expectRelative(actual: number, expected: number, tolerance: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance * Math.abs(expected));
}

function bucketsOf(samples: readonly number[]): Buckets {
  const counts = new Map<number, number>();
  for (const v of samples) counts.set(v, (counts.get(v) ?? 0) + 1);
  const values = [...counts.keys()].sort((a, b) => a - b);
  return { values, counts: values.map((v) => counts.get(v) ?? 0) };
}

const expand = ({ values, counts }: Buckets): number[] => values.flatMap((v, i) => Array.from({ length: counts[i] ?? 0 }, () => v));

/** Box–Muller over the seeded generator: normal samples that repeat on every machine. */
function normalSamples(random: () => number, n: number, mu = 0, sigma = 1): number[] {
  return Array.from({ length: n }, () => mu + sigma * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()));
}

const range = (n: number, f: (i: number) => number): number[] => Array.from({ length: n }, (_, i) => f(i));
const ascending = (n: number, from = 0): number[] => range(n, (i) => from + i);

const sample = fc.array(fc.oneof(fc.integer({ min: 0, max: 20 }), fc.double({ min: -1e6, max: 1e6, noNaN: true })), { maxLength: 40 });
const buckets = fc.uniqueArray(fc.integer({ min: 0, max: 5_000 }), { maxLength: 30 }).chain((values) =>
  fc.record({
    values: fc.constant(values.sort((a, b) => a - b)),
    counts: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: values.length, maxLength: values.length }),
  }),
);

describe('rankTest against scipy', () => {
  // scipy 1.17.1: mannwhitneyu(next, base, alternative='two-sided', method=…, use_continuity=True); U is next's.
  // The first case is R's wilcox.test documentation example (Hollander & Wolfe), whose one-sided p is 0.1272.
  it.each([
    ['R example', [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46], [1.15, 0.88, 0.9, 0.74, 1.21], 15, 0.2544122544122544, 'exact'],
    ['3 against 4', [1.5, 3.5, 2.5], [4.5, 0.5, 6.5, 5.5], 9, 0.4, 'exact'],
    ['25 a side, interleaved', range(25, (i) => (i * 17) % 50), range(25, (i) => ((i + 25) * 17) % 50), 425, 0.028881271831140223, 'exact'],
    ['25 a side, apart', ascending(25), ascending(25, 25), 625, 1.5821457204897228e-14, 'exact'],
    ['ties', [1, 2, 2, 3, 3, 3, 4, 5, 5, 7], [2, 3, 4, 4, 5, 6, 6, 7, 8, 9, 9], 85, 0.036224632849257206, 'normal'],
    ['40 against 60', range(40, (i) => (i * 37) % 101), range(60, (i) => (i * 53 + 7) % 113), 1337.5, 0.33505125250422363, 'normal'],
    ['429 against 667, shifted', range(429, (i) => (i * 7) % 97), range(667, (i) => ((i * 3) % 97) + 30), 217251, 1.1389939904514755e-47, 'normal'],
  ] as const)('%s', (_, base, next, u, p, method) => {
    const result = rankTest(base, next);
    expect(result).toMatchObject({ u, method, baseCount: base.length, nextCount: next.length });
    // The exact tails are sums of exact integers; the normal tail carries erfc's relative error (below 1.2e-7).
    expectRelative(result.pValue, p, method === 'exact' ? 1e-12 : 1e-6);
    expect(bucketRankTest(bucketsOf(base), bucketsOf(next))).toEqual(result);
  });

  it('goes exact only without ties and with at most 25 a side', () => {
    expect(rankTest(ascending(25), ascending(25, 0.5)).method).toBe('exact');
    expect(rankTest(ascending(26), ascending(25, 0.5)).method).toBe('normal');
    expect(rankTest([1, 2, 3], [3, 4, 5]).method).toBe('normal');
  });

  it('gives p = 1 to an empty side or all values tied, and refuses a non-finite sample', () => {
    expect(rankTest([], [1, 2, 3]).pValue).toBe(1);
    expect(rankTest(new Array<number>(100).fill(0), []).pValue).toBe(1);
    expect(rankTest([7, 7, 7], [7, 7])).toMatchObject({ pValue: 1, u: 3, method: 'normal' });
    for (const bad of [NaN, Infinity, -Infinity]) expect(() => rankTest([1, bad], [2])).toThrow(RangeError);
    expect(() => bucketRankTest({ values: [2, 1], counts: [1, 1] }, { values: [], counts: [] })).toThrow(RangeError);
    expect(() => bucketRankTest({ values: [1], counts: [0] }, { values: [], counts: [] })).toThrow(RangeError);
  });
});

describe('rankTest properties', () => {
  it('p is in [0, 1], and swapping the sides keeps p and turns u into n1·n2 − u', () => {
    fc.assert(
      fc.property(sample, sample, (base, next) => {
        const there = rankTest(base, next);
        const back = rankTest(next, base);
        expect(there.pValue).toBeGreaterThanOrEqual(0);
        expect(there.pValue).toBeLessThanOrEqual(1);
        expect(back.pValue).toBeCloseTo(there.pValue, 12);
        expect(back.u).toBe(base.length * next.length - there.u);
      }),
      { numRuns: 300 },
    );
  });

  it('gives p = 1 to identical samples', () => {
    fc.assert(
      fc.property(sample, (values) => {
        expect(rankTest(values, [...values].reverse()).pValue).toBe(1);
      }),
    );
  });

  it('bucketRankTest equals rankTest over the expanded samples', () => {
    fc.assert(
      fc.property(buckets, buckets, (base, next) => {
        expect(bucketRankTest(base, next)).toEqual(rankTest(expand(base), expand(next)));
      }),
      { numRuns: 300 },
    );
  });

  it('finds a large shift significant from 20 samples a side', () => {
    const side = fc.array(fc.double({ min: 0, max: 1_000, noNaN: true }), { minLength: 20, maxLength: 60 });
    fc.assert(
      fc.property(side, side, (base, next) => {
        expect(
          rankTest(
            base,
            next.map((v) => v + 10_000),
          ).pValue,
        ).toBeLessThan(0.001);
      }),
    );
  });

  it.each([
    ['continuous, 50 a side (normal)', 50, (r: () => number) => normalSamples(r, 50)],
    ['continuous, 12 a side (exact)', 12, (r: () => number) => normalSamples(r, 12)],
    ['five tied values, 50 a side', 50, (r: () => number) => range(50, () => Math.floor(r() * 5))],
  ])('rejects the same distribution at the 5%% level about 5%% of the time: %s', (_, __, draw) => {
    const random = seededRandom(1);
    let rejected = 0;
    for (let pair = 0; pair < 200; pair++) if (rankTest(draw(random), draw(random)).pValue < 0.05) rejected++;
    expect(rejected / 200).toBeGreaterThanOrEqual(0.01);
    expect(rejected / 200).toBeLessThanOrEqual(0.1);
  });
});

describe('the normal distribution', () => {
  it('matches scipy.stats.norm (scipy 1.17.1)', () => {
    expectRelative(normalCdf(1.96), 0.9750021048517795, 2e-7);
    expectRelative(normalCdf(-5), 2.866515718791933e-7, 2e-7);
    expectRelative(normalCdf(-8), 6.22096057427174e-16, 2e-7);
    expectRelative(normalQuantile(0.975), 1.959963984540054, 2e-9);
    expectRelative(normalQuantile(1e-6), -4.753424308822899, 2e-9);
    expectRelative(normalQuantile(0.3), -0.5244005127080409, 2e-9);
    expectRelative(normalQuantile(0.99), 2.3263478740408408, 2e-9);
    expect([normalQuantile(0), normalQuantile(1)]).toEqual([-Infinity, Infinity]);
  });

  it('inverts its distribution function', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-12, max: 1 - 1e-12, noNaN: true }), (p) => {
        expectRelative(normalCdf(normalQuantile(p)), p, 1e-6);
      }),
    );
  });
});

describe('statistics over a scratch sample', () => {
  const sorted = (values: readonly number[]): number[] => [...values].sort((a, b) => a - b);
  const nonEmpty = fc.array(fc.oneof(fc.integer({ min: 0, max: 9 }), fc.double({ min: -1e6, max: 1e6, noNaN: true })), { minLength: 1, maxLength: 60 });

  it('median and mean are the textbook ones, and the sample keeps its values', () => {
    fc.assert(
      fc.property(nonEmpty, (values) => {
        // + 0 makes −0 and 0 one value, as the comparisons do.
        const s = sorted(values.map((v) => v + 0));
        const n = s.length;
        const scratch = Float64Array.from(s).reverse();
        const middle = n % 2 === 1 ? (s[(n - 1) / 2] ?? NaN) : ((s[n / 2 - 1] ?? NaN) + (s[n / 2] ?? NaN)) / 2;
        expect(median(scratch, n) + 0).toBe(middle + 0);
        expect(sorted([...scratch])).toEqual(s);
        expect(mean(Float64Array.from(values), n)).toBeCloseTo(values.reduce((a, b) => a + b, 0) / n, 6);
      }),
      { numRuns: 500 },
    );
  });

  it('quantileStatistic is the nearest rank, as the report reads its histograms (valueAtPercentile)', () => {
    const small = fc.array(fc.integer({ min: 0, max: 2_047 }), { minLength: 1, maxLength: 200 });
    fc.assert(
      fc.property(small, fc.integer({ min: 0, max: 100 }), (values, percentile) => {
        const { values: bucketValues, counts } = bucketsOf(values);
        const expected = valueAtPercentile(bucketValues, counts, values.length, percentile);
        expect(quantileStatistic(percentile / 100)(Float64Array.from(values), values.length)).toBe(expected);
      }),
      { numRuns: 500 },
    );
    expect(() => quantileStatistic(1.5)).toThrow(RangeError);
  });
});

describe('bootstrapDifference', () => {
  const random = seededRandom(5);
  const base = normalSamples(random, 200, 100, 10);
  const next = normalSamples(random, 150, 103, 10);

  it('is deterministic for a seed, and another seed moves it', () => {
    expect(bootstrapDifference(base, next, median, { seed: 9 })).toEqual(bootstrapDifference(base, next, median, { seed: 9 }));
    expect(bootstrapDifference(base, next, median, { seed: 9 })).not.toEqual(bootstrapDifference(base, next, median, { seed: 10 }));
    expect(bootstrapDifference(base, next, mean)).toEqual(bootstrapDifference(base, next, mean, { resamples: 1000, confidence: 0.95, seed: 1 }));
  });

  it.each([
    ['median', median],
    ['mean', mean],
    ['p90', quantileStatistic(0.9)],
  ] as [string, Statistic][])('holds the observed difference of the %s in the vast majority of cases', (_, statistic) => {
    const random = seededRandom(17);
    let held = 0;
    for (let pair = 0; pair < 100; pair++) {
      const a = normalSamples(random, 60, 50, 5);
      const b = normalSamples(random, 80, 52, 5);
      const observed = statistic(Float64Array.from(b), b.length) - statistic(Float64Array.from(a), a.length);
      const { low, high } = bootstrapDifference(a, b, statistic, { resamples: 400, seed: pair });
      expect(low).toBeLessThanOrEqual(high);
      if (low <= observed && observed <= high) held++;
    }
    expect(held).toBeGreaterThanOrEqual(95);
  });

  it('covers the true difference about as often as it claims, and narrows as the samples grow', () => {
    const random = seededRandom(23);
    let covered = 0;
    for (let pair = 0; pair < 100; pair++) {
      const { low, high } = bootstrapDifference(normalSamples(random, 50), normalSamples(random, 50, 1), mean, { resamples: 500, seed: pair });
      if (low <= 1 && 1 <= high) covered++;
    }
    expect(covered).toBeGreaterThanOrEqual(85);
    const width = (n: number): number => {
      const { low, high } = bootstrapDifference(normalSamples(random, n), normalSamples(random, n), median);
      return high - low;
    };
    expect(width(1_000)).toBeLessThan(width(100));
    expect(width(100)).toBeLessThan(width(10));
  });

  it('refuses what it cannot resample', () => {
    expect(() => bootstrapDifference([], [1], mean)).toThrow(RangeError);
    expect(() => bootstrapDifference([1, NaN], [1], mean)).toThrow(RangeError);
    expect(() => bootstrapDifference([1], [1], mean, { resamples: 0 })).toThrow(RangeError);
    expect(() => bootstrapDifference([1], [1], mean, { confidence: 1 })).toThrow(RangeError);
  });
});

describe('quantiles of buckets', () => {
  const hdrValues = fc.array(fc.integer({ min: 1, max: 3_600_000 }), { minLength: 1, maxLength: 300 });
  const hdrBuckets = hdrValues.map((values) => bucketsOf(values.map((v) => bucketOf(v))));
  // Whole percentiles as the report reads them, and any other quantile: the ranks agree for both.
  const quantile = fc.oneof(
    fc.integer({ min: 0, max: 100 }).map((percentile) => percentile / 100),
    fc.double({ min: 0, max: 1, noNaN: true }),
  );

  it('bucketQuantile is the report percentile: the same rank, the bucket the report shows the top of', () => {
    fc.assert(
      fc.property(hdrBuckets, quantile, ({ values, counts }, q) => {
        const total = counts.reduce((a, b) => a + b, 0);
        const percentile = q * 100;
        const value = bucketQuantile({ values, counts }, q);
        expect(percentile === 0 ? value : bucketTop(value)).toBe(valueAtPercentile(values, counts, total, percentile));
      }),
      { numRuns: 500 },
    );
  });

  it('quantileInterval holds bucketQuantile, between the smallest and the largest value', () => {
    fc.assert(
      fc.property(buckets, fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0.5, max: 0.999, noNaN: true }), (b, q, confidence) => {
        fc.pre(b.values.length > 0);
        const { low, high } = quantileInterval(b, q, confidence);
        const point = bucketQuantile(b, q);
        expect(low).toBeLessThanOrEqual(point);
        expect(point).toBeLessThanOrEqual(high);
        expect(low).toBeGreaterThanOrEqual(b.values[0] ?? NaN);
        expect(high).toBeLessThanOrEqual(b.values[b.values.length - 1] ?? NaN);
      }),
      { numRuns: 500 },
    );
  });

  it('opens to the extremes for few samples, and covers the true quantile about as often as it claims', () => {
    expect(quantileInterval({ values: [3, 5, 9], counts: [1, 1, 1] }, 0.5)).toEqual({ low: 3, high: 9 });
    const random = seededRandom(41);
    let covered = 0;
    for (let trial = 0; trial < 200; trial++) {
      // Uniform integers 0..999: the true median is 499.5, so 499 and 500 both stand for it.
      const { low, high } = quantileInterval(bucketsOf(range(400, () => Math.floor(random() * 1000))), 0.5);
      if (low <= 499 && 500 <= high) covered++;
    }
    expect(covered / 200).toBeGreaterThanOrEqual(0.9);
    expect(() => quantileInterval({ values: [], counts: [] }, 0.5)).toThrow(RangeError);
    expect(() => bucketQuantile({ values: [1], counts: [1] }, -0.1)).toThrow(RangeError);
  });
});
