import * as hdr from 'hdr-histogram-js';
import { forEachEncodedBucket } from '../metrics/gap-histogram.js';

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
