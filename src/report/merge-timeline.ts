import { addCounts, type Totals } from '../metrics/timeline.js';
import type { ReportTimelineRow } from './report-types.js';

/** What one merged row gathers: the counters a run's totals hold, for the row's interval. */
type Bucket = Omit<Totals, 'at'>;

const emptyBucket = (): Bucket => ({
  frames: 0,
  bytes: 0,
  reconnections: 0,
  errors: 0,
  errorsByCode: {},
  openStreams: 0,
  freshFrames: 0,
  timestampedFrames: 0,
  delaySumMs: 0,
});

const round = (value: number, digits: number): number => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * Shards' timelines on one wall clock: rows of `intervalMs` from `startMs` (the earliest shard's start). Frames
 * and bytes are shared out by how much of each shard row overlaps a merged row (shards start apart, and old rows
 * of long runs are coarsened); reconnections and errors, whole counts, go to the row holding a shard row's
 * middle; open streams add up each shard's latest figure in that row. The last row is as long as the shards ran
 * into it, not a whole interval, so that its rates are not diluted into a drop that never happened.
 */
export function mergeTimelines(timelines: readonly (readonly ReportTimelineRow[])[], startMs: number, intervalMs: number): ReportTimelineRow[] {
  const buckets: Bucket[] = [];
  const bucket = (i: number): Bucket => (buckets[i] ??= emptyBucket());
  let endMs = 0;
  for (const rows of timelines) {
    const open: number[] = [];
    for (const row of rows) {
      // Reports written before rows had codes or freshness lack those fields.
      const loose: Partial<ReportTimelineRow> = row;
      const from = row.at - startMs;
      const to = from + row.seconds * 1000;
      if (to <= from) continue;
      endMs = Math.max(endMs, to);
      for (let i = Math.max(0, Math.floor(from / intervalMs)); i * intervalMs < to; i++) {
        const share = (Math.min(to, (i + 1) * intervalMs) - Math.max(from, i * intervalMs)) / (to - from);
        bucket(i).frames += row.fps * row.seconds * share;
        bucket(i).bytes += row.bytesPerSecond * row.seconds * share;
        // An older row tells no repeats: its frames count as fresh.
        bucket(i).freshFrames += (loose.freshFps ?? row.fps) * row.seconds * share;
      }
      const middle = Math.max(0, Math.floor((from + to) / 2 / intervalMs));
      bucket(middle).reconnections += row.reconnections;
      bucket(middle).errors += row.errors;
      bucket(middle).errorsByCode = addCounts(bucket(middle).errorsByCode, loose.errorsByCode ?? {});
      // Delays are means over whole frames: like counts, they go to the row holding the middle.
      const timestamped = loose.timestampedFrames ?? 0;
      bucket(middle).timestampedFrames += timestamped;
      bucket(middle).delaySumMs += (loose.delayMsMean ?? 0) * timestamped;
      open[middle] = row.openStreams;
    }
    let last = 0;
    for (let i = 0; i < open.length; i++) {
      last = open[i] ?? last;
      bucket(i).openStreams += last;
    }
  }
  // Array.from visits the holes too (rows no shard reached): empty rows.
  return Array.from(buckets, (found: Bucket | undefined, i) => {
    const b = found ?? emptyBucket();
    const seconds = Math.max(0.001, Math.min(intervalMs, endMs - i * intervalMs)) / 1000;
    return {
      t: round((i * intervalMs) / 1000, 3),
      at: startMs + i * intervalMs,
      seconds: round(seconds, 3),
      openStreams: b.openStreams,
      fps: round(b.frames / seconds, 2),
      bytesPerSecond: Math.round(b.bytes / seconds),
      reconnections: b.reconnections,
      errors: b.errors,
      errorsByCode: b.errorsByCode,
      freshFps: round(b.freshFrames / seconds, 2),
      timestampedFrames: b.timestampedFrames,
      delayMsMean: b.timestampedFrames > 0 ? round(b.delaySumMs / b.timestampedFrames, 1) : null,
    };
  });
}
