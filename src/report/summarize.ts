import { mergedPercentiles, type GapHistogram } from '../metrics/gap-histogram.js';
import { mergedEncodedPercentiles } from '../metrics/encoded-histograms.js';
import { analyse } from './analysis.js';
import { summarizeFreshness, type FreshnessHistograms } from './freshness-report.js';
import { rank, round } from './numbers.js';
import type { Report, ReportSummary, StreamReport } from './report-types.js';
import { latenessProblem, summarizeStart } from './stream-start.js';
import { evaluateThresholds, type Threshold } from './thresholds.js';

// The summary from the per-stream results alone, so that one process's report and a merge of shards' reports
// are made by the same formulas: a merge is exact by construction, not by a second implementation.

export interface SummaryInput {
  cameras: { listed: number; active: number; skipped: number };
  streamsRequested: number;
  streamsPerCamera: number;
  targetDurationMs: number;
  /** Measured run time. */
  durationMs: number;
  streams: readonly StreamReport[];
  health: { valid: boolean; reason?: string | undefined };
  /**
   * The streams' own gap and delay histograms, when at hand (one run, not a merge of files): the same counts
   * their encoded histograms hold, added up without decoding 2,000 of them.
   */
  gaps?: readonly GapHistogram[];
  freshness?: readonly FreshnessHistograms[];
}

export { round } from './numbers.js';

function frameGaps(streams: readonly StreamReport[], gaps: readonly GapHistogram[] | undefined): ReportSummary['frameGapMs'] {
  const merged = gaps ? mergedPercentiles(gaps) : mergedEncodedPercentiles(streams.map((s) => s.frameGapHistogram));
  // The histogram keeps the maximum's bucket only; each stream kept its exact maximum.
  return merged.count === 0 ? merged : { ...merged, max: streams.reduce((max, s) => Math.max(max, s.frameGapMs.max), 0) };
}

/** Pure: the summary figures from the streams' results. */
export function summarize(input: SummaryInput): ReportSummary {
  const { streams } = input;
  const opened = streams.filter((s) => s.opened);
  // Rates divide by the duration as the report states it, so a merge (which reads the stated one) agrees.
  const durationSeconds = round(input.durationMs / 1000);
  const errors: Record<string, number> = {};
  for (const s of streams) for (const [code, n] of Object.entries(s.errors)) errors[code] = (errors[code] ?? 0) + n;
  const sum = (pick: (s: StreamReport) => number): number => streams.reduce((total, s) => total + pick(s), 0);
  const fpsSorted = opened.flatMap((s) => (s.fps === null ? [] : [s.fps])).sort((a, b) => a - b);
  const ttff = opened.map((s) => s.timeToFirstFrameMs ?? 0).sort((a, b) => a - b);
  const uptimes = streams.filter((s) => s.timeToFirstByteMs !== null || s.reconnections > 0 || s.opened).map((s) => s.uptime);
  const totalFrames = sum((s) => s.frames);
  const start = summarizeStart(streams);
  const late = latenessProblem(start, input.targetDurationMs);
  const reasons = [input.health.reason, late].filter((reason) => reason !== undefined);
  const totalBytes = sum((s) => s.bytes);
  return {
    camerasListed: input.cameras.listed,
    camerasActive: input.cameras.active,
    camerasSkipped: input.cameras.skipped,
    camerasUsed: new Set(streams.map((s) => s.cameraId)).size,
    streamsRequested: input.streamsRequested,
    streamsPlanned: streams.length,
    streamsPerCamera: input.streamsPerCamera,
    streamsOpened: opened.length,
    streamsOpenAtEnd: streams.filter((s) => s.openAtEnd).length,
    totalReconnections: sum((s) => s.reconnections),
    streamsWithReconnections: streams.filter((s) => s.reconnections > 0).length,
    totalFrames,
    totalBytes,
    corruptFrames: sum((s) => s.corruptFrames),
    lengthMismatches: sum((s) => s.lengthMismatches),
    streamsWithBoundaryMismatch: streams.filter((s) => s.boundaryMismatch !== null).length,
    totalStalls: sum((s) => s.stalls),
    errors,
    durationSeconds,
    targetDurationSeconds: input.targetDurationMs / 1000,
    avgFpsPerStream: fpsSorted.length > 0 ? round(fpsSorted.reduce((a, b) => a + b, 0) / fpsSorted.length) : 0,
    aggregateFps: durationSeconds > 0 ? round(totalFrames / durationSeconds) : 0,
    bandwidthMbps: durationSeconds > 0 ? round((totalBytes * 8) / durationSeconds / 1e6) : 0,
    fpsPerStream: { min: fpsSorted[0] ?? 0, p5: rank(fpsSorted, 5), p50: rank(fpsSorted, 50), max: fpsSorted.at(-1) ?? 0 },
    frameGapMs: frameGaps(streams, input.gaps),
    timeToFirstFrameMs: ttff.length > 0 ? { p50: rank(ttff, 50), p95: rank(ttff, 95), max: ttff.at(-1) ?? 0 } : null,
    start,
    uptimeAvg: uptimes.length > 0 ? round(uptimes.reduce((a, b) => a + b, 0) / uptimes.length, 4) : 0,
    uptimeMin: uptimes.length > 0 ? uptimes.reduce((min, u) => Math.min(min, u), 1) : 0,
    freshness: summarizeFreshness(streams, input.freshness),
    valid: input.health.valid && late === undefined,
    ...(reasons.length === 0 ? {} : { invalidReason: reasons.join('; ') }),
  };
}

/** Pure: the analysis and the thresholds, read from the finished figures. */
export function concludeReport(report: Omit<Report, 'analysis' | 'thresholds'>, thresholds: readonly Threshold[]): Report {
  const finished: Report = { ...report, analysis: { assessment: '', warnings: [], recommendations: [] }, thresholds: [] };
  finished.analysis = analyse(finished);
  finished.thresholds = evaluateThresholds(thresholds, finished);
  return finished;
}
