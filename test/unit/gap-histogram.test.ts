import fc from 'fast-check';
import * as hdr from 'hdr-histogram-js';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { bucketOf, bucketTop, encodeHistogram, GapHistogram, mergedPercentiles, percentiles, valueAtPercentile } from '../../src/metrics/gap-histogram.js';
import { forEachEncodedBucket, mergedEncodedPercentiles } from '../../src/metrics/encoded-histograms.js';
import { bucketAtIndex, encodeBucketCounts } from '../../src/metrics/hdr-encoding.js';
import { hdrAdded, hdrPercentiles } from '../helpers/hdr-reference.js';

// What the report held before: every value recorded straight into HdrHistogram.
function direct(values: readonly number[]): hdr.Histogram {
  const h = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000, numberOfSignificantValueDigits: 3, bitBucketSize: 'packed' });
  for (const v of values) h.recordValue(Math.min(3_600_000, Math.max(1, Math.round(v))));
  return h;
}

/** The V2 encoding inside a compressed base64 histogram, inflated by zlib, as every HdrHistogram reader does. */
function inflated(encoded: string): Buffer {
  const bytes = Buffer.from(encoded, 'base64');
  expect(bytes.readInt32BE(0)).toBe(0x1c849314);
  expect(bytes.readInt32BE(4)).toBe(bytes.length - 8);
  return inflateSync(bytes.subarray(8));
}

/** The same counts as hdr-histogram-js encodes them, bytes for bytes once inflated, and decoded by it to the same. */
function expectSameEncoding(encoded: string, expected: hdr.Histogram): void {
  expect(inflated(encoded).equals(inflated(hdr.encodeIntoCompressedBase64(expected)))).toBe(true);
  const decoded = hdr.decodeFromCompressedBase64(encoded);
  expect(decoded.totalCount).toBe(expected.totalCount);
  expect(decoded.toJSON()).toEqual(hdr.decodeFromCompressedBase64(hdr.encodeIntoCompressedBase64(expected)).toJSON());
}

function gapsOf(values: readonly number[]): GapHistogram {
  const gaps = new GapHistogram();
  for (const v of values) gaps.record(v);
  return gaps;
}

// Mostly near a frame period, some reconnection gaps, some far outliers, fractions and out-of-range values.
const gapValue = fc.oneof(
  fc.double({ min: 150, max: 250, noNaN: true }),
  fc.integer({ min: 1, max: 2_047 }),
  fc.integer({ min: 2_048, max: 3_600_000 }),
  fc.double({ min: -10, max: 10_000_000, noNaN: true }),
);

describe('bucketOf', () => {
  it('is the lowest value HdrHistogram counts in the same bucket', () => {
    // Public on HdrHistogram's implementations, though not in hdr-histogram-js's type for them.
    const h = direct([]) as unknown as { lowestEquivalentValue: (value: number) => number };
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3_600_000 }), (v) => {
        expect(bucketOf(v)).toBe(h.lowestEquivalentValue(v));
      }),
      { numRuns: 2_000 },
    );
    expect(bucketOf(2_047)).toBe(2_047);
    expect(bucketOf(2_049)).toBe(2_048);
    expect(bucketOf(3_600_000)).toBe(h.lowestEquivalentValue(3_600_000));
  });
});

describe('bucketAtIndex', () => {
  it('is HdrHistogram`s value of a counts index, across the exact range and every halving above it', () => {
    const reference = direct([]) as unknown as { valueFromIndex(i: number): number; countsArrayLength: number };
    for (let index = 0; index < reference.countsArrayLength; index += 7) expect(bucketAtIndex(index, 10)).toBe(reference.valueFromIndex(index));
  });
});

describe('GapHistogram', () => {
  it('holds the same counts as recording every value into HdrHistogram', () => {
    fc.assert(
      fc.property(fc.array(gapValue, { maxLength: 600 }), (values) => {
        const gaps = gapsOf(values);
        const expected = direct(values);
        expect(gaps.totalCount).toBe(values.length);
        expect(percentiles(gaps)).toEqual(hdrPercentiles(expected));
        const { buckets, counts } = gaps.sortedBuckets();
        for (const p of [1, 10, 25, 75, 90, 99.9, 100]) expect(valueAtPercentile(buckets, counts, gaps.totalCount, p)).toBe(expected.getValueAtPercentile(p));
        // The same bytes once inflated: hdr-histogram-js decodes them as its own (checked below, case by case).
        expect(inflated(encodeHistogram(gaps)).equals(inflated(hdr.encodeIntoCompressedBase64(expected)))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('grows past thousands of distinct buckets without losing a count', () => {
    const values = Array.from({ length: 20_000 }, (_, i) => 1 + ((i * 7_919) % 3_000_000));
    const gaps = gapsOf(values);
    expect(gaps.totalCount).toBe(20_000);
    expect(percentiles(gaps)).toEqual(hdrPercentiles(direct(values)));
    expectSameEncoding(encodeHistogram(gaps), direct(values));
  });

  it('encodes every bucket with counts up to 2^40 (over 64 KB: several stored blocks), zeros included', () => {
    // Every bucket from 0 to the top holds a count of 6 varint bytes: about 80 KB of V2 encoding, more than a
    // stream's table holds (32-bit counts), as a merged fleet's may.
    const expected = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000, numberOfSignificantValueDigits: 3, bitBucketSize: 64 });
    const buckets: number[] = [];
    const counts: number[] = [];
    for (let v = 0; v <= 3_600_000; v = v < 2_048 ? v + 1 : bucketTop(v) + 1) {
      const count = 2 ** 40 + v * 7_919;
      buckets.push(v);
      counts.push(count);
      expected.recordValueWithCount(v, count);
    }
    expect(buckets.length).toBeGreaterThan(13_000);
    const settings = { lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000, numberOfSignificantValueDigits: 3 };
    const encoded = encodeBucketCounts(buckets, counts, settings, 10);
    expect(inflated(encoded).length).toBeGreaterThan(0xffff);
    expect(inflated(encoded).equals(inflated(hdr.encodeIntoCompressedBase64(expected)))).toBe(true);
    expect(hdr.decodeFromCompressedBase64(encoded, 64).totalCount).toBe(expected.totalCount);
  });

  it('round-trips through the report encoding and merges exactly', () => {
    const a = [200, 201, 199, 5_000, 200];
    const b = [100, 100, 120_000];
    // A decoded histogram knows buckets, not values: its maximum is the top of the bucket, for both.
    const decoded = hdr.decodeFromCompressedBase64(encodeHistogram(gapsOf(a)));
    expect(hdrPercentiles(decoded)).toEqual(hdrPercentiles(hdr.decodeFromCompressedBase64(hdr.encodeIntoCompressedBase64(direct(a)))));
    expect(decoded.totalCount).toBe(5);
    expect(mergedPercentiles([gapsOf(a), gapsOf(b)])).toEqual(hdrPercentiles(direct([...a, ...b])));
  });

  it('reads any percentile from its buckets as HdrHistogram does', () => {
    const h = direct([]) as unknown as { highestEquivalentValue: (value: number) => number };
    fc.assert(
      fc.property(fc.array(gapValue, { minLength: 1, maxLength: 400 }), fc.double({ min: 0, max: 100, noNaN: true }), (values, p) => {
        const gaps = gapsOf(values);
        const table = new Map<number, number>();
        gaps.forEachBucket((bucket, count) => table.set(bucket, count));
        const buckets = [...table.keys()].sort((a, b) => a - b);
        const counts = buckets.map((b) => table.get(b) ?? 0);
        const expected = direct(values);
        for (const q of [0, p, 33.3, 50, 95, 99, 99.99, 100])
          expect(valueAtPercentile(buckets, counts, values.length, q)).toBe(expected.getValueAtPercentile(q));
        for (const b of buckets) expect(bucketTop(b)).toBe(h.highestEquivalentValue(b));
      }),
      { numRuns: 300 },
    );
  });

  it('merges bucket tables to the same figures as merging the encoded histograms', () => {
    fc.assert(
      fc.property(fc.array(fc.array(gapValue, { maxLength: 200 }), { maxLength: 12 }), (streams) => {
        const all = streams.map(gapsOf);
        const encoded = all.map(encodeHistogram);
        const fromFiles = mergedEncodedPercentiles(encoded);
        const merged = mergedPercentiles(all);
        // An encoded histogram knows only the maximum's bucket (its top, as hdr-histogram-js reads it); the
        // tables keep the exact maximum.
        expect({ ...merged, max: 0 }).toEqual({ ...fromFiles, max: 0 });
        expect(fromFiles).toEqual(hdrPercentiles(hdrAdded(encoded)));
        expect(merged.max).toBe(Math.max(0, ...all.map((g) => g.maxValue)));
        expect(merged).toEqual(hdrPercentiles(direct(streams.flat())));
        // Reports written before session 6 hold deflated encodings (hdr-histogram-js's own): mixed with today's,
        // shard by shard, they merge to the same figures.
        const older = streams.map((values, i) => (i % 2 === 0 ? hdr.encodeIntoCompressedBase64(direct(values)) : (encoded[i] ?? '')));
        expect(mergedEncodedPercentiles(older)).toEqual(fromFiles);
      }),
      { numRuns: 200 },
    );
  });

  it('reads encoded histograms bucket by bucket: the pairs of the table it came from, and foreign settings too', () => {
    fc.assert(
      fc.property(fc.array(gapValue, { maxLength: 300 }), (values) => {
        const gaps = gapsOf(values);
        const own = new Map<number, number>();
        gaps.forEachBucket((bucket, count) => own.set(bucket, count));
        const read = new Map<number, number>();
        forEachEncodedBucket(encodeHistogram(gaps), (bucket, count) => read.set(bucket, count));
        expect(read).toEqual(own);
      }),
      { numRuns: 200 },
    );
    // Another tool's histogram (2 significant digits, from 1 µs): decoded by hdr-histogram-js, read in this
    // report's buckets, every count kept.
    const foreign = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 10_000_000, numberOfSignificantValueDigits: 2, bitBucketSize: 32 });
    for (const v of [1, 150, 200, 3_000, 9_000_000]) foreign.recordValueWithCount(v, 2);
    let total = 0;
    forEachEncodedBucket(hdr.encodeIntoCompressedBase64(foreign), (bucket, count) => {
      expect(bucket).toBe(bucketOf(bucket));
      expect(bucket).toBeLessThanOrEqual(3_600_000);
      total += count;
    });
    expect(total).toBe(10);
    expect(() => {
      forEachEncodedBucket('not a histogram', () => undefined);
    }).toThrow();
  });

  it('encodes one stream after another without carrying counts over', () => {
    const a = gapsOf([200, 200, 5_000]);
    const b = gapsOf([100]);
    expectSameEncoding(encodeHistogram(a), direct([200, 200, 5_000]));
    expectSameEncoding(encodeHistogram(b), direct([100]));
    expectSameEncoding(encodeHistogram(new GapHistogram()), direct([]));
  });

  it('reads as empty before any gap', () => {
    expect(percentiles(new GapHistogram())).toEqual({ count: 0, p50: 0, p95: 0, p99: 0, max: 0 });
  });
});
