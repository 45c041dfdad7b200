import * as hdr from 'hdr-histogram-js';
import {
  bucketOf,
  bucketTop,
  EXACT_BITS,
  GapHistogram,
  HIGHEST_TRACKABLE_MS,
  percentilesAndEncoding,
  percentilesOfMap,
  SETTINGS,
  type Percentiles,
} from './gap-histogram.js';
import { readBucketCounts } from './hdr-encoding.js';

// Histograms as reports hold them, encoded (HdrHistogram's compressed base64), read back and added: what merge, the
// stage and storm tables and the HTML page's curves build from many processes' or streams' figures.

/**
 * The percentiles of encoded per-stream histograms (report files) added together: the same figures as the
 * streams' own tables give (mergedPercentiles), read bucket by bucket from the encodings: decoding each into
 * hdr-histogram-js's counts array and adding those was 85% of merging 100,000 streams. Counts add up as
 * doubles, exact to 2^53. The maximum is the top of the highest bucket: callers take the exact one from the
 * streams' own percentiles.
 */
export function mergedEncodedPercentiles(all: Iterable<string>): Percentiles {
  const countByBucket = new Map<number, number>();
  let highest = 0;
  const add = (bucket: number, count: number): void => {
    countByBucket.set(bucket, (countByBucket.get(bucket) ?? 0) + count);
    if (bucket > highest) highest = bucket;
  };
  for (const encoded of all) forEachEncodedBucket(encoded, add);
  return percentilesOfMap(countByBucket, bucketTop(highest));
}

/**
 * Calls `visit` with every bucket (its lowest value) and its count of an encoded histogram: the same pairs as the
 * GapHistogram it was encoded from gives with forEachBucket. One of other settings (another tool's) is decoded by
 * hdr-histogram-js and read bucket by bucket as this report's settings see them.
 */
export function forEachEncodedBucket(encoded: string, visit: (bucket: number, count: number) => void): void {
  if (readBucketCounts(encoded, SETTINGS, EXACT_BITS, visit)) return;
  const histogram = hdr.decodeFromCompressedBase64(encoded, 64) as hdr.Histogram & {
    recordedValuesIterator: RecordedValues;
    lowestEquivalentValue: (value: number) => number;
  };
  const values = histogram.recordedValuesIterator;
  values.reset();
  while (values.hasNext()) {
    const value = values.next();
    visit(
      bucketOf(Math.min(HIGHEST_TRACKABLE_MS, Math.max(0, Math.round(histogram.lowestEquivalentValue(value.valueIteratedTo))))),
      value.countAtValueIteratedTo,
    );
  }
}

/** hdr-histogram-js's iterator over recorded values, which its Histogram interface does not name. */
interface RecordedValues {
  reset(): void;
  hasNext(): boolean;
  next(): { valueIteratedTo: number; countAtValueIteratedTo: number };
}

/**
 * Every encoded histogram added into one, for the percentile curve, read bucket by bucket (forEachEncodedBucket:
 * decoding 10,000 streams' histograms into full counts arrays was most of the page's render time). One that
 * cannot be read (a report edited by hand) is left out rather than costing the whole page: `unreadable` counts them.
 */
export function addGapHistograms(encoded: Iterable<string>): { total: hdr.Histogram; unreadable: number } {
  const total = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000, numberOfSignificantValueDigits: 3, bitBucketSize: 64 });
  const add = (bucket: number, count: number): void => {
    total.recordValueWithCount(bucket, count);
  };
  let unreadable = 0;
  for (const text of encoded) {
    try {
      forEachEncodedBucket(text, add);
    } catch {
      unreadable++;
    }
  }
  return { total, unreadable };
}

const NO_PERCENTILES: Percentiles = { count: 0, p50: 0, p95: 0, p99: 0, max: 0 };

/**
 * Encoded histograms added (several processes' figures of one window: a merge's shards, or one run's own), with
 * their percentiles and encoding; one that cannot be read (an edited report) is left out, the others are added.
 */
export function addEncodedHistograms(encoded: readonly string[], lowest: 0 | 1): { percentiles: Percentiles; encoded: string } {
  const total = addedHistogram(encoded, lowest);
  return total.totalCount === 0 ? { percentiles: NO_PERCENTILES, encoded: '' } : percentilesAndEncoding(total);
}

/** Encoded histograms added into one table, as addEncodedHistograms reads them. */
export function addedHistogram(encoded: readonly string[], lowest: 0 | 1): GapHistogram {
  const total = new GapHistogram(lowest);
  for (const text of encoded) {
    if (text === '') continue;
    try {
      forEachEncodedBucket(text, (bucket, count) => {
        total.recordInteger(bucket, count);
      });
    } catch {
      // Left out, as addEncodedHistograms says.
    }
  }
  return total;
}
