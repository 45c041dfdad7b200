import * as hdr from 'hdr-histogram-js';

// Packed counts: a few hundred bytes per stream, so thousands of streams stay cheap; 3 significant digits.
const SETTINGS = {
  lowestDiscernibleValue: 1,
  highestTrackableValue: 3_600_000,
  numberOfSignificantValueDigits: 3,
  bitBucketSize: 'packed',
} as const;

export type Histogram = hdr.Histogram;

export function newHistogram(): Histogram {
  return hdr.build(SETTINGS);
}

/** Records a millisecond value, clamped into the trackable range so an outlier never throws. */
export function recordMs(histogram: Histogram, ms: number): void {
  histogram.recordValue(Math.min(SETTINGS.highestTrackableValue, Math.max(1, Math.round(ms))));
}

export interface Percentiles {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function percentiles(histogram: Histogram): Percentiles {
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

/** Compressed base64, as HdrHistogram's other implementations read it: reports can be merged exactly later. */
export function encodeHistogram(histogram: Histogram): string {
  return hdr.encodeIntoCompressedBase64(histogram);
}

export function decodeHistogram(encoded: string): Histogram {
  return hdr.decodeFromCompressedBase64(encoded, SETTINGS.bitBucketSize);
}

export function mergeHistograms(histograms: Iterable<Histogram>): Histogram {
  const total = newHistogram();
  for (const histogram of histograms) total.add(histogram);
  return total;
}
