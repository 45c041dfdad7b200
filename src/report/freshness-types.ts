import type { Percentiles } from '../metrics/gap-histogram.js';
import type { TimestampSource } from '../mjpeg/frame-timestamp.js';

// The report's freshness figures (report-types.ts re-exports them): what a frame rate alone hides.

/** The run's freshness figures, from the streams' own (merged HdrHistograms, never averaged percentiles). */
export interface FreshnessSummary {
  /** Streams with at least one frame whose capture time was read from a part header. */
  timestampedStreams: number;
  /** New pictures whose capture time was read: a repeat is not aged (its staleness is the freeze's). */
  timestampedFrames: number;
  /** Timestamp header values that could not be read (not a number, empty): ignored, counted. */
  invalidTimestamps: number;
  /**
   * Queueing delay (ms): each frame's age less its stream's smallest age. Needs no synced clocks: it is the delay
   * that load added. count 0 when no frame carried a timestamp.
   */
  delayMs: Percentiles;
  /**
   * Raw age (ms): receive time minus the camera's capture time. Valid only when the camera's clock is synced with
   * this machine's; ages from −1 s to 0 (a camera clock a little ahead) count as 0, ages outside −1 s..1 h are left
   * out (agesOutOfRange). null when no age was in range.
   */
  ageMs: Percentiles | null;
  /** Timestamped frames whose raw age was below −1 s or above 1 h: the clocks are not comparable. */
  agesOutOfRange: number;
  /** Streams whose delay grew steadily over the run: a queue that never drains. */
  streamsWithGrowingDelay: number;
  /** Streams whose camera clock could not time a queue (stuck or jumped, see StreamFreshness.clock): their delays left out. */
  streamsWithUnusableClock?: number;
  /** Frames byte-identical to the frame before on their connection (same length and end-of-JPEG fingerprint). */
  repeatedFrames: number;
  /** Streams that sent at least one repeated frame. */
  streamsWithRepeats: number;
  /** Mean of the per-stream fresh fps over opened streams. */
  avgFreshFpsPerStream: number;
  /** Per-stream fresh fps (repeated frames left out), over opened streams. */
  freshFpsPerStream: { min: number; p5: number; p50: number; max: number };
  /** FROZEN events: a picture unchanged for longer than --freeze-timeout while frames kept coming. */
  frozenEvents: number;
  /** Streams with at least one FROZEN event. */
  streamsFrozen: number;
  /**
   * Frames the server skipped (pictures taken between two that arrived one after the other on a connection, told by
   * capture-time jumps), over the streamsSkipsKnown streams whose capture times could tell; null: none could (no
   * timestamps). Absent in reports before viewer groups.
   */
  skippedFrames?: number | null;
  streamsWithSkips?: number;
  streamsSkipsKnown?: number;
}

/** One stream's freshness. Times in ms; trends in ms per second. */
export interface StreamFreshness {
  /** Where the capture times came from; null when no frame carried one. */
  timestamp: TimestampSource | null;
  timestampedFrames: number;
  invalidTimestamps: number;
  /** Age less the stream's smallest age, per timestamped frame. */
  delayMs: Percentiles;
  /** HdrHistogram, compressed base64, of delayMs; '' when no frame carried a timestamp. */
  delayHistogram: string;
  /** Least-squares slope of the delay over the stream's timestamped frames, ms per second; null below 2 frames. */
  delayTrendMsPerSecond: number | null;
  /** Delay of the stream's last timestamped frame; null without one. */
  lastDelayMs: number | null;
  /** The delay grew steadily (see the analysis): a queue that never drains. */
  growingDelay: boolean;
  /**
   * 'stuck': the capture time stood still while pictures changed (the delay rose at 1 s per second); 'jumped': the
   * capture times span an hour or more. Either way no delay, age or trend is read from them. Absent before.
   */
  clock?: 'stuck' | 'jumped' | null;
  /** Smallest and largest raw age (receive − capture), exact, any sign; null without timestamps. */
  ageRangeMs: { min: number; max: number } | null;
  /** Raw ages in −1 s..1 h (negative ones as 0): the delays shifted by the smallest age (ageRangeMs.min); count 0 when none. */
  ageMs: Percentiles;
  agesOutOfRange: number;
  repeatedFrames: number;
  /** (frames − repeatedFrames) / seconds from the first frame to the end of the run; null under 1 s of it. */
  freshFps: number | null;
  /** FROZEN events on this stream. */
  frozen: number;
  /** The longest time the picture stayed the same while frames kept coming (from its last change to the next). */
  longestFreezeMs: number;
  /**
   * Frames the server skipped: a capture interval of 1.75 times the stream's usual one (the median of its first 15)
   * or more counts the pictures it spans, within a connection. null: no capture times, or too few to know the
   * usual interval. Absent in reports before viewer groups.
   */
  skippedFrames?: number | null;
}
