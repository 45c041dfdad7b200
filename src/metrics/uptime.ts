/**
 * A stream's time up: with a 2xx response open that delivered at least one frame. A stream answering 200 with
 * nothing usable (wrong boundary, HTML, endless headers) is not up, however long its connection lasts.
 */
export class Uptime {
  /** Milliseconds up, closed connections only. */
  private closedMs = 0;
  /** When the open 2xx response began, and the stream's frame count then. */
  private since: number | undefined;
  private framesAtOpen = 0;

  get connected(): boolean {
    return this.since !== undefined;
  }

  opened(at: number, frames: number): void {
    this.since = at;
    this.framesAtOpen = frames;
  }

  closed(at: number, frames: number): void {
    this.closedMs += this.openMs(at, frames);
    this.since = undefined;
  }

  /** Milliseconds up to `now`, the open connection included when it delivered. */
  ms(now: number, frames: number): number {
    return this.closedMs + this.openMs(now, frames);
  }

  private openMs(now: number, frames: number): number {
    return this.since === undefined || frames === this.framesAtOpen ? 0 : now - this.since;
  }
}
