import fc from 'fast-check';
import * as hdr from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { gapPercentiles, histogram } from '../../../src/html/distributions.js';
import { addGapHistograms } from '../../../src/metrics/encoded-histograms.js';
import { encodeHistogram, GapHistogram } from '../../../src/metrics/gap-histogram.js';
import type { StreamReport } from '../../../src/report/report-types.js';
import { hdrAdded } from '../../helpers/hdr-reference.js';
import { olderRunReport } from './pages.js';

const encoded = (gaps: readonly number[]): string => {
  const histogram = new GapHistogram();
  for (const gap of gaps) histogram.record(gap);
  return encodeHistogram(histogram);
};

const PERCENTILES = [0, 1, 10, 25, 50, 75, 90, 95, 99, 99.9, 99.99, 100];

describe('frame gaps added into one histogram, read sparsely', () => {
  it('the same counts as hdr-histogram-js decoding each and adding them (what the summary uses)', () => {
    const gap = fc.oneof(fc.integer({ min: 1, max: 3_000 }), fc.integer({ min: 1, max: 3_600_000 }), fc.double({ min: 0, max: 5_000, noNaN: true }));
    fc.assert(
      fc.property(fc.array(fc.array(gap, { maxLength: 60 }), { minLength: 1, maxLength: 8 }), (streams) => {
        const texts = streams.map(encoded);
        const { total, unreadable } = addGapHistograms(texts);
        const reference = hdrAdded(texts);
        expect(unreadable).toBe(0);
        expect(total.totalCount).toBe(reference.totalCount);
        for (const p of PERCENTILES) expect(total.getValueAtPercentile(p)).toBe(reference.getValueAtPercentile(p));
      }),
      { numRuns: 40 },
    );
  });

  it('counts above 2^32 in one bucket survive (64-bit varints)', () => {
    const big = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000, numberOfSignificantValueDigits: 3, bitBucketSize: 64 });
    big.recordValueWithCount(200, 2 ** 33 + 5);
    big.recordValueWithCount(5_000, 3);
    const { total } = addGapHistograms([hdr.encodeIntoCompressedBase64(big)]);
    expect(total.totalCount).toBe(2 ** 33 + 8);
    expect(total.getValueAtPercentile(100)).toBe(big.getValueAtPercentile(100));
  });

  it('an unreadable histogram is left out and counted, not thrown', () => {
    const { total, unreadable } = addGapHistograms(['not a histogram', encoded([200, 201])]);
    expect(unreadable).toBe(1);
    expect(total.totalCount).toBe(2);
  });
});

describe('the frame-gap percentile curve', () => {
  it('agrees with the summary`s percentiles, ends at the exact maximum, and x = 1 / (1 − p) increases', () => {
    const report = olderRunReport();
    const curve = gapPercentiles(report.streams);
    if (!curve) throw new Error('no curve');
    const at = (p: number): number | undefined => curve.ms[curve.percentiles.indexOf(p)];
    expect(at(50)).toBe(report.summary.frameGapMs.p50);
    expect(at(95)).toBe(report.summary.frameGapMs.p95);
    expect(at(99)).toBe(report.summary.frameGapMs.p99);
    expect(at(100)).toBe(report.summary.frameGapMs.max);
    for (let i = 1; i < curve.x.length; i++) expect(curve.x[i]).toBeGreaterThan(curve.x[i - 1] ?? Infinity);
    // No finer percentile than the count resolves: 842 gaps reach 99.5 % (x = 200), not 99.9 % (x = 1,000).
    expect(curve.percentiles).toContain(99.5);
    expect(curve.percentiles).not.toContain(99.9);
  });

  it('labels its points with every digit they have, the maximum as such, and its axis at 50 %, 90 %, 99 %, … within reach', () => {
    const gaps = Array.from({ length: 12_000 }, (_, i) => 200 + (i % 7));
    const curve = gapPercentiles([{ frameGapHistogram: encoded(gaps), frameGapMs: { count: 12_000, p50: 0, p95: 0, p99: 0, max: 206 } } as StreamReport]);
    if (!curve) throw new Error('no curve');
    expect(curve.labels).toEqual(curve.percentiles.map((p) => (p === 0 ? '0% (min)' : p === 100 ? '100% (max)' : `${p}%`)));
    expect(curve.labels).toContain('99.99%');
    // 12,000 gaps resolve 99.99 % (x = 10,000) and no finer: no tick past the last percentile drawn.
    expect(curve.ticks.labels).toEqual(['50%', '90%', '99%', '99.9%', '99.99%']);
    expect(curve.ticks.x).toEqual([2, 10, 100, 1_000, 10_000]);
    for (const x of curve.ticks.x) expect(curve.x).toContain(x);
  });

  it('null without gaps', () => {
    const stream = { frameGapHistogram: encoded([]), frameGapMs: { count: 0, p50: 0, p95: 0, p99: 0, max: 0 } } as StreamReport;
    expect(gapPercentiles([stream])).toBeNull();
    expect(gapPercentiles([])).toBeNull();
  });
});

describe('histogram bins', () => {
  it('count every finite value once, in a bin that holds it, in at most 60 bins of a round width', () => {
    fc.assert(
      // Report figures have at most 3 decimals (fps) or 1 (ms).
      fc.property(
        fc.array(
          fc.integer({ min: -1e9, max: 1e9 }).map((n) => n / 1000),
          { minLength: 1, maxLength: 300 },
        ),
        (values) => {
          const bins = histogram(values);
          if (!bins) throw new Error('no bins');
          expect(bins.counts.reduce((a, b) => a + b, 0)).toBe(values.length);
          expect(bins.counts.length).toBeLessThanOrEqual(60);
          expect(bins.start).toBeLessThanOrEqual(Math.min(...values));
          expect(bins.start + bins.counts.length * bins.step).toBeGreaterThanOrEqual(Math.max(...values) - 1e-6 * Math.abs(Math.max(...values)));
          expect([1, 2, 2.5, 5, 10]).toContain(Number((bins.step / 10 ** Math.floor(Math.log10(bins.step))).toPrecision(6)));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('null for nothing; one bin for one value repeated', () => {
    expect(histogram([])).toBeNull();
    expect(histogram([Number.NaN])).toBeNull();
    expect(histogram([5, 5, 5])?.counts.reduce((a, b) => a + b, 0)).toBe(3);
  });
});
