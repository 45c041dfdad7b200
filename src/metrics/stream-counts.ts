import type { StreamStats } from './stream-stats.js';

// The streams' counters summed, in one vocabulary: the timeline's rows (metrics/timeline.ts, through the runner's
// totals) and the live Prometheus endpoint (prometheus/tally.ts) read these same sums. The report sums the streams'
// reports in report/summarize.ts, where `errorsByCode` is the summary's `errors` and the endpoint's
// camera_load_connection_ends_total.

export interface StreamCounts {
  frames: number;
  bytes: number;
  reconnections: number;
  stalls: number;
  corruptFrames: number;
  /** Connections that ended, by code (HTTP_503, STALL, ECONNRESET, ENDED, …). */
  errorsByCode: Record<string, number>;
  /** A gauge: the streams with a response open now. */
  openStreams: number;
  /** Frames byte-identical to their stream's previous one. */
  repeatedFrames: number;
  /** FROZEN events. */
  frozen: number;
  /** Frames whose capture time was read, and the sum of their queueing delays (ms, each from its stream's smallest age so far). */
  timestampedFrames: number;
  delaySumMs: number;
  /** A gauge: the largest of the streams' latest delays (ms); NaN while no stream has a timestamped frame. */
  delayMaxMs: number;
}

export function emptyCounts(): StreamCounts {
  return {
    frames: 0,
    bytes: 0,
    reconnections: 0,
    stalls: 0,
    corruptFrames: 0,
    errorsByCode: {},
    openStreams: 0,
    repeatedFrames: 0,
    frozen: 0,
    timestampedFrames: 0,
    delaySumMs: 0,
    delayMaxMs: Number.NaN,
  };
}

function addInto(into: Record<string, number>, from: Readonly<Record<string, number>>): void {
  for (const code in from) into[code] = (into[code] ?? 0) + (from[code] ?? 0);
}

/** NaN stands for "none yet" (a stream without a timestamped frame): it never wins over a number. */
function largest(a: number, b: number): number {
  if (Number.isNaN(b)) return a;
  return Number.isNaN(a) || b > a ? b : a;
}

/** Adds one stream's counters, as they are now, into `into`. */
export function countStream(into: StreamCounts, s: StreamStats): void {
  into.frames += s.frames;
  into.bytes += s.bytes;
  into.reconnections += s.reconnections;
  into.stalls += s.stalls;
  into.corruptFrames += s.parsed.counters.corruptFrames;
  addInto(into.errorsByCode, s.errors);
  if (s.connected) into.openStreams++;
  const f = s.freshness;
  into.repeatedFrames += f.repeated;
  into.frozen += f.frozen;
  into.timestampedFrames += f.timestamped;
  into.delaySumMs += f.delaySumMs;
  into.delayMaxMs = largest(into.delayMaxMs, f.lastDelayMs);
}

/** `earlier` (finished runs) plus `now` (the running one): counters add, gauges are `now`'s. */
export function addStreamCounts(earlier: StreamCounts, now: StreamCounts): StreamCounts {
  const errorsByCode = { ...earlier.errorsByCode };
  addInto(errorsByCode, now.errorsByCode);
  return {
    frames: earlier.frames + now.frames,
    bytes: earlier.bytes + now.bytes,
    reconnections: earlier.reconnections + now.reconnections,
    stalls: earlier.stalls + now.stalls,
    corruptFrames: earlier.corruptFrames + now.corruptFrames,
    errorsByCode,
    repeatedFrames: earlier.repeatedFrames + now.repeatedFrames,
    frozen: earlier.frozen + now.frozen,
    timestampedFrames: earlier.timestampedFrames + now.timestampedFrames,
    delaySumMs: earlier.delaySumMs + now.delaySumMs,
    openStreams: now.openStreams,
    delayMaxMs: now.delayMaxMs,
  };
}
