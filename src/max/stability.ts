/** What one trial measured, as far as the stability verdict needs it. */
export interface TrialMeasure {
  level: number;
  /** Streams that received a frame. */
  opened: number;
  reconnections: number;
  stalls: number;
  /** Frames per second per stream in the steady part of the trial (after the streams opened). */
  fpsPerStream: number;
}

export interface StabilityCriteria {
  /** Reconnections plus stalls tolerated in a trial. */
  maxReconnects: number;
  /** An absolute floor for fpsPerStream; when absent, a share of the reference. */
  minFps?: number;
  /** Share of the reference fps a level must hold (0.9). */
  relativeFps: number;
}

export const DEFAULT_CRITERIA: StabilityCriteria = { maxReconnects: 0, relativeFps: 0.9 };

export interface Verdict {
  stable: boolean;
  /** Why not, in words; empty when stable. */
  reasons: string[];
  /** The frame-rate floor applied, if any. */
  minFps: number | undefined;
}

/**
 * A level is stable when every requested stream opened, nothing reconnected or stalled beyond the tolerance,
 * and the frame rate per stream held: at least `minFps`, or `relativeFps` × the rate measured at the lowest
 * stable level so far (`referenceFps`; none before the first stable level).
 */
export function judgeTrial(trial: TrialMeasure, criteria: StabilityCriteria, referenceFps: number | undefined): Verdict {
  const reasons: string[] = [];
  if (trial.opened < trial.level) reasons.push(`${trial.level - trial.opened} of ${trial.level} streams never opened`);
  const drops = trial.reconnections + trial.stalls;
  if (drops > criteria.maxReconnects) {
    reasons.push(`${trial.reconnections} reconnections and ${trial.stalls} stalls (tolerance ${criteria.maxReconnects})`);
  }
  const minFps = criteria.minFps ?? (referenceFps === undefined ? undefined : referenceFps * criteria.relativeFps);
  if (minFps !== undefined && trial.fpsPerStream < minFps) {
    reasons.push(`${trial.fpsPerStream.toFixed(2)} fps per stream, below ${minFps.toFixed(2)}`);
  }
  return { stable: reasons.length === 0, reasons, minFps };
}
