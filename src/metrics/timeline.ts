/** One row of the timeline: what happened during [t, t + seconds). */
export interface TimelineRow {
  /** Seconds from the start of the run. */
  t: number;
  seconds: number;
  /** Streams with a response open at the end of the row. */
  openStreams: number;
  /** Frames per second, all streams together. */
  fps: number;
  bytesPerSecond: number;
  reconnections: number;
  /** Connections that ended in failure during the row, all codes. */
  errors: number;
  /** The same failures by error code (HTTP_503, STALL, …); codes that did not occur are left out. */
  errorsByCode: Record<string, number>;
  /** Frames per second that were not a repeat of their stream's previous picture, all streams together. */
  freshFps: number;
  /** Frames received during the row whose capture time was read from a part header. */
  timestampedFrames: number;
  /**
   * Mean queueing delay of those frames (ms): each frame's age less the smallest age its stream had shown so far
   * (the report's delay uses each stream's smallest age over the whole run). null when no frame was timestamped.
   */
  delayMsMean: number | null;
}

/** Counters summed over all streams at one instant; rows are the differences between two of these. */
export interface Totals {
  at: number;
  frames: number;
  bytes: number;
  reconnections: number;
  errors: number;
  errorsByCode: Record<string, number>;
  openStreams: number;
  freshFrames: number;
  timestampedFrames: number;
  /** Sum of the timestamped frames' delays so far (ms), as in TimelineRow.delayMsMean. */
  delaySumMs: number;
}

/**
 * Bounded: past `maxRows`, the older half is coarsened by merging neighbouring rows, so a day-long run keeps
 * full detail for recent minutes and a fair outline of the rest, in constant memory.
 */
export class Timeline {
  readonly rows: TimelineRow[] = [];
  private previous: Totals | undefined;

  constructor(private readonly maxRows = 3_600) {}

  /** Adds the row between the previous totals and these; the first call only sets the baseline. */
  add(totals: Totals): TimelineRow | undefined {
    const previous = this.previous;
    this.previous = totals;
    if (!previous) return undefined;
    const seconds = (totals.at - previous.at) / 1000;
    if (seconds <= 0) return undefined;
    const row: TimelineRow = {
      t: round(previous.at / 1000, 3),
      seconds: round(seconds, 3),
      openStreams: totals.openStreams,
      fps: round((totals.frames - previous.frames) / seconds, 2),
      bytesPerSecond: Math.round((totals.bytes - previous.bytes) / seconds),
      reconnections: totals.reconnections - previous.reconnections,
      errors: totals.errors - previous.errors,
      errorsByCode: countsBetween(previous.errorsByCode, totals.errorsByCode),
      ...freshnessBetween(previous, totals, seconds),
    };
    this.rows.push(row);
    if (this.rows.length > this.maxRows) this.coarsen();
    return row;
  }

  /**
   * The run's last row, up to its stop: one shorter than `minSeconds` is joined to the row before, so that the end
   * of a run is not a sliver of an interval whose rate a frame more or less swings.
   */
  close(totals: Totals, minSeconds: number): TimelineRow | undefined {
    const last = this.rows.at(-1);
    const previous = this.previous;
    const row = this.add(totals);
    if (!row || !last || !previous || row.seconds >= minSeconds) return row;
    this.rows.pop();
    const joined = mergeRows(last, row);
    this.rows[this.rows.length - 1] = joined;
    return joined;
  }

  /**
   * What the stop itself settled gets no row of its own: a few milliseconds long, with no stream open, that row read
   * as several times the true frame rate. The connections it ended are the last row's. Its frames (parts that had
   * arrived whole and awaited their confirming delimiter) are in no row's rate: rows count a frame when its
   * delimiter confirms it, a frame period after it arrived, so each row already holds one such frame per stream from
   * the row before; adding the stop's would count one frame per stream twice. The report's totals hold them.
   */
  settle(totals: Totals): void {
    const previous = this.previous;
    const last = this.rows.at(-1);
    if (!previous || !last) {
      this.add(totals);
      return;
    }
    this.previous = { ...totals, at: previous.at };
    last.reconnections += totals.reconnections - previous.reconnections;
    last.errors += totals.errors - previous.errors;
    last.errorsByCode = addCounts(last.errorsByCode, countsBetween(previous.errorsByCode, totals.errorsByCode));
  }

  private coarsen(): void {
    const half = Math.floor(this.rows.length / 2);
    const merged: TimelineRow[] = [];
    for (let i = 0; i + 1 < half; i += 2) merged.push(mergeRows(this.rows[i] as TimelineRow, this.rows[i + 1] as TimelineRow));
    const rest = this.rows.slice(half % 2 === 0 ? half : half - 1);
    this.rows.splice(0, this.rows.length, ...merged, ...rest);
  }
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function freshnessBetween(before: Totals, after: Totals, seconds: number): Pick<TimelineRow, 'freshFps' | 'timestampedFrames' | 'delayMsMean'> {
  const timestampedFrames = after.timestampedFrames - before.timestampedFrames;
  return {
    freshFps: round((after.freshFrames - before.freshFrames) / seconds, 2),
    timestampedFrames,
    delayMsMean: timestampedFrames > 0 ? round((after.delaySumMs - before.delaySumMs) / timestampedFrames, 1) : null,
  };
}

/** The mean of two rows' delays, weighted by their timestamped frames. */
export function meanDelay(a: Pick<TimelineRow, 'timestampedFrames' | 'delayMsMean'>, b: Pick<TimelineRow, 'timestampedFrames' | 'delayMsMean'>): number | null {
  const frames = a.timestampedFrames + b.timestampedFrames;
  if (frames === 0) return null;
  return round(((a.delayMsMean ?? 0) * a.timestampedFrames + (b.delayMsMean ?? 0) * b.timestampedFrames) / frames, 1);
}

function mergeRows(a: TimelineRow, b: TimelineRow): TimelineRow {
  const seconds = a.seconds + b.seconds;
  return {
    t: a.t,
    seconds: round(seconds, 3),
    openStreams: b.openStreams,
    fps: round((a.fps * a.seconds + b.fps * b.seconds) / seconds, 2),
    bytesPerSecond: Math.round((a.bytesPerSecond * a.seconds + b.bytesPerSecond * b.seconds) / seconds),
    reconnections: a.reconnections + b.reconnections,
    errors: a.errors + b.errors,
    errorsByCode: addCounts(a.errorsByCode, b.errorsByCode),
    freshFps: round((a.freshFps * a.seconds + b.freshFps * b.seconds) / seconds, 2),
    timestampedFrames: a.timestampedFrames + b.timestampedFrames,
    delayMsMean: meanDelay(a, b),
  };
}

/** What each code gained from `before` to `after`, leaving out codes that did not move. */
function countsBetween(before: Readonly<Record<string, number>>, after: Readonly<Record<string, number>>): Record<string, number> {
  const gained: Record<string, number> = {};
  for (const code in after) {
    const n = (after[code] ?? 0) - (before[code] ?? 0);
    if (n > 0) gained[code] = n;
  }
  return gained;
}

export function addCounts(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): Record<string, number> {
  const sum: Record<string, number> = { ...a };
  for (const code in b) sum[code] = (sum[code] ?? 0) + (b[code] ?? 0);
  return sum;
}
