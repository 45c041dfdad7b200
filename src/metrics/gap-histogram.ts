import { encodeBucketCounts } from './hdr-encoding.js';

/** An hour: larger values are recorded as this. */
export const HIGHEST_TRACKABLE_MS = 3_600_000;

// 3 significant digits from 1 ms to an hour: what the report's HdrHistograms hold.
export const SETTINGS = {
  lowestDiscernibleValue: 1,
  highestTrackableValue: HIGHEST_TRACKABLE_MS,
  numberOfSignificantValueDigits: 3,
} as const;
// With 3 significant digits HdrHistogram is exact below 2,048 and halves its resolution each power of 2 above.
const EXACT_BELOW = 2048;
export const EXACT_BITS = 10;

/** The smallest value HdrHistogram (3 digits) counts in the same bucket as `value`, an integer ≥ 1. */
export function bucketOf(value: number): number {
  if (value < EXACT_BELOW) return value;
  const shift = 31 - Math.clz32(value) - EXACT_BITS;
  return (value >>> shift) << shift;
}

/**
 * Frame gaps of one stream, recorded on the per-frame path. HdrHistogram's own recorders were the engine's
 * largest cost per frame (its packed array, about 350 ns per value); a stream's gaps take few distinct values,
 * so they are counted per HdrHistogram bucket in a small open-addressing table (6 ns hot, about 130 ns with the
 * cold caches of 2,000 streams taking turns; no allocation once the table has grown), read as HdrHistogram
 * reads its buckets, and encoded as HdrHistogram encodes them (hdr-encoding.ts).
 */
export class GapHistogram {
  // Open addressing, linear probing: slot i is [2i] the bucket (0 = empty), [2i + 1] its count. One array,
  // so a record touches one cold cache line rather than two when thousands of streams take turns.
  // 8 slots to begin with: 64 bytes, which V8 keeps on its heap; from 128 bytes a typed array has a buffer of its
  // own outside it, and three per stream (its gaps, its freshness's two) were 25% of a 10,000-stream run's setup.
  // Not an array of small integers: 8 bytes an entry where this takes 4, smaller only up to 16 slots (the view and
  // its ArrayBuffer are 184 bytes) and larger from 32 on (20 s of a 1 fps stream's gaps took 16-32 slots).
  private table = new Uint32Array(2 * 8);
  private distinct = 0;
  totalCount = 0;
  /** The largest value recorded, itself (HdrHistogram reports the exact maximum too). */
  maxValue = 0;
  /** Zeros, kept apart: 0 marks an empty slot of the table. */
  private zeros = 0;

  /**
   * `lowest` is the smallest value recorded: 1 for frame gaps (two frames of one chunk are 1 ms apart, as
   * HdrHistogram's lowest discernible value), 0 for delays, where 0 means none.
   */
  constructor(private readonly lowest: 0 | 1 = 1) {}

  /** Records a millisecond value, clamped into the trackable range so an outlier never throws. */
  record(ms: number): void {
    const value = Math.min(SETTINGS.highestTrackableValue, Math.max(this.lowest, Math.round(ms)));
    this.recordInteger(value, 1);
  }

  /** Adds `count` of an integer value already in range (a bucket of another histogram, say). */
  recordInteger(value: number, count: number): void {
    this.totalCount += count;
    if (value > this.maxValue) this.maxValue = value;
    if (value === 0) {
      this.zeros += count;
      return;
    }
    const key = bucketOf(value);
    const table = this.table;
    const mask = (table.length >> 1) - 1;
    for (let i = slotOf(key, mask); ; i = (i + 1) & mask) {
      const found = table[2 * i];
      if (found === key) {
        table[2 * i + 1] = (table[2 * i + 1] ?? 0) + count;
        return;
      }
      if (found === 0) {
        table[2 * i] = key;
        table[2 * i + 1] = count;
        if (++this.distinct * 2 > mask + 1) this.grow();
        return;
      }
    }
  }

  /** Calls `visit` with every bucket (its lowest value) and its count, in no particular order. */
  forEachBucket(visit: (bucket: number, count: number) => void): void {
    if (this.zeros > 0) visit(0, this.zeros);
    const table = this.table;
    for (let i = 0; i < table.length; i += 2) {
      const key = table[i] ?? 0;
      if (key !== 0) visit(key, table[i + 1] ?? 0);
    }
  }

  /** Its buckets (lowest values) in ascending order, with their counts: a stream's own figures, read without a Map. */
  sortedBuckets(): { buckets: number[]; counts: number[] } {
    const buckets: number[] = [];
    const counts: number[] = [];
    this.forEachBucket((bucket, count) => {
      buckets.push(bucket);
      counts.push(count);
    });
    if (!isAscending(buckets)) {
      const order = buckets.map((_, i) => i).sort((a, b) => (buckets[a] ?? 0) - (buckets[b] ?? 0));
      return { buckets: order.map((i) => buckets[i] ?? 0), counts: order.map((i) => counts[i] ?? 0) };
    }
    return { buckets, counts };
  }

  private grow(): void {
    const old = this.table;
    const table = new Uint32Array(old.length * 2);
    const mask = (table.length >> 1) - 1;
    for (let j = 0; j < old.length; j += 2) {
      const key = old[j] ?? 0;
      if (key === 0) continue;
      let i = slotOf(key, mask);
      while (table[2 * i] !== 0) i = (i + 1) & mask;
      table[2 * i] = key;
      table[2 * i + 1] = old[j + 1] ?? 0;
    }
    this.table = table;
  }
}

function isAscending(values: readonly number[]): boolean {
  for (let i = 1; i < values.length; i++) if ((values[i - 1] ?? 0) > (values[i] ?? 0)) return false;
  return true;
}

// Fibonacci hashing: nearby buckets (the usual case: gaps around one frame period) land in different slots.
function slotOf(key: number, mask: number): number {
  return (Math.imul(key, 0x9e3779b1) >>> 16) & mask;
}

export interface Percentiles {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** The highest value HdrHistogram (3 digits) counts in the bucket whose lowest value is `bucket`. */
export function bucketTop(bucket: number): number {
  if (bucket < EXACT_BELOW) return bucket;
  return bucket + (1 << (31 - Math.clz32(bucket) - EXACT_BITS)) - 1;
}

/**
 * HdrHistogram's getValueAtPercentile over bucket counts: the same rank (its rounding, ulp guard included) and
 * the same answer (the top of the bucket that reaches it; its bottom for percentile 0). `buckets` ascending.
 */
export function valueAtPercentile(buckets: readonly number[], counts: readonly number[], total: number, percentile: number): number {
  const fp = (Math.min(percentile, 100) / 100) * total;
  const ulp = 2 ** (Math.floor(Math.log2(fp)) - 52);
  const rank = Math.max(Math.ceil(fp - ulp), 1);
  let seen = 0;
  for (let i = 0; i < buckets.length; i++) {
    seen += counts[i] ?? 0;
    if (seen >= rank) {
      const bucket = buckets[i] ?? 0;
      return percentile === 0 ? bucket : bucketTop(bucket);
    }
  }
  return 0;
}

/** Percentiles of bucket counts (`buckets` ascending), as HdrHistogram reads them; `max` is the exact maximum. */
function percentilesOfSorted(buckets: readonly number[], counts: readonly number[], max: number): Percentiles {
  let count = 0;
  for (const n of counts) count += n;
  if (count === 0) return { count, p50: 0, p95: 0, p99: 0, max: 0 };
  return {
    count,
    p50: valueAtPercentile(buckets, counts, count, 50),
    p95: valueAtPercentile(buckets, counts, count, 95),
    p99: valueAtPercentile(buckets, counts, count, 99),
    max,
  };
}

/**
 * The percentiles of all these streams' gaps added together: the same figures as adding their encoded
 * histograms (mergeEncodedHistograms), read from the bucket tables without building an HdrHistogram (a
 * 2,000-stream report spent most of its building time in them). Counts add up as doubles: exact to 2^53.
 */
export function mergedPercentiles(all: Iterable<GapHistogram>): Percentiles {
  const countByBucket = new Map<number, number>();
  let max = 0;
  for (const gaps of all) {
    gaps.forEachBucket((bucket, count) => countByBucket.set(bucket, (countByBucket.get(bucket) ?? 0) + count));
    if (gaps.maxValue > max) max = gaps.maxValue;
  }
  return percentilesOfMap(countByBucket, max);
}

export function percentilesOfMap(countByBucket: ReadonlyMap<number, number>, max: number): Percentiles {
  const buckets = [...countByBucket.keys()].sort((a, b) => a - b);
  return percentilesOfSorted(
    buckets,
    buckets.map((b) => countByBucket.get(b) ?? 0),
    max,
  );
}

export function percentiles(gaps: GapHistogram): Percentiles {
  const { buckets, counts } = gaps.sortedBuckets();
  return percentilesOfSorted(buckets, counts, gaps.maxValue);
}

/** Compressed base64, as HdrHistogram's other implementations read it: reports can be merged exactly later. */
export function encodeHistogram(gaps: GapHistogram): string {
  const { buckets, counts } = gaps.sortedBuckets();
  return encodeBucketCounts(buckets, counts, SETTINGS, EXACT_BITS);
}

/** A stream's figures and its encoding, from one sorting of its buckets: what its report holds of each histogram. */
export function percentilesAndEncoding(gaps: GapHistogram): { percentiles: Percentiles; encoded: string } {
  const { buckets, counts } = gaps.sortedBuckets();
  return { percentiles: percentilesOfSorted(buckets, counts, gaps.maxValue), encoded: encodeBucketCounts(buckets, counts, SETTINGS, EXACT_BITS) };
}
