import { encodeHistogram, mergeHistograms, percentiles } from '../metrics/gap-histogram.js';
import type { StreamStats } from '../metrics/stream-stats.js';
import { redactUrl } from '../text/redact.js';
import type { RunOutcome } from '../metrics/run-outcome.js';
import { assessClient, DEFAULT_SATURATION, stat, type SaturationLimits, type SystemSample } from '../metrics/client-health.js';
import { evaluateThresholds, type Threshold } from './thresholds.js';
import { analyse } from './analysis.js';
import type { Report, ReportSummary, StreamReport, SystemReport } from './report-types.js';

export interface ReportInput {
  version: string;
  /** Effective options, secrets already redacted. */
  config: Record<string, unknown>;
  cameras: { listed: number; active: number; skipped: number };
  streamsRequested: number;
  streamsPerCamera: number;
  targetDurationMs: number;
  outcome: RunOutcome;
  saturation?: SaturationLimits;
  thresholds?: readonly Threshold[];
}

const round = (value: number, digits = 3): number => {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
};

/** Nearest-rank percentile of an ascending array. */
function rank(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

function streamReport(s: StreamStats, endMs: number): StreamReport {
  const since = s.firstAttemptAt;
  const span = since === undefined ? 0 : (endMs - since) / 1000;
  const connectedSeconds = s.connectedMs(endMs) / 1000;
  return {
    index: s.index,
    cameraId: s.cameraId,
    name: s.name,
    url: redactUrl(s.url),
    opened: s.opened,
    frames: s.frames,
    bytes: s.bytes,
    frameBytes: s.frameBytes,
    corruptFrames: s.parts.corruptFrames,
    corrupt: { noSoi: s.parts.corruptNoSoi, noEoi: s.parts.corruptNoEoi, lengthMismatch: s.parts.corruptLengthMismatch },
    emptyParts: s.parts.emptyParts,
    nonImageParts: s.parts.nonImageParts,
    truncatedParts: s.parts.truncatedParts,
    lengthMismatches: s.parts.lengthMismatches,
    boundaryMismatch: s.boundaryMismatch ?? null,
    reconnections: s.reconnections,
    stalls: s.stalls,
    timeToFirstByteMs: since === undefined || s.firstByteAt === undefined ? null : round(s.firstByteAt - since, 1),
    timeToFirstFrameMs: since === undefined || s.firstFrameAt === undefined ? null : round(s.firstFrameAt - since, 1),
    fps: span > 0 ? round(s.frames / span) : 0,
    connectedSeconds: round(connectedSeconds),
    uptime: span > 0 ? round(Math.min(1, connectedSeconds / span), 4) : 0,
    frameGapMs: percentiles(s.gaps),
    frameGapHistogram: encodeHistogram(s.gaps),
    errors: { ...s.errors },
    lastError: s.lastError ? { code: s.lastError.code, message: s.lastError.message, atSeconds: round(s.lastError.t / 1000) } : null,
    events: s.events.slice(),
    eventsDropped: s.droppedEvents,
  };
}

function systemReport(samples: SystemSample[]): SystemReport {
  const of = (pick: (s: SystemSample) => number) => {
    const value = stat(samples.map(pick));
    return { min: round(value.min, 1), avg: round(value.avg, 1), max: round(value.max, 1) };
  };
  return {
    samples,
    cpuPercent: of((s) => s.cpuPercent),
    processCpuPercent: of((s) => s.processCpuPercent),
    memoryUsedBytes: of((s) => s.memoryUsedBytes),
    processRssBytes: of((s) => s.processRssBytes),
    networkRxBytesPerSecond: of((s) => s.networkRxBytesPerSecond),
    networkTxBytesPerSecond: of((s) => s.networkTxBytesPerSecond),
    eventLoopDelayP99Ms: of((s) => s.eventLoopDelayP99Ms),
  };
}

/** Pure: the run's raw measurements -> the report every output (summary, JSON, log) is made from. */
export function buildReport(input: ReportInput): Report {
  const { outcome } = input;
  const endMs = outcome.elapsedMs;
  const streams = outcome.streams.map((s) => streamReport(s, endMs));
  const opened = streams.filter((s) => s.opened);
  const durationSeconds = endMs / 1000;
  const errors: Record<string, number> = {};
  for (const s of streams) for (const [code, n] of Object.entries(s.errors)) errors[code] = (errors[code] ?? 0) + n;
  const sum = (pick: (s: StreamReport) => number): number => streams.reduce((total, s) => total + pick(s), 0);
  const fpsSorted = opened.map((s) => s.fps).sort((a, b) => a - b);
  const ttff = opened.map((s) => s.timeToFirstFrameMs ?? 0).sort((a, b) => a - b);
  const uptimes = streams.filter((s) => s.timeToFirstByteMs !== null || s.reconnections > 0 || s.opened).map((s) => s.uptime);
  const health = assessClient(outcome.system, input.saturation ?? DEFAULT_SATURATION);
  const totalFrames = sum((s) => s.frames);
  const totalBytes = sum((s) => s.bytes);

  const summary: ReportSummary = {
    camerasListed: input.cameras.listed,
    camerasActive: input.cameras.active,
    camerasSkipped: input.cameras.skipped,
    camerasUsed: new Set(streams.map((s) => s.cameraId)).size,
    streamsRequested: input.streamsRequested,
    streamsPlanned: streams.length,
    streamsPerCamera: input.streamsPerCamera,
    streamsOpened: opened.length,
    streamsOpenAtEnd: outcome.streams.filter((s) => s.openAtEnd).length,
    totalReconnections: sum((s) => s.reconnections),
    streamsWithReconnections: streams.filter((s) => s.reconnections > 0).length,
    totalFrames,
    totalBytes,
    corruptFrames: sum((s) => s.corruptFrames),
    lengthMismatches: sum((s) => s.lengthMismatches),
    streamsWithBoundaryMismatch: streams.filter((s) => s.boundaryMismatch !== null).length,
    totalStalls: sum((s) => s.stalls),
    errors,
    durationSeconds: round(durationSeconds),
    targetDurationSeconds: input.targetDurationMs / 1000,
    avgFpsPerStream: opened.length > 0 ? round(fpsSorted.reduce((a, b) => a + b, 0) / opened.length) : 0,
    aggregateFps: durationSeconds > 0 ? round(totalFrames / durationSeconds) : 0,
    bandwidthMbps: durationSeconds > 0 ? round((totalBytes * 8) / durationSeconds / 1e6) : 0,
    fpsPerStream: { min: fpsSorted[0] ?? 0, p5: rank(fpsSorted, 5), p50: rank(fpsSorted, 50), max: fpsSorted.at(-1) ?? 0 },
    frameGapMs: percentiles(mergeHistograms(outcome.streams.map((s) => s.gaps))),
    timeToFirstFrameMs: ttff.length > 0 ? { p50: rank(ttff, 50), p95: rank(ttff, 95), max: ttff.at(-1) ?? 0 } : null,
    uptimeAvg: uptimes.length > 0 ? round(uptimes.reduce((a, b) => a + b, 0) / uptimes.length, 4) : 0,
    uptimeMin: uptimes.length > 0 ? Math.min(...uptimes) : 0,
    valid: health.valid,
    ...(health.reason === undefined ? {} : { invalidReason: health.reason }),
  };
  const report: Report = {
    schemaVersion: 1,
    tool: { name: 'camera-load', version: input.version },
    command: 'run',
    startedAt: outcome.startedAt.toISOString(),
    endedAt: outcome.endedAt.toISOString(),
    interrupted: outcome.interrupted,
    config: input.config,
    summary,
    streams,
    timeline: outcome.timeline,
    system: systemReport(outcome.system),
    analysis: { assessment: '', warnings: [], recommendations: [] },
    thresholds: [],
  };
  report.analysis = analyse(report);
  report.thresholds = evaluateThresholds(input.thresholds ?? [], report);
  return report;
}
