// The fleet's own second-by-second record, the ground truth a client's timeline and stage table are checked against
// (issue 30's --stages: did the server see the concurrency the plan asked for?). Sampled by one 1 s timer; the
// stream hub only counts on accept and close, so the per-frame path pays nothing for it.

/** One second of the fleet, [t, t + seconds) from its start. */
export interface FleetTimelineRow {
  /** Seconds from the fleet's start to the row's start. */
  t: number;
  /** Epoch milliseconds at the row's start: to line the row up with a client's run clock. */
  at: number;
  /** The row's length in seconds (a timer is never exactly on time). */
  seconds: number;
  /** Stream responses open at the row's end. */
  openStreams: number;
  /** The fewest and the most open at once during the row (equal to openStreams when nothing opened or closed). */
  minOpenStreams: number;
  peakOpenStreams: number;
  /** Streams answered during the row (each one a connection), and streams that ended during it. */
  accepted: number;
  closed: number;
  /** Cameras with a viewer at the row's end, and the most viewers one camera had then. */
  camerasWatched: number;
  maxViewersPerCamera: number;
}

export interface FleetTimeline {
  intervalSeconds: number;
  /** The most rows kept; older ones are dropped, and counted in droppedRows. */
  maxRows: number;
  droppedRows: number;
  rows: FleetTimelineRow[];
  /** Viewers per camera id at the last row's end, cameras with none left out: at most one entry per camera. */
  viewersPerCamera: Record<string, number>;
}

/**
 * Streams added and removed by the stream hub, moved on add and remove only (never per frame): the counts the
 * timeline samples, and the fewest and most open at once between two samples.
 */
export class OpenStreamCounts {
  added = 0;
  removed = 0;
  /** The most open at once since start. */
  peak = 0;
  private low = 0;
  private high = 0;

  /** Open now: every stream the hub holds was added and not yet removed. */
  get open(): number {
    return this.added - this.removed;
  }

  opened(): void {
    this.added++;
    this.peak = Math.max(this.peak, this.open);
    this.high = Math.max(this.high, this.open);
  }

  closed(): void {
    this.removed++;
    this.low = Math.min(this.low, this.open);
  }

  /** The fewest and most open at once since the last call; the next window starts at the streams open now. */
  takeRange(): { low: number; high: number } {
    const range = { low: this.low, high: this.high };
    this.low = this.open;
    this.high = this.open;
    return range;
  }
}

/** What the timeline reads of each camera's counters (fleet-stats.ts's CameraCounters). */
export interface CameraViewers {
  id: number;
  openStreams: number;
}

/** An hour of seconds: a day-long fleet keeps its last hour, in constant memory. */
export const FLEET_TIMELINE_ROWS = 3_600;
const INTERVAL_MS = 1_000;

export interface FleetTimelineOptions {
  maxRows?: number;
  /** The row length; 1 s in the fleet, shorter in a test of the recorder itself. */
  intervalMs?: number;
}

const round3 = (value: number): number => Math.round(value * 1000) / 1000;

/** Samples the fleet once a second into at most `maxRows` rows. */
export class FleetTimelineRecorder {
  private readonly rows: FleetTimelineRow[] = [];
  private droppedRows = 0;
  private viewers: Record<string, number> = {};
  private readonly startedAt = performance.now();
  private rowStart = this.startedAt;
  private addedBefore = 0;
  private removedBefore = 0;
  private readonly timer: NodeJS.Timeout;
  private readonly maxRows: number;
  private readonly intervalMs: number;

  constructor(
    private readonly counts: OpenStreamCounts,
    private readonly cameras: () => Iterable<CameraViewers>,
    options: FleetTimelineOptions = {},
  ) {
    this.maxRows = options.maxRows ?? FLEET_TIMELINE_ROWS;
    this.intervalMs = options.intervalMs ?? INTERVAL_MS;
    this.timer = setInterval(this.sample, this.intervalMs);
    // A fleet nobody closed must not keep its process alive for its bookkeeping.
    this.timer.unref();
  }

  snapshot(): FleetTimeline {
    return {
      intervalSeconds: this.intervalMs / 1000,
      maxRows: this.maxRows,
      droppedRows: this.droppedRows,
      rows: this.rows.map((row) => ({ ...row })),
      viewersPerCamera: { ...this.viewers },
    };
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private readonly sample = (): void => {
    const now = performance.now();
    const { counts } = this;
    const open = counts.open;
    const { low, high } = counts.takeRange();
    const viewers: Record<string, number> = {};
    let watched = 0;
    let most = 0;
    for (const camera of this.cameras()) {
      if (camera.openStreams === 0) continue;
      viewers[camera.id] = camera.openStreams;
      watched++;
      most = Math.max(most, camera.openStreams);
    }
    this.viewers = viewers;
    this.rows.push({
      t: round3((this.rowStart - this.startedAt) / 1000),
      at: Math.round(performance.timeOrigin + this.rowStart),
      seconds: round3((now - this.rowStart) / 1000),
      openStreams: open,
      minOpenStreams: low,
      peakOpenStreams: high,
      accepted: counts.added - this.addedBefore,
      closed: counts.removed - this.removedBefore,
      camerasWatched: watched,
      maxViewersPerCamera: most,
    });
    if (this.rows.length > this.maxRows) {
      this.rows.shift();
      this.droppedRows++;
    }
    this.rowStart = now;
    this.addedBefore = counts.added;
    this.removedBefore = counts.removed;
  };
}
