import type { StormWindow } from './storm-window.js';

// A stream slot under `--stages` (issue 30) opens and closes as the stages say: each time it is open is a *visit*; a
// reconnect storm (`--storm-at`) ends one visit and begins the next. The time between visits the client is away on
// purpose, and that time is not the server's: fps and uptime leave it out. A slot never closed has one visit.

/** One slot's visits: its arrivals and departures, and the time away that fps and uptime leave out. */
export class Visits {
  #arrivals = 0;
  #returns = 0;
  #departures = 0;
  /** From each departure to the next arrival: what uptime leaves out. */
  #awayMs = 0;
  /** Away now: since when (a departure not followed by an arrival yet). */
  #departedAt: number | undefined;
  /**
   * What fps leaves out: from a departure after frames to the first frame of the next visit that has one (a later
   * visit's wait for its first frame is its time to first frame, as the first visit's is; a visit that never had
   * a frame is left out whole, as a stream that never delivered has no fps).
   */
  #fpsAwayMs = 0;
  #fpsPausedAt: number | undefined;
  /** Visits that had a frame: each one's first frame opens its window rather than counting in it. */
  #framed = 0;
  /** The next frame is a visit's first: no gap from the frame before the departure. */
  #pending = false;
  /** When this visit's first request left: its first frame's wait is counted from there. */
  #requestAt: number | undefined; // NaN after a storm: that wait is the storm's recovery
  /** An arrival's planned instant, until its first attempt: camera-load's lateness in starting it is measured from it. */
  #plannedAt: number | undefined;
  /** The last arrival's planned instant: its stage is where its lateness goes. */
  #lastPlannedAt = 0;
  /** The storm that dropped this stream, until it has a frame again. */
  storm: StormWindow | undefined;

  get arrivals(): number {
    return this.#arrivals;
  }

  /** Visits begun: the first (an arrival under --stages, else the run's start), each later arrival, each return from a storm. */
  get begun(): number {
    return Math.max(1, this.#arrivals) + this.#returns;
  }

  get departures(): number {
    return this.#departures;
  }

  get framed(): number {
    return this.#framed;
  }

  get pending(): boolean {
    return this.#pending;
  }

  /** The slot opens at `at`, for an arrival planned at `plannedAt` (its timer may fire late). */
  arrived(at: number, plannedAt = at): void {
    this.#arrivals++;
    this.begin(at);
    this.#plannedAt = plannedAt;
    this.#lastPlannedAt = plannedAt;
  }

  get lastPlannedAt(): number {
    return this.#lastPlannedAt;
  }

  /**
   * A connection attempt begins at `at`: for an arrival's first, camera-load's own lateness in starting it (from its
   * planned instant to asking for a connect slot, so a full connect queue is not in it); NaN for any other attempt.
   */
  attempted(at: number): number {
    const planned = this.#plannedAt;
    this.#plannedAt = undefined;
    return planned === undefined ? Number.NaN : Math.max(0, at - planned);
  }

  /** The stream reconnects after a storm dropped it, at `at`: its wait for a frame is the storm's recovery, not an arrival's. */
  returned(at: number): void {
    this.#returns++;
    this.begin(at);
    this.#requestAt = Number.NaN;
  }

  private begin(at: number): void {
    this.#requestAt = undefined;
    if (this.#departedAt !== undefined) this.#awayMs += at - this.#departedAt;
    this.#departedAt = undefined;
  }

  /** The client closed the slot on purpose at `at`; `hadFrames`: the stream had delivered a frame by then. */
  departed(at: number, hadFrames: boolean): void {
    this.#departures++;
    this.#departedAt = at;
    this.#pending = true;
    if (hadFrames) this.#fpsPausedAt ??= at;
  }

  /** A visit's request left (only its first counts). */
  requestSent(at: number): void {
    this.#requestAt ??= at;
  }

  /** A visit's first frame, at `at`: how long after its request it came (NaN: no request seen). */
  firstFrame(at: number): number {
    this.#framed++;
    this.#pending = false;
    this.storm?.recovered(at);
    this.storm = undefined;
    if (this.#fpsPausedAt !== undefined) this.#fpsAwayMs += at - this.#fpsPausedAt;
    this.#fpsPausedAt = undefined;
    return this.#requestAt === undefined ? Number.NaN : at - this.#requestAt;
  }

  /** Milliseconds up for uptime's denominator, from `fromMs` (the first request leaving) to the end or the last departure. */
  watchedMs(fromMs: number, endMs: number): number {
    return Math.min(endMs, this.#departedAt ?? endMs) - fromMs - this.#awayMs;
  }

  /** Milliseconds of fps's window, from `firstFrameAt` to the end or the last departure after frames. */
  fpsWindowMs(firstFrameAt: number, endMs: number): number {
    return Math.min(endMs, this.#fpsPausedAt ?? endMs) - firstFrameAt - this.#fpsAwayMs;
  }
}
