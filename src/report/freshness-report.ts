import { MAX_AGE_MS, MIN_AGE_MS } from '../metrics/freshness.js';
import {
  bucketTop,
  GapHistogram,
  HIGHEST_TRACKABLE_MS,
  mergedPercentiles,
  percentiles,
  percentilesAndEncoding,
  type Percentiles,
} from '../metrics/gap-histogram.js';
import { forEachEncodedBucket, mergedEncodedPercentiles } from '../metrics/encoded-histograms.js';
import type { StreamStats } from '../metrics/stream-stats.js';
import { rank, round } from './numbers.js';
import { viewedFps } from './stream-start.js';
import type { FreshnessSummary, StreamFreshness, StreamReport } from './report-types.js';

// Freshness per stream and for the run, made by one set of formulas from the streams' results, so that a merge
// of shards' reports gives what one process would have (histograms added, never percentiles averaged).

/**
 * A delay that grows steadily: a queue that never drains. Over at least 3 s of timestamped frames, the
 * least-squares line rises by 10 ms or more per second, fits the delays well (r² ≥ 0.5: a steady rise, not
 * scattered spikes), and the last frame came 200 ms or more late.
 */
export const GROWING_DELAY = { minSeconds: 3, minMsPerSecond: 10, minR2: 0.5, minFinalDelayMs: 200 } as const;

/**
 * A camera clock that cannot time a queue. It *jumped* when its capture times span an hour or more (the delay
 * histogram's range: a camera that switched units or clocks); it is *stuck* when the delay rose at 1 s per second
 * (within 2%, r² ≥ 0.99, over 3 s or more) while the pictures changed: the capture time stood still, which no queue
 * does (a queue's delay rises by less than the time that passes). Either way its delays are left out, named.
 */
export const UNUSABLE_CLOCK = { stuckMsPerSecond: 1_000, stuckTolerance: 0.02, stuckMinR2: 0.99, stuckMinSeconds: 3 } as const;

type Trend = ReturnType<StreamStats['freshness']['trend']>;

function clockProblem(f: StreamStats['freshness'], trend: Trend): 'jumped' | 'stuck' | null {
  if (f.timestamped === 0) return null;
  if (f.maxAgeMs - f.minAgeMs >= HIGHEST_TRACKABLE_MS) return 'jumped';
  const { stuckMsPerSecond, stuckTolerance, stuckMinR2, stuckMinSeconds } = UNUSABLE_CLOCK;
  const stuck =
    trend !== null &&
    trend.seconds >= stuckMinSeconds &&
    trend.r2 >= stuckMinR2 &&
    Math.abs(trend.msPerSecond - stuckMsPerSecond) <= stuckMsPerSecond * stuckTolerance;
  return stuck ? 'stuck' : null;
}

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
      agesOutOfRange: 0,
      repeatedFrames: 0,
      freshFps: stream.fps,
      frozen: 0,
      longestFreezeMs: 0,
    }
  );
}

/** A stream's delays as a histogram, made once: for its own figures and for the run's. */
export interface FreshnessHistograms {
  delays: GapHistogram;
}

export const freshnessHistograms = (s: StreamStats): FreshnessHistograms => ({ delays: s.freshness.delays() });

/**
 * Raw ages are the delays shifted back by the stream's smallest age (as the report states it, to the ms): the same
 * counts from the histogram in hand or from the report's encoded delays, so a merge adds what one process did.
 * Ages from MIN_AGE_MS to 0 count as 0; the others outside the range are left out (counted per frame elsewhere).
 */
function addAges(forEachDelay: (visit: (bucket: number, count: number) => void) => void, smallestAgeMs: number, into: GapHistogram): void {
  const shift = Math.round(smallestAgeMs);
  forEachDelay((bucket, count) => {
    // A delay of an hour or more was recorded as an hour (a camera clock that jumped): no age can be read from it.
    if (bucketTop(bucket) >= HIGHEST_TRACKABLE_MS) return;
    const age = bucket + shift;
    if (age >= MIN_AGE_MS && age <= MAX_AGE_MS) into.recordInteger(Math.max(0, age), count);
  });
}

/** One stream's freshness, from what its Freshness recorded; its fresh fps is viewed to `endMs`, as its fps. */
export function streamFreshness(s: StreamStats, endMs: number, { delays }: FreshnessHistograms): StreamFreshness {
  const f = s.freshness;
  const clock = clockProblem(f, f.trend());
  // A clock that cannot time a queue gives no delay, age or trend: only the facts of its range, and its name.
  const trend = clock === null ? f.trend() : null;
  const finalDelayMs = f.finalDelayMs;
  const growing =
    trend !== null &&
    finalDelayMs !== null &&
    trend.seconds >= GROWING_DELAY.minSeconds &&
    trend.msPerSecond >= GROWING_DELAY.minMsPerSecond &&
    trend.r2 >= GROWING_DELAY.minR2 &&
    finalDelayMs >= GROWING_DELAY.minFinalDelayMs;
  const timestamped = f.timestamped > 0 && clock === null;
  const ageRangeMs = f.timestamped > 0 ? { min: round(f.minAgeMs, 3), max: round(f.maxAgeMs, 3) } : null;
  const ages = new GapHistogram(0);
  if (ageRangeMs && timestamped) {
    addAges(
      (visit) => {
        delays.forEachBucket(visit);
      },
      ageRangeMs.min,
      ages,
    );
  }
  // A bucket is read by its lowest value: the largest age is known exactly.
  if (ages.totalCount > 0) ages.maxValue = Math.max(0, Math.round(f.maxInRangeAgeMs));
  const described = timestamped ? percentilesAndEncoding(delays) : undefined;
  return {
    timestamp: s.parsed.timestampSource ?? null,
    timestampedFrames: f.timestamped,
    invalidTimestamps: s.parsed.invalidTimestamps,
    delayMs: described?.percentiles ?? NONE,
    delayHistogram: described?.encoded ?? '',
    delayTrendMsPerSecond: trend === null ? null : round(trend.msPerSecond, 2),
    lastDelayMs: clock === null ? finalDelayMs : null,
    clock,
    growingDelay: growing,
    ageRangeMs,
    ageMs: ages.totalCount > 0 ? percentiles(ages) : NONE,
    agesOutOfRange: f.agesOutOfRange,
    repeatedFrames: f.repeated,
    freshFps: viewedFps(s, s.frames - f.repeated, endMs),
    frozen: f.frozen,
    longestFreezeMs: Math.round(f.longestFreezeMs),
    // A clock that cannot time a queue cannot tell a skip either.
    skippedFrames: s.felt.known && clock === null ? s.felt.skipped : null,
  };
}

/** The run's delays: the streams' histograms added; the maximum is the streams' exact one (a histogram keeps its bucket). */
function runDelays(all: readonly StreamFreshness[], held: readonly FreshnessHistograms[] | undefined): Percentiles {
  const measured = all.filter((f) => f.delayMs.count > 0);
  if (measured.length === 0) return NONE;
  // Only the streams with delays: a clock that could not time a queue kept its histogram, but it tells nothing.
  const added = held
    ? mergedPercentiles(held.flatMap((h, i) => ((all[i]?.delayMs.count ?? 0) > 0 ? [h.delays] : [])))
    : mergedEncodedPercentiles(measured.map((f) => f.delayHistogram));
  return { ...added, max: measured.reduce((max, f) => Math.max(max, f.delayMs.max), 0) };
}

/** The run's raw ages: every stream's delays shifted by its smallest age, added; the maximum is the streams' own. */
function runAges(all: readonly StreamFreshness[], held: readonly FreshnessHistograms[] | undefined): Percentiles {
  const ages = new GapHistogram(0);
  let max = 0;
  all.forEach((f, i) => {
    if (f.ageRangeMs === null || f.delayMs.count === 0) return;
    const delays = held?.[i]?.delays;
    const forEachDelay = (visit: (bucket: number, count: number) => void): void => {
      if (delays) delays.forEachBucket(visit);
      else forEachEncodedBucket(f.delayHistogram, visit);
    };
    addAges(forEachDelay, f.ageRangeMs.min, ages);
    if (f.ageMs.count > 0) max = Math.max(max, f.ageMs.max);
  });
  return ages.totalCount === 0 ? NONE : { ...percentiles(ages), max };
}

/** Frames the server skipped, over the streams whose capture times could tell (none: null). */
function skipsOf(all: readonly StreamFreshness[]): Pick<FreshnessSummary, 'skippedFrames' | 'streamsWithSkips' | 'streamsSkipsKnown'> {
  const known = all.flatMap((f) => (f.skippedFrames === undefined || f.skippedFrames === null ? [] : [f.skippedFrames]));
  return {
    skippedFrames: known.length > 0 ? known.reduce((a, b) => a + b, 0) : null,
    streamsWithSkips: known.filter((n) => n > 0).length,
    streamsSkipsKnown: known.length,
  };
}

/**
 * The run's freshness from its streams. `held` are the streams' histograms when at hand (one process, not a merge
 * of files): the same counts as their encoded ones, added without decoding 10,000 of them.
 */
export function summarizeFreshness(streams: readonly StreamReport[], held?: readonly FreshnessHistograms[]): FreshnessSummary {
  const all = streams.map(freshnessOf);
  const sum = (pick: (f: StreamFreshness) => number): number => all.reduce((total, f) => total + pick(f), 0);
  const opened = streams.filter((s) => s.opened);
  const fresh = opened
    .flatMap((s) => {
      const f = freshnessOf(s).freshFps;
      return f === null ? [] : [f];
    })
    .sort((a, b) => a - b);
  const ages = runAges(all, held);
  return {
    timestampedStreams: all.filter((f) => f.timestampedFrames > 0).length,
    timestampedFrames: sum((f) => f.timestampedFrames),
    invalidTimestamps: sum((f) => f.invalidTimestamps),
    delayMs: runDelays(all, held),
    ageMs: ages.count > 0 ? ages : null,
    agesOutOfRange: sum((f) => f.agesOutOfRange),
    streamsWithGrowingDelay: all.filter((f) => f.growingDelay).length,
    streamsWithUnusableClock: all.filter((f) => (f.clock ?? null) !== null).length,
    repeatedFrames: sum((f) => f.repeatedFrames),
    streamsWithRepeats: all.filter((f) => f.repeatedFrames > 0).length,
    avgFreshFpsPerStream: fresh.length > 0 ? round(fresh.reduce((a, b) => a + b, 0) / fresh.length, 3) : 0,
    freshFpsPerStream: { min: fresh[0] ?? 0, p5: rank(fresh, 5), p50: rank(fresh, 50), max: fresh.at(-1) ?? 0 },
    frozenEvents: sum((f) => f.frozen),
    streamsFrozen: all.filter((f) => f.frozen > 0).length,
    ...skipsOf(all),
  };
}
