// A report made worse on purpose by a known amount, one figure at a time, for the power of `compare`: every stream
// moved alike (a uniform degradation), so the smallest amount that reads worse is what the method can tell apart.
import { forEachEncodedBucket } from '../src/metrics/encoded-histograms.js';
import { encodeHistogram, GapHistogram, HIGHEST_TRACKABLE_MS } from '../src/metrics/gap-histogram.js';
import type { Report, StreamReport } from '../src/report/report-types.js';

export interface Degradation {
  figure: string;
  /** How the amount is applied, in words for the table. */
  how: string;
  /** The amount's unit in the table: a share of the value, milliseconds added, or a share of streams. */
  unit: 'share' | 'ms' | 'streams';
  /** The largest amount tried: beyond it, the figure is called undetectable by this method. */
  most: number;
  apply: (s: StreamReport, amount: number, index: number) => StreamReport;
}

/** Every bucket's value moved by `move` (a bucket stands for its lowest value), re-encoded as the report encodes it. */
function movedHistogram(encoded: string, lowest: 0 | 1, move: (value: number) => number): string {
  if (encoded === '') return encoded;
  const moved = new GapHistogram(lowest);
  forEachEncodedBucket(encoded, (bucket, count) => {
    moved.recordInteger(Math.min(HIGHEST_TRACKABLE_MS, Math.max(lowest, Math.round(move(bucket)))), count);
  });
  return encodeHistogram(moved);
}

const slower =
  (factor: number): ((value: number) => number) =>
  (value) =>
    value * factor;

/** One more event on `amount` of the streams, spread evenly over them. */
const onShare = (index: number, amount: number): number => (Math.floor((index + 1) * amount) > Math.floor(index * amount) ? 1 : 0);

export const DEGRADATIONS: readonly Degradation[] = [
  {
    figure: 'fps',
    how: 'fps × (1 − δ)',
    unit: 'share',
    most: 0.9,
    apply: (s, d) => ({ ...s, fps: s.fps === null ? null : s.fps * (1 - d), frames: s.frames * (1 - d) }),
  },
  {
    figure: 'freshFps',
    how: 'fresh fps × (1 − δ)',
    unit: 'share',
    most: 0.9,
    apply: (s, d) => ({ ...s, freshness: { ...s.freshness, freshFps: s.freshness.freshFps === null ? null : s.freshness.freshFps * (1 - d) } }),
  },
  {
    figure: 'timeToFirstFrame',
    // Added rather than scaled: its noise is a wait for a core, the same few hundred ms whatever the time.
    how: 'every time + δ ms',
    unit: 'ms',
    most: 10_000,
    apply: (s, d) => ({ ...s, timeToFirstFrameMs: s.timeToFirstFrameMs === null ? null : s.timeToFirstFrameMs + d }),
  },
  {
    figure: 'frameGap.p50',
    how: 'every gap × (1 + δ)',
    unit: 'share',
    most: 5,
    apply: (s, d) => ({ ...s, frameGapHistogram: movedHistogram(s.frameGapHistogram, 1, slower(1 + d)) }),
  },
  {
    figure: 'frameGap.p99',
    how: 'every gap × (1 + δ)',
    unit: 'share',
    most: 5,
    apply: (s, d) => ({ ...s, frameGapHistogram: movedHistogram(s.frameGapHistogram, 1, slower(1 + d)) }),
  },
  {
    figure: 'delay.p50',
    how: 'every delay + δ ms',
    unit: 'ms',
    most: 5000,
    apply: (s, d) => ({ ...s, freshness: { ...s.freshness, delayHistogram: movedHistogram(s.freshness.delayHistogram, 0, (v) => v + d) } }),
  },
  {
    figure: 'delay.p99',
    how: 'every delay + δ ms',
    unit: 'ms',
    most: 5000,
    apply: (s, d) => ({ ...s, freshness: { ...s.freshness, delayHistogram: movedHistogram(s.freshness.delayHistogram, 0, (v) => v + d) } }),
  },
  {
    figure: 'reconnections',
    how: 'one more on a share δ of the streams',
    unit: 'streams',
    most: 1,
    apply: (s, d, i) => ({ ...s, reconnections: s.reconnections + onShare(i, d) }),
  },
  { figure: 'stalls', how: 'one more on a share δ of the streams', unit: 'streams', most: 1, apply: (s, d, i) => ({ ...s, stalls: s.stalls + onShare(i, d) }) },
  { figure: 'bandwidth', how: 'bytes × (1 − δ)', unit: 'share', most: 0.9, apply: (s, d) => ({ ...s, bytes: s.bytes * (1 - d) }) },
];

/** The report with every stream degraded by `amount`. */
export function degraded(report: Report, degradation: Degradation, amount: number): Report {
  return { ...report, streams: report.streams.map((s, i) => degradation.apply(s, amount, i)) };
}
