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
    /**
     * The streams the cameras allow (cameras × --streams-per-camera), and whether the answer reached them: the
     * search could go no higher, so the server's own limit is above it. Absent in reports written before.
     */
    cameraCapacity?: number;
    boundedByCameras?: boolean;
    trials: number;
  };
  trials: TrialRecord[];
}
