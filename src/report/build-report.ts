import { encodeHistogram, percentilesAndEncoding, type GapHistogram } from '../metrics/gap-histogram.js';
import type { IsolationWindow, WindowTally } from '../metrics/isolation-window.js';
import { freshnessHistograms, streamFreshness, type FreshnessHistograms } from './freshness-report.js';
import type { StreamStats } from '../metrics/stream-stats.js';
import { redactUrl } from '../text/redact.js';
import type { RunOutcome } from '../metrics/run-outcome.js';
import { assessClient, DEFAULT_SATURATION, stat, type SaturationLimits, type SystemSample } from '../metrics/client-health.js';
import type { Threshold } from './thresholds.js';
import { RUN_SCHEMA_VERSION, type Report, type ShardId, type StreamReport, type SystemReport, type ViewedWindow } from './report-types.js';
import { streamStart, viewedFps } from './stream-start.js';
import { concludeReport, round, summarize, type SummaryInput } from './summarize.js';
import { viewerGroupHeadings, viewerGroupReports, type IsolationInput } from './viewer-group-reports.js';
import type { ViewerPlan } from '../viewers.js';
import { viewerFpsHistograms, type StageWindow } from '../metrics/stage-windows.js';
import { stageReports, streamStages, type StageInput } from './stage-reports.js';
import type { StormWindow } from '../metrics/storm-window.js';
import { stormReports, type StormInput } from './storm-reports.js';

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
  const since = s.start.requestSentAt;
  const span = since === undefined ? 0 : s.visits.watchedMs(since, endMs) / 1000;
  const connectedSeconds = s.connectedMs(endMs) / 1000;
  const gaps = percentilesAndEncoding(s.gaps);
  return {
    index: s.index,
    ...(grouped ? groupFigures(s, endMs) : {}),
    cameraId: s.cameraId,
    name: s.name,
    url: redactUrl(s.url),
    opened: s.opened,
    openAtEnd: s.openAtEnd,
    frames: s.frames,
    bytes: s.bytes,
    frameBytes: s.frameBytes,
    corruptFrames: s.parsed.counters.corruptFrames,
    corrupt: { noSoi: s.parsed.counters.corruptNoSoi, noEoi: s.parsed.counters.corruptNoEoi, lengthMismatch: s.parsed.counters.corruptLengthMismatch },
    emptyParts: s.parsed.counters.emptyParts,
    nonImageParts: s.parsed.counters.nonImageParts,
    truncatedParts: s.parsed.counters.truncatedParts,
    lengthMismatches: s.parsed.counters.lengthMismatches,
    boundaryMismatch: s.parsed.boundaryMismatch ?? null,
    reconnections: s.reconnections,
    stalls: s.stalls,
    start: streamStart(s, endMs),
    timeToFirstByteMs: since === undefined || s.start.firstByteAt === undefined ? null : round(s.start.firstByteAt - since, 1),
    timeToFirstFrameMs: since === undefined || s.firstFrameAt === undefined ? null : round(s.firstFrameAt - since, 1),
    fps: viewedFps(s, s.frames, endMs),
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

const seconds = (ms: number): number => round(Math.max(0, ms) / 1000, 3);

/** A stream's group, and what the groups ask of it: when the server felt it (slow, pausing, stuck) or its windows (normal). */
function groupFigures(s: StreamStats, endMs: number): Pick<StreamReport, 'viewers' | 'feltAtSeconds' | 'isolation'> {
  if (s.viewers !== 'normal') return { viewers: s.viewers, feltAtSeconds: s.felt.at === undefined ? null : round(s.felt.at / 1000, 3) };
  const { leadIn, after } = s.isolation ?? {};
  return { viewers: s.viewers, isolation: { leadIn: viewed(leadIn, endMs), after: viewed(after, endMs) } };
}

/**
 * A stream's frames in a window and the seconds they took. A silence at the window's end longer than two of its
 * usual intervals (or a window with no frame at all) counts too: a stream that stopped is not left out of the p5.
 */
function viewed(tally: WindowTally | undefined, endMs: number): ViewedWindow | null {
  if (tally === undefined) return null;
  const toMs = tally.toMs ?? endMs;
  const silentMs = toMs - Math.max(tally.fromMs, tally.lastFrameAt ?? tally.fromMs);
  const spanMs = tally.frames === 0 || silentMs > (2 * tally.spanMs) / tally.frames ? tally.spanMs + silentMs : tally.spanMs;
  return { frames: tally.frames, seconds: seconds(spanMs) };
}

/** The normal viewers' windows, encoded as a report holds them. */
function isolationInput(windows: NonNullable<RunOutcome['isolation']>, endMs: number): IsolationInput {
  const input = (w: IsolationWindow, toMs: number) => ({
    fromSeconds: w.fromMs / 1000,
    toSeconds: toMs / 1000,
    gapHistograms: [encodeHistogram(w.gaps)],
    delayHistograms: [encodeHistogram(w.delays)],
  });
  return { leadIn: input(windows.leadIn, windows.leadInEndMs ?? endMs), after: windows.after && input(windows.after, endMs) };
}

/** One stage's counts and histograms, encoded as a report holds them; `viewerFps`: its viewers' fps, the open ones' too. */
function stageInput(w: StageWindow, viewerFps: GapHistogram): StageInput {
  return {
    span: w.span,
    arrivals: w.arrivals,
    droppedArrivals: w.droppedArrivals,
    arrivalsNotStarted: w.notStarted,
    departures: w.departures,
    reconnections: w.reconnections,
    errors: { ...w.errors },
    gapHistograms: [encodeHistogram(w.gaps)],
    delayHistograms: [encodeHistogram(w.delays)],
    firstFrameHistograms: [encodeHistogram(w.firstFrames)],
    latenessHistograms: [encodeHistogram(w.lateness)],
    viewerFpsHistograms: [encodeHistogram(viewerFps)],
  };
}

function stageInputs(windows: readonly StageWindow[], outcome: RunOutcome): StageInput[] {
  const viewerFps = viewerFpsHistograms(
    windows,
    outcome.streams.map((s) => s.stages),
    outcome.elapsedMs,
  );
  return windows.map((w, i) => stageInput(w, viewerFps[i] as GapHistogram));
}

function stormInput(w: StormWindow): StormInput {
  const { storm, struckAtMs, viewers, attempts } = w;
  return { storm, struckAtMs, viewers, attempts, errors: { ...w.errors }, recoveryHistograms: [encodeHistogram(w.recoveries)] };
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
  const spans = outcome.stages?.map((w) => w.span);
  const streams = outcome.streams.map((s, i) => {
    const report = streamReport(s, endMs, freshness[i] as FreshnessHistograms, input.viewers !== undefined);
    return spans && s.stages ? { ...report, stages: streamStages(s.stages.tallies, spans, s.stages.visits, endMs), arrivals: s.visits.arrivals } : report;
  });
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
  const timeline = outcome.timeline.map((row) => ({ ...row, at: outcome.startedAt.getTime() + Math.round(row.t * 1000) }));
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
      timeline,
      system: systemReport(outcome.system),
      ...(outcome.stages ? { stages: stageReports(stageInputs(outcome.stages, outcome), streams, timeline) } : {}),
      ...(outcome.storms ? { storms: stormReports(outcome.storms.map(stormInput)) } : {}),
      ...(input.viewers
        ? { viewerGroups: viewerGroupReports(viewerGroupHeadings(input.viewers), summaryInput, outcome.isolation && isolationInput(outcome.isolation, endMs)) }
        : {}),
    },
    input.thresholds ?? [],
  );
}
