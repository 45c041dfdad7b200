/** How many capture intervals a stream's usual one is the median of: its first ones, read before any group begins. */
const USUAL_OF = 15;
/**
 * A capture interval this many times the usual one or longer is a skip: the pictures between never came on this
 * connection. Not 1.5: a camera's timer late by half an interval would count one; a real skip is twice the interval.
 */
export const SKIP_RATIO = 1.75;

/**
 * Frames the server skipped for a stream, told by the capture times its parts carry: pictures taken between two that
 * arrived one after the other on a connection. A server that drops frames for a viewer that falls behind shows here;
 * a reconnection's outage does not (each connection is read on its own). No capture times: nothing can be told.
 */
export class FrameSkips {
  /** Frames skipped; 0 until the usual interval is known. */
  skipped = 0;
  /** The capture time (on the run clock) of the connection's last new picture; NaN: none yet on this connection. */
  private lastCapture = Number.NaN;
  /** The first intervals, in order: made at the first (most cameras send no capture times), dropped once learnt. */
  private intervals: Float64Array | undefined;
  private intervalsSeen = 0;
  private usual = Number.NaN;

  /** A new connection: its first picture's interval from the previous connection's last is an outage, not a skip. */
  newConnection(): void {
    this.lastCapture = Number.NaN;
  }

  /** Whether the stream's usual interval is known, and so whether its skips can be told. */
  get known(): boolean {
    return this.usual === this.usual;
  }

  /**
   * A new picture arrived at `at` (run clock, ms) with raw age `ageMs`: its capture time is at − ageMs. Returns
   * whether pictures were skipped before it.
   */
  picture(at: number, ageMs: number): boolean {
    const capture = at - ageMs;
    const interval = capture - this.lastCapture;
    this.lastCapture = capture;
    if (!(interval > 0)) return false;
    if (this.usual !== this.usual) {
      this.learn(interval);
      return false;
    }
    if (interval < this.usual * SKIP_RATIO) return false;
    this.skipped += Math.round(interval / this.usual) - 1;
    return true;
  }

  /**
   * The usual interval: the median of the stream's first USUAL_OF (a skip among them does not move a median), kept in
   * order as they come, so that learning allocates nothing.
   */
  private learn(interval: number): void {
    const kept = (this.intervals ??= new Float64Array(USUAL_OF));
    let at = this.intervalsSeen++;
    for (; at > 0 && (kept[at - 1] ?? 0) > interval; at--) kept[at] = kept[at - 1] ?? 0;
    kept[at] = interval;
    if (this.intervalsSeen < USUAL_OF) return;
    this.usual = kept[USUAL_OF >> 1] ?? Number.NaN;
    // Learnt once: the intervals are not read again.
    this.intervals = undefined;
  }
}

/**
 * When the server first showed it felt a slow, pausing or stuck viewer once its group began: it skipped frames for
 * it, or the viewer's connection ended. What the kernel's buffers absorb, the server never feels; this tells the two
 * apart for the fill time.
 */
export class ServerFelt extends FrameSkips {
  /** When the viewer groups began (run clock); Infinity: not yet, or none. */
  groupsBeganAt = Number.POSITIVE_INFINITY;
  /** undefined: not felt (yet), or a normal viewer, whom nothing is asked of. */
  at: number | undefined;

  /** `watching`: the viewer belongs to a slow, pausing or stuck group. */
  constructor(private readonly watching: boolean) {
    super();
  }

  /**
   * A picture with a capture time (see picture()); `delayMs` is its queueing delay (its age less the stream's
   * smallest). A skip shows only once the viewer has read what the buffers held before it: the server felt the viewer
   * when it took the picture after the skip, `delayMs` before it arrived.
   */
  feltPicture(at: number, ageMs: number, delayMs: number): void {
    if (this.picture(at, ageMs)) this.mark(at - Math.max(0, delayMs));
  }

  /** The viewer's connection ended, by the server or the network. */
  ended(at: number): void {
    this.mark(at);
  }

  private mark(at: number): void {
    if (this.watching && this.at === undefined && at >= this.groupsBeganAt) this.at = at;
  }
}
