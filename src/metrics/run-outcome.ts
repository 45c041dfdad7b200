import type { SystemSample } from './client-health.js';
import type { StreamStats } from './stream-stats.js';
import type { TimelineRow } from './timeline.js';
import type { IsolationWindow } from './isolation-window.js';
import type { StageWindow } from './stage-windows.js';
import type { StormWindow } from './storm-window.js';

/** Everything one run measured, as the runner hands it to the report builder. */
export interface RunOutcome {
  startedAt: Date;
  endedAt: Date;
  /** Milliseconds from start to end on the run's clock. */
  elapsedMs: number;
  interrupted: boolean;
  streams: StreamStats[];
  timeline: TimelineRow[];
  system: SystemSample[];
  /** Runs with --stages: each stage's figures over all streams. */
  stages?: readonly StageWindow[];
  /** Runs with --storm-at: each storm's recovery. */
  storms?: readonly StormWindow[];
  /** Runs with viewer groups: the normal viewers' lead-in window and the one compared with it (undefined: the groups never began). */
  isolation?: { leadIn: IsolationWindow; leadInEndMs: number | undefined; after: IsolationWindow | undefined };
}
