import { bucketTop, GapHistogram } from './gap-histogram.js';

/** The longest raw age kept in the age histogram: beyond it the two clocks are not comparable. */
export const MAX_AGE_MS = 3_600_000;
/**
 * Ages down to this count as 0: a camera clock a little ahead of this one (NTP keeps clocks within a few ms, a
 * camera on the same machine within microseconds). Below it the clocks are not comparable.
 */
export const MIN_AGE_MS = -1_000;

export interface FreshnessOptions {
  /** A picture unchanged for longer than this, while frames keep coming, is a FROZEN event. */
  freezeTimeoutMs: number;
}

/** A frame whose bytes were not fingerprinted: never taken for a repeat. */
export const NO_FINGERPRINT = -1;

/** The CLI's default (--freeze-timeout, options/defaults.ts), for plans that set none. */
export const DEFAULT_FRESHNESS: FreshnessOptions = { freezeTimeoutMs: 2_000 };

/**
 * How fresh one stream's pictures are, on the per-frame path (no allocation): repeated pictures from the
 * parser's fingerprint, and the age of each frame from the capture time its part header carried.
 *
 * Ages are kept relative to the stream's first timestamped frame, in two bucket tables (at or above it, below
 * it), because the smallest age (what the queueing delay is measured from) is only known at the end; the delay
 * histogram is then the relative ages shifted by their minimum (delays()). Shifted, a bucket keeps its width: exact
 * to the millisecond while ages stay within 2 s of the first frame's, within 1/1024 of that distance beyond.
 */
export class Freshness {
  repeated = 0;
  frozen = 0;
  longestFreezeMs = 0;
  /** New pictures whose capture time was read (a repeat's age is its freeze's, counted there). */
  timestamped = 0;
  /** Raw ages (ms) in MIN_AGE_MS..MAX_AGE_MS, the negative ones as 0; the others are counted in agesOutOfRange. */
  readonly ages = new GapHistogram(0);
  agesOutOfRange = 0;
  minAgeMs = Number.POSITIVE_INFINITY;
  maxAgeMs = Number.NEGATIVE_INFINITY;
  /** Live: the delay of each frame from the smallest age seen so far, summed, and the latest one (NaN: none). */
  delaySumMs = 0;
  lastDelayMs = Number.NaN;

  private lastLength = -1;
  private lastFingerprint = 0;
  /** When the picture last changed (run clock, ms); -1 before the first frame. */
  private changedAt = -1;
  private frozenNow = false;
  private firstAgeMs = Number.NaN;
  private firstAt = 0;
  private readonly above = new GapHistogram(0);
  private readonly below = new GapHistogram(0);
  // Least squares of the relative age (ms) against time (s since the first timestamped frame).
  private sumT = 0;
  private sumD = 0;
  private sumTT = 0;
  private sumTD = 0;
  private sumDD = 0;
  private lastRelative = 0;
  private lastAt = 0;

  constructor(private readonly options: FreshnessOptions = DEFAULT_FRESHNESS) {}

  get frozenAfterMs(): number {
    return this.options.freezeTimeoutMs;
  }

  /**
   * A new connection: its first frame is a new picture, whatever the last one before the drop was (the downtime
   * is not a freeze: no frames kept coming). The smallest age stays: it is the same camera clock.
   */
  connectionStarted(): void {
    this.lastLength = -1;
    this.changedAt = -1;
    this.frozenNow = false;
  }

  /**
   * One frame: its size and fingerprint (the parser's hash of its last bytes), when it arrived (run clock, ms)
   * and its raw age in ms (receive time − capture time; NaN when its part carried no capture time). Returns
   * true when the picture has just been frozen for longer than the timeout: the caller records a FROZEN event.
   * Only new pictures are aged: a repeat carries its picture's old capture time, and that staleness is the
   * freeze's (counted as repeats and FROZEN), not a queue's.
   */
  frame(sizeBytes: number, fingerprint: number, at: number, ageMs: number): boolean {
    const same = fingerprint !== NO_FINGERPRINT && sizeBytes === this.lastLength && fingerprint === this.lastFingerprint;
    this.lastLength = sizeBytes;
    this.lastFingerprint = fingerprint;
    if (same) return this.repeat(at);
    this.changedAt = at;
    this.frozenNow = false;
    if (ageMs === ageMs) this.age(at, ageMs);
    return false;
  }

  private repeat(at: number): boolean {
    this.repeated++;
    const frozenFor = at - this.changedAt;
    if (frozenFor > this.longestFreezeMs) this.longestFreezeMs = frozenFor;
    if (this.frozenNow || frozenFor <= this.options.freezeTimeoutMs) return false;
    this.frozenNow = true;
    this.frozen++;
    return true;
  }

  private age(at: number, ageMs: number): void {
    this.timestamped++;
    if (ageMs < this.minAgeMs) this.minAgeMs = ageMs;
    if (ageMs > this.maxAgeMs) this.maxAgeMs = ageMs;
    if (ageMs >= MIN_AGE_MS && ageMs <= MAX_AGE_MS) this.ages.record(Math.max(0, ageMs));
    else this.agesOutOfRange++;
    if (this.timestamped === 1) {
      this.firstAgeMs = ageMs;
      this.firstAt = at;
    }
    const relative = Math.round(ageMs - this.firstAgeMs);
    if (relative >= 0) this.above.record(relative);
    else this.below.record(-relative);
    this.lastRelative = relative;
    this.lastAt = at;
    const t = (at - this.firstAt) / 1000;
    this.sumT += t;
    this.sumD += relative;
    this.sumTT += t * t;
    this.sumTD += t * relative;
    this.sumDD += relative * relative;
    const delay = ageMs - this.minAgeMs;
    this.delaySumMs += delay;
    this.lastDelayMs = delay;
  }

  /** The smallest relative age: the first frame's (0), or the deepest below it. */
  private get lowestRelative(): number {
    return this.below.totalCount > 0 ? -this.below.maxValue : 0;
  }

  /** Each timestamped frame's age less the stream's smallest age, as a histogram (ms). */
  delays(): GapHistogram {
    const shift = -this.lowestRelative;
    const delays = new GapHistogram(0);
    this.above.forEachBucket((bucket, count) => {
      delays.recordInteger(bucket + shift, count);
    });
    // A bucket below holds values up to its top, the deepest of them being the minimum itself (delay 0).
    this.below.forEachBucket((bucket, count) => {
      delays.recordInteger(shift - Math.min(shift, bucketTop(bucket)), count);
    });
    // Above 2,048 ms a bucket is recorded by its lowest value: the maximum itself is known exactly.
    delays.maxValue = this.above.maxValue + shift;
    return delays;
  }

  /** The last timestamped frame's delay from the stream's smallest age; null without one. */
  get finalDelayMs(): number | null {
    return this.timestamped === 0 ? null : this.lastRelative - this.lowestRelative;
  }

  /** Least-squares trend of the delay, ms per second, how well a line fits it (r², 0-1), and over how many seconds. */
  trend(): { msPerSecond: number; r2: number; seconds: number } | null {
    const n = this.timestamped;
    if (n < 2) return null;
    const varT = n * this.sumTT - this.sumT * this.sumT;
    const varD = n * this.sumDD - this.sumD * this.sumD;
    if (varT <= 0) return null;
    const cov = n * this.sumTD - this.sumT * this.sumD;
    const r2 = varD <= 0 ? 0 : (cov * cov) / (varT * varD);
    return { msPerSecond: cov / varT, r2: Math.min(1, r2), seconds: (this.lastAt - this.firstAt) / 1000 };
  }
}
