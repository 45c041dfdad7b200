import { percentilesAndEncoding } from '../metrics/gap-histogram.js';
import { freshnessHistograms, streamFreshness, type FreshnessHistograms } from './freshness-report.js';
import type { StreamStats } from '../metrics/stream-stats.js';
import { redactUrl } from '../text/redact.js';
import type { RunOutcome } from '../metrics/run-outcome.js';
import { assessClient, DEFAULT_SATURATION, stat, type SaturationLimits, type SystemSample } from '../metrics/client-health.js';
import type { Threshold } from './thresholds.js';
import { RUN_SCHEMA_VERSION, type Report, type ShardId, type StreamReport, type SystemReport } from './report-types.js';
import { streamStart, viewedFps } from './stream-start.js';
import { concludeReport, round, summarize, type SummaryInput } from './summarize.js';
import { viewerGroupHeadings, viewerGroupReports } from './viewer-group-reports.js';
import type { ViewerPlan } from '../viewers.js';

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
  /** A sharded run's share of the test (its streams carry their index in the whole plan). */
  shard?: ShardId;
  host?: string;
  planFingerprint?: string;
  /** The viewer groups the run had; absent: every viewer read as fast as it could. */
  viewers?: ViewerPlan;
}

function streamReport(s: StreamStats, endMs: number, histograms: FreshnessHistograms, grouped: boolean): StreamReport {
  const since = s.requestSentAt;
  const span = since === undefined ? 0 : (endMs - since) / 1000;
  const connectedSeconds = s.connectedMs(endMs) / 1000;
  const gaps = percentilesAndEncoding(s.gaps);
  return {
    index: s.index,
    ...(grouped ? { viewers: s.viewers } : {}),
    cameraId: s.cameraId,
    name: s.name,
    url: redactUrl(s.url),
    opened: s.opened,
    openAtEnd: s.openAtEnd,
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
    start: streamStart(s, endMs),
    timeToFirstByteMs: since === undefined || s.firstByteAt === undefined ? null : round(s.firstByteAt - since, 1),
    timeToFirstFrameMs: since === undefined || s.firstFrameAt === undefined ? null : round(s.firstFrameAt - since, 1),
    fps: viewedFps(s.frames, s.firstFrameAt, endMs),
    connectedSeconds: round(connectedSeconds),
    uptime: span > 0 ? round(Math.min(1, connectedSeconds / span), 4) : 0,
    frameGapMs: gaps.percentiles,
    frameGapHistogram: gaps.encoded,
    freshness: streamFreshness(s, endMs, histograms),
    errors: { ...s.errors },
    lastError: s.lastError ? { code: s.lastError.code, message: s.lastError.message, atSeconds: round(s.lastError.t / 1000) } : null,
    events: s.events.slice(),
    eventsDropped: s.droppedEvents,
  };
}

export function systemReport(samples: SystemSample[]): SystemReport {
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
  const freshness = outcome.streams.map(freshnessHistograms);
  const streams = outcome.streams.map((s, i) => streamReport(s, endMs, freshness[i] as FreshnessHistograms, input.viewers !== undefined));
  const health = assessClient(outcome.system, input.saturation ?? DEFAULT_SATURATION);
  const summaryInput: SummaryInput = {
    cameras: input.cameras,
    streamsRequested: input.streamsRequested,
    streamsPerCamera: input.streamsPerCamera,
    targetDurationMs: input.targetDurationMs,
    durationMs: endMs,
    streams,
    health,
    gaps: outcome.streams.map((s) => s.gaps),
    freshness,
  };
  const summary = summarize(summaryInput);
  return concludeReport(
    {
      schemaVersion: RUN_SCHEMA_VERSION,
      tool: { name: 'camera-load', version: input.version },
      command: 'run',
      shard: input.shard ?? null,
      host: input.host ?? null,
      planFingerprint: input.planFingerprint ?? null,
      startedAt: outcome.startedAt.toISOString(),
      endedAt: outcome.endedAt.toISOString(),
      interrupted: outcome.interrupted,
      config: input.config,
      summary,
      streams,
      timeline: outcome.timeline.map((row) => ({ ...row, at: outcome.startedAt.getTime() + Math.round(row.t * 1000) })),
      system: systemReport(outcome.system),
      ...(input.viewers ? { viewerGroups: viewerGroupReports(viewerGroupHeadings(input.viewers), summaryInput) } : {}),
    },
    input.thresholds ?? [],
  );
}
