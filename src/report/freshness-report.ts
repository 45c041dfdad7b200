import { encodeHistogram, mergedPercentiles, mergeEncodedHistograms, percentiles, type GapHistogram, type Percentiles } from '../metrics/gap-histogram.js';
import type { StreamStats } from '../metrics/stream-stats.js';
import { rank, round } from './numbers.js';
import type { FreshnessSummary, StreamFreshness, StreamReport } from './report-types.js';

// Freshness per stream and for the run, made by one set of formulas from the streams' results, so that a merge
// of shards' reports gives what one process would have (histograms added, never percentiles averaged).

/**
 * A delay that grows steadily: a queue that never drains. Over at least 3 s of timestamped frames, the
 * least-squares line rises by 10 ms or more per second, fits the delays well (r² ≥ 0.5: a steady rise, not
 * scattered spikes), and the last frame came 200 ms or more late.
 */
export const GROWING_DELAY = { minSeconds: 3, minMsPerSecond: 10, minR2: 0.5, minFinalDelayMs: 200 } as const;

const NONE: Percentiles = { count: 0, p50: 0, p95: 0, p99: 0, max: 0 };

/** What a stream reported before reports had freshness: nothing measured, no repeats known. */
function freshnessOf(stream: StreamReport): StreamFreshness {
  const loose: Partial<StreamReport> = stream;
  return (
    loose.freshness ?? {
      timestamp: null,
      timestampedFrames: 0,
      invalidTimestamps: 0,
      delayMs: NONE,
      delayHistogram: '',
      delayTrendMsPerSecond: null,
      lastDelayMs: null,
      growingDelay: false,
      ageRangeMs: null,
      ageMs: NONE,
      ageHistogram: '',
      agesOutOfRange: 0,
      repeatedFrames: 0,
      freshFps: stream.fps,
      frozen: 0,
      longestFreezeMs: 0,
    }
  );
}

/** A stream's delays and raw ages as histograms, made once: for its own figures and for the run's. */
export interface FreshnessHistograms {
  delays: GapHistogram;
  ages: GapHistogram;
}

export const freshnessHistograms = (s: StreamStats): FreshnessHistograms => ({ delays: s.freshness.delays(), ages: s.freshness.rawAges() });

/** One stream's freshness, from what its Freshness recorded; `spanSeconds` is what its fps divides by. */
export function streamFreshness(s: StreamStats, spanSeconds: number, { delays, ages }: FreshnessHistograms): StreamFreshness {
  const f = s.freshness;
  const trend = f.trend();
  const finalDelayMs = f.finalDelayMs;
  const growing =
    trend !== null &&
    finalDelayMs !== null &&
    trend.seconds >= GROWING_DELAY.minSeconds &&
    trend.msPerSecond >= GROWING_DELAY.minMsPerSecond &&
    trend.r2 >= GROWING_DELAY.minR2 &&
    finalDelayMs >= GROWING_DELAY.minFinalDelayMs;
  const timestamped = f.timestamped > 0;
  return {
    timestamp: s.timestampSource ?? null,
    timestampedFrames: f.timestamped,
    invalidTimestamps: s.invalidTimestamps,
    delayMs: timestamped ? percentiles(delays) : NONE,
    delayHistogram: timestamped ? encodeHistogram(delays) : '',
    delayTrendMsPerSecond: trend === null ? null : round(trend.msPerSecond, 2),
    lastDelayMs: finalDelayMs,
    growingDelay: growing,
    ageRangeMs: timestamped ? { min: round(f.minAgeMs, 3), max: round(f.maxAgeMs, 3) } : null,
    ageMs: ages.totalCount > 0 ? percentiles(ages) : NONE,
    ageHistogram: ages.totalCount > 0 ? encodeHistogram(ages) : '',
    agesOutOfRange: f.agesOutOfRange,
    repeatedFrames: f.repeated,
    freshFps: spanSeconds > 0 ? round((s.frames - f.repeated) / spanSeconds, 3) : 0,
    frozen: f.frozen,
    longestFreezeMs: Math.round(f.longestFreezeMs),
  };
}

/** Percentiles of histograms added up; the maximum is the streams' exact one (a histogram keeps its bucket). */
function merged(streams: readonly StreamReport[], pick: (f: StreamFreshness) => { histogram: string; percentiles: Percentiles }, held?: readonly GapHistogram[]): Percentiles {
  const parts = streams.map((s) => pick(freshnessOf(s))).filter((part) => part.percentiles.count > 0);
  if (parts.length === 0) return NONE;
  const added = held ? mergedPercentiles(held) : percentiles(mergeEncodedHistograms(parts.map((part) => part.histogram)));
  return { ...added, max: parts.reduce((max, part) => Math.max(max, part.percentiles.max), 0) };
}

/**
 * The run's freshness from its streams. `held` are the streams' histograms when at hand (one process, not a merge
 * of files): the same counts as their encoded ones, added without decoding 10,000 of them.
 */
export function summarizeFreshness(streams: readonly StreamReport[], held?: readonly FreshnessHistograms[]): FreshnessSummary {
  const all = streams.map(freshnessOf);
  const sum = (pick: (f: StreamFreshness) => number): number => all.reduce((total, f) => total + pick(f), 0);
  const opened = streams.filter((s) => s.opened);
  const fresh = opened.map((s) => freshnessOf(s).freshFps).sort((a, b) => a - b);
  const ages = merged(
    streams,
    (f) => ({ histogram: f.ageHistogram, percentiles: f.ageMs }),
    held?.map((h) => h.ages),
  );
  return {
    timestampedStreams: all.filter((f) => f.timestampedFrames > 0).length,
    timestampedFrames: sum((f) => f.timestampedFrames),
    invalidTimestamps: sum((f) => f.invalidTimestamps),
    delayMs: merged(
      streams,
      (f) => ({ histogram: f.delayHistogram, percentiles: f.delayMs }),
      held?.map((h) => h.delays),
    ),
    ageMs: ages.count > 0 ? ages : null,
    agesOutOfRange: sum((f) => f.agesOutOfRange),
    streamsWithGrowingDelay: all.filter((f) => f.growingDelay).length,
    repeatedFrames: sum((f) => f.repeatedFrames),
    streamsWithRepeats: all.filter((f) => f.repeatedFrames > 0).length,
    avgFreshFpsPerStream: fresh.length > 0 ? round(fresh.reduce((a, b) => a + b, 0) / fresh.length, 3) : 0,
    freshFpsPerStream: { min: fresh[0] ?? 0, p5: rank(fresh, 5), p50: rank(fresh, 50), max: fresh.at(-1) ?? 0 },
    frozenEvents: sum((f) => f.frozen),
    streamsFrozen: all.filter((f) => f.frozen > 0).length,
  };
}
