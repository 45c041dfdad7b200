import type { ReportSummary } from '../report/report-types.js';
import type { TrialMeasure, Verdict } from './stability.js';

export interface TrialRecord extends TrialMeasure {
  index: number;
  verdict: Verdict;
  summary: ReportSummary;
}

/** The `max` report: the answer, and every trial with its verdict and its full run summary. */
export interface MaxReport {
  schemaVersion: 1;
  tool: { name: 'camera-load'; version: string };
  command: 'max';
  startedAt: string;
  endedAt: string;
  interrupted: boolean;
  config: Record<string, unknown>;
  result: {
    /** Highest level found stable; null when even --min was unstable (or no trial finished). */
    maxStableStreams: number | null;
    fpsPerStreamAtMax: number | null;
    /** Steady fps per stream at the lowest stable level: the frame rate the others were held to. */
    referenceFpsPerStream: number | null;
    /** The search stopped because camera-load itself saturated: the answer is a lower bound. */
    boundedByClient: boolean;
    boundedByClientReason?: string;
    trials: number;
  };
  trials: TrialRecord[];
}

/** Pure: all trials sorted by level, as a table. */
export function renderTrials(trials: readonly TrialRecord[]): string {
  const rows = [...trials].sort((a, b) => a.level - b.level);
  const lines = ['TRIALS', '  streams  opened  fps/stream  reconnections  stalls  verdict'];
  for (const t of rows) {
    lines.push(
      `  ${String(t.level).padStart(7)}  ${String(t.opened).padStart(6)}  ${t.fpsPerStream.toFixed(2).padStart(10)}  ` +
        `${String(t.reconnections).padStart(13)}  ${String(t.stalls).padStart(6)}  ${t.verdict.stable ? 'stable' : `unstable: ${t.verdict.reasons.join('; ')}`}`,
    );
  }
  return lines.join('\n');
}
