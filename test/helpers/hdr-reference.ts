import * as hdr from 'hdr-histogram-js';
import type { Percentiles } from '../../src/metrics/gap-histogram.js';

/** The reference for reading encoded histograms: hdr-histogram-js decoding each in full and adding them up. */
export function hdrAdded(encoded: Iterable<string>): hdr.Histogram {
  const total = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000, numberOfSignificantValueDigits: 3, bitBucketSize: 64 });
  for (const text of encoded) total.add(hdr.decodeFromCompressedBase64(text, 64));
  return total;
}

/** An HdrHistogram's own percentiles, as the report states them: the reference for the bucket tables'. */
export function hdrPercentiles(histogram: hdr.Histogram): Percentiles {
  const count = histogram.totalCount;
  if (count === 0) return { count, p50: 0, p95: 0, p99: 0, max: 0 };
  return {
    count,
    p50: histogram.getValueAtPercentile(50),
    p95: histogram.getValueAtPercentile(95),
    p99: histogram.getValueAtPercentile(99),
    max: histogram.maxValue,
  };
}
