import { ClientDrop } from '../connection/client-drop.js';
import { StormWindow } from '../metrics/storm-window.js';
import type { StreamStats } from '../metrics/stream-stats.js';
import type { Storm } from '../stages.js';

/**
 * The reconnect storms of one run (`--storm-at`): at each, every stream with a response open is dropped by the
 * client at once, and its recovery is followed until it has a frame again.
 */
export class RunningStorms {
  /** Each stream's handle on its open connection, in the order of the run's streams. */
  readonly drops: readonly ClientDrop[];
  readonly windows: readonly StormWindow[];
  private readonly timers: NodeJS.Timeout[];

  constructor(
    private readonly streams: readonly StreamStats[],
    storms: readonly Storm[],
    private readonly now: () => number,
  ) {
    this.drops = streams.map(() => new ClientDrop());
    this.windows = storms.map((storm) => new StormWindow(storm));
    this.timers = this.windows.map((window) =>
      setTimeout(() => {
        this.strike(window);
      }, window.storm.atMs - now()),
    );
  }

  private strike(window: StormWindow): void {
    window.struckAtMs = this.now();
    this.streams.forEach((stats, i) => {
      if (!(this.drops[i] as ClientDrop).drop(window.storm.immediate)) return;
      window.viewers++;
      stats.visits.storm = window;
    });
  }

  /** The run is over: no storm outlives it. */
  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
  }
}
