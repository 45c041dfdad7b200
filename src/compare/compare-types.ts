import type { ViewerGroup } from '../viewers.js';

// The result of `camera-load compare` (issue 31): its fields are documented in docs/compare.md, its schema is
// schema/compare.schema.json.

export type Verdict = 'better' | 'worse' | 'same';
/** A line that could not be judged (a side without the figure, fps of two definitions): never a verdict. */
export type LineVerdict = Verdict | 'not compared';

/** Which streams a line is over: the whole run, one viewer group, one stage (1-based), or both. */
export interface Scope {
  viewers?: ViewerGroup;
  stage?: number;
}

/** The noise threshold a change must pass to be a verdict: the larger of the two. */
export interface NoiseThreshold {
  /** Of the base value, 0-1. */
  relative: number;
  /** In the figure's unit. */
  absolute: number;
}

export interface CompareLine {
  /** The figure's id: fps, freshFps, timeToFirstFrame, frameGap.p50, … (see docs/compare.md). */
  figure: string;
  scope: Scope;
  /** In words, with what it is over: "fps per stream, median". */
  name: string;
  unit: string;
  better: 'higher' | 'lower';
  base: number | null;
  new: number | null;
  /** new − base, in the unit; null when a side has no value. */
  change: number | null;
  /** change ÷ base, 0-1 (null when base is 0 or a side has no value). */
  relativeChange: number | null;
  /** The change's 95% confidence interval, in the unit. */
  interval: { low: number; high: number } | null;
  /** The rank test's two-sided p-value, where one decided; null for percentiles read from histograms. */
  pValue: number | null;
  /** Samples on each side: streams, or frames for the percentiles of merged histograms. */
  samples: { base: number; new: number };
  /** How significance was decided, in words. */
  method: string;
  threshold: NoiseThreshold;
  significant: boolean;
  verdict: LineVerdict;
  /** Why a line was not compared, or what its verdict rests on when that is not plain. */
  reason?: string;
  /** A side that was saturated, late, interrupted or partial: its figures may understate the server. */
  warnings: string[];
}

/** What the result says of each report compared. */
export interface CompareSide {
  file: string;
  startedAt: string;
  schemaVersion: number;
  /** Of a max search: `streams` is the highest level it tried, `cameras` the streams its cameras allow (0: unknown). */
  streams: number;
  cameras: number;
  valid: boolean;
  invalidReason?: string;
  interrupted: boolean;
  partial: boolean;
}

export interface CompareResult {
  schemaVersion: 1;
  tool: { name: 'camera-load'; version: string };
  command: 'compare';
  /** What was compared: two runs' figures, or two searches' maximum stable levels. */
  kind: 'run' | 'max';
  base: CompareSide;
  new: CompareSide;
  /** worse when any line is worse; better when one is better and none worse; same otherwise. */
  verdict: Verdict;
  /** The lines that read worse and better, by name and scope ("fps per stream, median {viewers:slow}"). */
  worse: string[];
  better: string[];
  /** --noise when given (relative, 0-1): it replaced every figure's own relative threshold. */
  noiseOverride: number | null;
  /** Plans that differ (--allow-different-plans), or sides whose figures may understate the server. */
  warnings: string[];
  lines: CompareLine[];
}
