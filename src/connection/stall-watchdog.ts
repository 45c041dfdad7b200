/**
 * A connection the watchdog looks after: a frame count that grows as complete frames arrive, and how to end it.
 * Frames, not bytes: a viewer of a server that keeps sending bytes but never completes a picture sees it frozen.
 */
export interface Watched {
  readonly progress: { readonly frames: number };
  /** Reading stopped on purpose (a pausing or stuck viewer): the time held does not count towards a stall. */
  held(): boolean;
  stall(): void;
}

interface Seen {
  frames: number;
  at: number;
}

/**
 * One timer for every open connection (not one per stream): each check ends the connections that completed no
 * frame for `timeoutMs` (before the response headers, none can). It compares frame counts between checks rather
 * than asking the data path to read the clock for every frame (a clock read allocates on Node 20). A stall is
 * declared between timeoutMs and timeoutMs + two check periods after the last frame.
 */
export class StallWatchdog {
  private readonly watched = new Map<Watched, Seen>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly timeoutMs: number,
    private readonly now: () => number,
    readonly checkEveryMs = Math.max(50, Math.min(1_000, timeoutMs / 4)),
  ) {}

  watch(connection: Watched): void {
    this.watched.set(connection, { frames: connection.progress.frames, at: this.now() });
    if (!this.timer) {
      this.timer = setInterval(this.check, this.checkEveryMs);
      this.timer.unref();
    }
  }

  unwatch(connection: Watched): void {
    this.watched.delete(connection);
    if (this.watched.size === 0) this.stop();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  readonly check = (): void => {
    const now = this.now();
    for (const [connection, seen] of this.watched) {
      const frames = connection.progress.frames;
      if (frames !== seen.frames || connection.held()) {
        seen.frames = frames;
        seen.at = now;
      } else if (now - seen.at >= this.timeoutMs) {
        this.watched.delete(connection);
        connection.stall();
      }
    }
  };
}
