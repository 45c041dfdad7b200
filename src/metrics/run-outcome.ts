import type { SystemSample } from './client-health.js';
import type { StreamStats } from './stream-stats.js';
import type { TimelineRow } from './timeline.js';

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
}
