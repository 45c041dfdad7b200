import { bucketTop, GapHistogram, HIGHEST_TRACKABLE_MS } from './gap-histogram.js';

/** The longest raw age kept in the age histogram: beyond it the two clocks are not comparable. */
export const MAX_AGE_MS = HIGHEST_TRACKABLE_MS;
/**
 * Ages down to this count as 0: a camera clock a little ahead of this one (NTP keeps clocks within a few ms, a
 * camera on the same machine within microseconds). Below it the clocks are not comparable.
 */
export const MIN_AGE_MS = -1_000;

export interface FreshnessOptions {
  /** A picture unchanged for longer than this, while frames keep coming, is a FROZEN event. */
  freezeTimeoutMs: number;
}

/** The CLI's default (--freeze-timeout, options/defaults.ts), for plans that set none. */
export const DEFAULT_FRESHNESS: FreshnessOptions = { freezeTimeoutMs: 2_000 };

/** A stream's freeze figures, made at its first repeat. */
class Freeze {
  /** When the picture whose freeze was last counted FROZEN had changed: that freeze is counted once. */
  frozenChange = Number.NaN;
  longestMs = 0;
}

// Slots of Freshness's age figures.
const FIRST_AGE = 0;
const FIRST_AT = 1;
const MIN_AGE = 2;
const MAX_AGE = 3;
/** The largest raw age up to MAX_AGE_MS: the age histogram's exact maximum. */
const MAX_IN_RANGE_AGE = 4;
/** Live: the delay of each frame from the smallest age seen so far, summed, and the latest one (NaN: none). */
const DELAY_SUM = 5;
const LAST_DELAY = 6;
const LAST_RELATIVE = 7;
const LAST_AT = 8;
// Least squares of the relative age (ms) against time (s since the first timestamped frame).
const SUM_T = 9;
const SUM_D = 10;
const SUM_TT = 11;
const SUM_TD = 12;
const SUM_DD = 13;
const FIGURES = 14;

/** An array of doubles (V8 keeps them unboxed in its elements), not a typed array: its view and ArrayBuffer were 184 bytes more. */
function newFigures(): number[] {
  const n = Array.from({ length: FIGURES }, () => 0);
  n[FIRST_AGE] = Number.NaN;
  n[MIN_AGE] = Number.POSITIVE_INFINITY;
  n[MAX_AGE] = Number.NEGATIVE_INFINITY;
  n[MAX_IN_RANGE_AGE] = Number.NEGATIVE_INFINITY;
  n[LAST_DELAY] = Number.NaN;
  return n;
}

/**
 * The figures of a stream with no repeat and no timestamped frame yet: read by every such stream, never written
 * (a stream writes its own, made at its first). Most cameras send no capture time, and at 10,000 streams a
 * stream's own figures and age tables were about 0.9 KB of memory each that nothing wrote.
 */
const UNTOUCHED: readonly number[] = newFigures();
const UNFROZEN: Readonly<Freeze> = new Freeze();

/**
 * How fresh one stream's pictures are, on the per-frame path (no allocation): the repeats the parser tells (and the
 * freezes they make), and the age of each new picture from the capture time its part header carried.
 *
 * Ages are kept relative to the stream's first timestamped frame, in two bucket tables (at or above it, below
 * it), because the smallest age (what the queueing delay is measured from) is only known at the end; the delay
 * histogram is then the relative ages shifted by their minimum (delays()); the report reads the raw ages back from it,
 * shifted by the smallest age. Shifted, a bucket keeps its width: exact to the millisecond while ages stay within
 * 2 s of the first frame's, within 1/1024 of that distance beyond.
 */
export class Freshness {
  repeated = 0;
  frozen = 0;
  /** New pictures whose capture time was read (a repeat's age is its freeze's, counted there). */
  timestamped = 0;
  /** Raw ages outside MIN_AGE_MS..MAX_AGE_MS: the clocks are not comparable. */
  agesOutOfRange = 0;
  /** Relative ages at or above the first timestamped frame's, and below it; made at the first. */
  private above: GapHistogram | undefined;
  private below: GapHistogram | undefined;
  /**
   * Every fractional figure the age path updates, in one array of doubles (slots: the constants above): as object
   * fields, each double is a heap number of its own, a cache line more to miss when 2,000 streams take turns. Made
   * at the first timestamped frame; read as UNTOUCHED until then. The freeze's two, touched only while a picture
   * repeats, are an object's made at the first repeat: a camera that repeats its picture and sends no capture time
   * held the whole table, 0.3 KB a stream.
   */
  #freeze: Freeze | undefined;
  #n: number[] | undefined;

  constructor(private readonly options: FreshnessOptions = DEFAULT_FRESHNESS) {}

  /** The figures to read. */
  private get n(): readonly number[] {
    return this.#n ?? UNTOUCHED;
  }

  /** The figures to write: the stream's own. */
  private figures(): number[] {
    return (this.#n ??= newFigures());
  }

  get frozenAfterMs(): number {
    return this.options.freezeTimeoutMs;
  }

  /** The longest time the picture stayed the same while frames kept coming (ms). */
  get longestFreezeMs(): number {
    return (this.#freeze ?? UNFROZEN).longestMs;
  }

  /** The smallest and largest raw age (ms), exact; ±Infinity before a timestamped frame. */
  get minAgeMs(): number {
    return this.n[MIN_AGE] ?? Number.NaN;
  }

  get maxAgeMs(): number {
    return this.n[MAX_AGE] ?? Number.NaN;
  }

  /** Live: each timestamped frame's delay from the smallest age seen so far, summed; and the latest (NaN: none). */
  get delaySumMs(): number {
    return this.n[DELAY_SUM] ?? 0;
  }

  /** The largest raw age up to MAX_AGE_MS (ms): the age histogram's exact maximum. */
  get maxInRangeAgeMs(): number {
    return this.n[MAX_IN_RANGE_AGE] ?? Number.NaN;
  }

  get lastDelayMs(): number {
    return this.n[LAST_DELAY] ?? Number.NaN;
  }

  /**
   * A frame that repeats the picture before it (the parser tells), which changed at `changedAt` (run clock, ms).
   * Returns true when the picture has just stood still for longer than the timeout: the caller records a FROZEN
   * event, once per freeze. New pictures never come here: this state is touched only while a picture repeats.
   */
  repeat(at: number, changedAt: number): boolean {
    const freeze = (this.#freeze ??= new Freeze());
    this.repeated++;
    const frozenFor = at - changedAt;
    if (frozenFor > freeze.longestMs) freeze.longestMs = frozenFor;
    if (frozenFor <= this.options.freezeTimeoutMs || freeze.frozenChange === changedAt) return false;
    freeze.frozenChange = changedAt;
    this.frozen++;
    return true;
  }

  /**
   * A new picture's raw age in ms (receive time − capture time), when its part carried a capture time. Only new
   * pictures are aged: a repeat carries its picture's old capture time, and that staleness is the freeze's
   * (counted as repeats and FROZEN), not a queue's.
   */
  age(at: number, ageMs: number): void {
    const n = this.figures();
    this.timestamped++;
    if (this.timestamped === 1) {
      n[FIRST_AGE] = ageMs;
      n[FIRST_AT] = at;
    }
    const minAge = Math.min(n[MIN_AGE] ?? ageMs, ageMs);
    n[MIN_AGE] = minAge;
    if (ageMs > (n[MAX_AGE] ?? ageMs)) n[MAX_AGE] = ageMs;
    if (ageMs < MIN_AGE_MS || ageMs > MAX_AGE_MS) this.agesOutOfRange++;
    else if (ageMs > (n[MAX_IN_RANGE_AGE] ?? ageMs)) n[MAX_IN_RANGE_AGE] = ageMs;
    const relative = Math.round(ageMs - (n[FIRST_AGE] ?? ageMs));
    if (relative >= 0) (this.above ??= new GapHistogram(0)).record(relative);
    else (this.below ??= new GapHistogram(0)).record(-relative);
    n[LAST_RELATIVE] = relative;
    n[LAST_AT] = at;
    const t = (at - (n[FIRST_AT] ?? at)) / 1000;
    n[SUM_T] = (n[SUM_T] ?? 0) + t;
    n[SUM_D] = (n[SUM_D] ?? 0) + relative;
    n[SUM_TT] = (n[SUM_TT] ?? 0) + t * t;
    n[SUM_TD] = (n[SUM_TD] ?? 0) + t * relative;
    n[SUM_DD] = (n[SUM_DD] ?? 0) + relative * relative;
    const delay = ageMs - minAge;
    n[DELAY_SUM] = (n[DELAY_SUM] ?? 0) + delay;
    n[LAST_DELAY] = delay;
  }

  /** The smallest relative age: the first frame's (0), or the deepest below it. */
  private get lowestRelative(): number {
    return this.below === undefined ? 0 : -this.below.maxValue;
  }

  /** Each timestamped frame's age less the stream's smallest age, as a histogram (ms). */
  delays(): GapHistogram {
    const shift = -this.lowestRelative;
    const delays = new GapHistogram(0);
    this.above?.forEachBucket((bucket, count) => {
      delays.recordInteger(bucket + shift, count);
    });
    // A bucket below holds values up to its top, the deepest of them being the minimum itself (delay 0).
    this.below?.forEachBucket((bucket, count) => {
      delays.recordInteger(shift - Math.min(shift, bucketTop(bucket)), count);
    });
    // Above 2,048 ms a bucket is recorded by its lowest value: the maximum itself is known exactly.
    delays.maxValue = (this.above?.maxValue ?? 0) + shift;
    return delays;
  }

  /** The last timestamped frame's delay from the stream's smallest age; null without one. */
  get finalDelayMs(): number | null {
    return this.timestamped === 0 ? null : (this.n[LAST_RELATIVE] ?? 0) - this.lowestRelative;
  }

  /** Least-squares trend of the delay, ms per second, how well a line fits it (r², 0-1), and over how many seconds. */
  trend(): { msPerSecond: number; r2: number; seconds: number } | null {
    const count = this.timestamped;
    if (count < 2) return null;
    const [sumT = 0, sumD = 0, sumTT = 0, sumTD = 0, sumDD = 0] = this.n.slice(SUM_T, SUM_DD + 1);
    const varT = count * sumTT - sumT * sumT;
    const varD = count * sumDD - sumD * sumD;
    if (varT <= 0) return null;
    const cov = count * sumTD - sumT * sumD;
    const r2 = varD <= 0 ? 0 : (cov * cov) / (varT * varD);
    return { msPerSecond: cov / varT, r2: Math.min(1, r2), seconds: ((this.n[LAST_AT] ?? 0) - (this.n[FIRST_AT] ?? 0)) / 1000 };
  }
}
