/** A connection the watchdog looks after: a byte count that grows as data arrives, and how to end it. */
export interface Watched {
  readonly progress: { readonly bytes: number };
  stall(): void;
}

interface Seen {
  bytes: number;
  at: number;
}

/**
 * One timer for every open connection (not one per stream): each check ends the connections that received
 * nothing for `timeoutMs`. It compares byte counts between checks rather than asking the data path to read
 * the clock for every chunk (a clock read allocates on Node 20, and the chunk path must not). A stall is
 * declared between timeoutMs and timeoutMs + two check periods after the last byte.
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
    this.watched.set(connection, { bytes: connection.progress.bytes, at: this.now() });
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
      const bytes = connection.progress.bytes;
      if (bytes !== seen.bytes) {
        seen.bytes = bytes;
        seen.at = now;
      } else if (now - seen.at >= this.timeoutMs) {
        this.watched.delete(connection);
        connection.stall();
      }
    }
  };
}
