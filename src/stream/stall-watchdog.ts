/** A connection the watchdog looks after: when it last received a byte, and how to end it. */
export interface Watched {
  lastByteAt: number;
  stall(): void;
}

/**
 * One timer for every open connection (not one per stream): each check ends the connections that received
 * nothing for `timeoutMs`. Detection is within timeoutMs + one check period.
 */
export class StallWatchdog {
  private readonly watched = new Set<Watched>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly timeoutMs: number,
    private readonly now: () => number,
    private readonly checkEveryMs = Math.max(50, Math.min(1_000, timeoutMs / 4)),
  ) {}

  watch(connection: Watched): void {
    this.watched.add(connection);
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

  private readonly check = (): void => {
    const deadline = this.now() - this.timeoutMs;
    for (const connection of this.watched) {
      if (connection.lastByteAt <= deadline) {
        this.watched.delete(connection);
        connection.stall();
      }
    }
  };
}
