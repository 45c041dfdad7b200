import type { StormWindow } from '../metrics/storm-window.js';
import { single, type MetricFamily } from './exposition.js';

// `--storm-at` (issue 30) on the live endpoint: how many storms have struck, and how many of the viewers they dropped
// are still without a frame, read off the runner's own storm windows at each scrape, so that a dashboard shows the
// server taking them back.

/** The storms of the run so far. */
export interface StormsNow {
  /** Storms that have struck. */
  struck: number;
  /** Viewers dropped by them without a frame again yet: after the run, those that never had one. */
  recovering: number;
}

/** What the runner's storm windows say now; none before the run starts. */
export function stormsNow(windows: readonly StormWindow[]): StormsNow {
  let struck = 0;
  let recovering = 0;
  for (const w of windows) {
    if (w.struckAtMs === undefined) continue;
    struck++;
    recovering += Math.max(0, w.viewers - w.recoveries.totalCount);
  }
  return { struck, recovering };
}

/** The families of a run with storms, once it is set up (0 until the first storm strikes). This shard's own. */
export function stormFamilies(now: StormsNow): MetricFamily[] {
  return [
    single(
      'counter',
      'camera_load_storms_total',
      'Reconnect storms (--storm-at) that have struck: every open stream dropped by the client at once',
      now.struck,
    ),
    single(
      'gauge',
      'camera_load_storm_recovering_viewers',
      'Viewers a reconnect storm dropped that have not had a frame since: 0 once all are back; after the run, those never back',
      now.recovering,
    ),
  ];
}
