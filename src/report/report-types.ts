import type { Percentiles } from '../metrics/gap-histogram.js';
import type { BoundaryMismatch } from '../mjpeg/parser-types.js';

export type { TimestampSource } from '../mjpeg/frame-timestamp.js';
import type { StreamEvent } from '../metrics/stream-stats.js';
import type { TimelineRow } from '../metrics/timeline.js';
import type { Stat, SystemSample } from '../metrics/client-health.js';
import type { FreshnessSummary, StreamFreshness } from './freshness-types.js';
import type { ViewerGroup } from '../viewers.js';

export type { FreshnessSummary, StreamFreshness } from './freshness-types.js';
import type { GroupFill, IsolationReport, ViewedWindow } from './viewer-group-types.js';
import type { StageReport, StageViewed } from './stage-types.js';
export type { StageReport, StageViewed } from './stage-types.js';
import type { StormReport } from './storm-reports.js';
export type { StormReport } from './storm-reports.js';
export type { GroupFill, IsolationReport, IsolationWindowReport, ViewedWindow } from './viewer-group-types.js';

/** The JSON report (its fields: docs/report-format.md; the schema: schema/report.schema.json). Units are in the names: Ms, Seconds, Bytes, Mbps, Percent, fps. */
export interface Report {
  /**
   * 2: a stream's fps counts from its first frame and its times from its request leaving, the wait before apart
   * (`start`). 1: reports written before, whose fps counted from the first attempt, camera-load's own queue included.
   */
  schemaVersion: ReportSchemaVersion;
  tool: { name: 'camera-load'; version: string };
  command: 'run';
  /** Which share of a sharded run this report holds (1-based, as --shard i/n); null: the whole plan. */
  shard: ShardId | null;
  /** The machine that ran it; null on a merged report (each shard names its own in `shards`). */
  host: string | null;
  /** sha256 of what the plan measures (cameras and options): shards of one test share it. null: not a load test. */
  planFingerprint: string | null;
  startedAt: string;
  endedAt: string;
  interrupted: boolean;
  config: Record<string, unknown>;
  summary: ReportSummary;
  streams: StreamReport[];
  timeline: ReportTimelineRow[];
  system: SystemReport;
  analysis: Analysis;
  /** Each --threshold with the figure it was checked against; empty when none were given. */
  thresholds: ThresholdResult[];
  /** The viewer groups' figures, normal first; absent when the run had no viewer groups (every viewer read as fast as it could). */
  viewerGroups?: ViewerGroupReport[];
  /** Runs with --stages: each stage's figures, in order; absent otherwise. */
  stages?: StageReport[];
  /** Runs with --storm-at: each reconnect storm's recovery, in time order; absent otherwise. */
  storms?: StormReport[];
  /**
   * Merged reports only: the shards they were made from, in shard order. `config` then holds the settings every
   * shard had alike and the thresholds the merge checked; each shard's own (its shard, its output paths, its
   * thresholds, and any setting named in settingsDiffering) are in shards[].config.
   */
  shards?: ShardSummary[];
  /** Merged reports only, when any: settings the shards did not agree on, left out of `config` (see shards[].config). */
  settingsDiffering?: string[];
  /** Merged reports only: true when shards were missing (--allow-partial); they are named in missingShards. */
  partial?: boolean;
  missingShards?: number[];
}

export type ReportSchemaVersion = 1 | 2;

/** The schema this camera-load writes run reports in. */
export const RUN_SCHEMA_VERSION = 2;

export interface ShardId {
  /** 1-based. */
  index: number;
  count: number;
}

/** A timeline row with its wall-clock start, so that the rows of shards on different machines align. */
export interface ReportTimelineRow extends TimelineRow {
  /** Start of the row, milliseconds since the Unix epoch (UTC). */
  at: number;
}

/** One shard of a merged report: where and when it ran, and whether its figures can be trusted. */
export interface ShardSummary {
  index: number;
  host: string | null;
  startedAt: string;
  endedAt: string;
  valid: boolean;
  invalidReason?: string;
  interrupted: boolean;
  streams: number;
  system: Omit<SystemReport, 'samples'>;
  /** Its own settings (shard, output paths, thresholds, and those in settingsDiffering); absent in older merges. */
  config?: Record<string, unknown>;
}

export interface ReportSummary {
  camerasListed: number;
  camerasActive: number;
  /** Active cameras skipped for a missing or unusable fr_url. */
  camerasSkipped: number;
  /** Cameras streamed from (distinct). */
  camerasUsed: number;
  /** --max-streams; in a shard's report, the shard's share of it. */
  streamsRequested: number;
  /** Streams planned: fewer than requested when there are fewer cameras (see streamsPerCamera). */
  streamsPlanned: number;
  streamsPerCamera: number;
  /** Streams that received at least one complete frame. */
  streamsOpened: number;
  /** Streams with a response open when the run ended. */
  streamsOpenAtEnd: number;
  totalReconnections: number;
  /** Streams (cameras) with at least one reconnection. */
  streamsWithReconnections: number;
  totalFrames: number;
  /** Response body bytes received, all streams. */
  totalBytes: number;
  corruptFrames: number;
  /** Parts whose Content-Length disagreed with where their delimiter was (each counted by its real size). */
  lengthMismatches: number;
  /** Streams whose body used another boundary than their Content-Type declared. */
  streamsWithBoundaryMismatch: number;
  totalStalls: number;
  errors: Record<string, number>;
  durationSeconds: number;
  targetDurationSeconds: number;
  /** Mean of the per-stream fps over the opened streams that have one (viewed 1 s or more). */
  avgFpsPerStream: number;
  /** totalFrames / durationSeconds. */
  aggregateFps: number;
  /** totalBytes × 8 / durationSeconds / 10^6. */
  bandwidthMbps: number;
  fpsPerStream: { min: number; p5: number; p50: number; max: number };
  /** Gaps between consecutive frames of a stream, all streams merged (ms). */
  frameGapMs: Percentiles;
  /** From each opened stream's request leaving to its first complete frame. */
  timeToFirstFrameMs: { p50: number; p95: number; max: number } | null;
  /** What the streams waited for before their requests left, and how fast the server answered them; null: schema 1. */
  start: StartSummary | null;
  /** Share of the run the average stream spent connected (0-1). */
  uptimeAvg: number;
  uptimeMin: number;
  /** How fresh the pictures were: capture-time delay and repeated pictures (a frame rate alone hides both). */
  freshness: FreshnessSummary;
  /** false when camera-load itself was saturated: the figures understate the server. */
  valid: boolean;
  invalidReason?: string;
}

/** One viewer group: how it read, and the summary's figures over its streams alone. */
export interface ViewerGroupReport {
  group: ViewerGroup;
  /** How it reads once the groups begin, in words (e.g. "reads at most 1 Mbit/s"). */
  behaviour: string;
  /** The share of the planned streams asked for (0-1); normal: the rest. */
  share: number;
  /** Seconds from the run's start when the group began (the lead-in's end); 0 for normal. */
  beganAtSeconds: number;
  /** The run summary's figures over the group's streams (the camera counts and validity are the run's). */
  summary: ReportSummary;
  /** Slow, pausing and stuck groups: when the server felt the group's viewers once it began. */
  fill?: GroupFill;
  /** The normal group: its figures in the lead-in and in the rest of the run, and whether the other groups hurt it. */
  isolation?: IsolationReport;
}

export interface StartPercentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** The streams' starts: camera-load's own waits, apart from the server's answer. Milliseconds; null: no stream had one. */
export interface StartSummary {
  /** Camera-load's own delay before a stream asked for a connect slot: its event loop, its CPU, its set-up. */
  clientLatenessMs: StartPercentiles | null;
  /** Waiting for a connect slot held by requests that awaited the server's headers (--connect-concurrency). */
  connectQueueMs: StartPercentiles | null;
  /** From a request leaving to its response headers: the server's answer. */
  timeToHeadersMs: StartPercentiles | null;
  /** Streams whose first request never left: the run ended while they waited for a connect slot. */
  requestsNeverSent: number;
}

/** One stream's start, on the run clock (ms from the run's start); null: it did not happen. */
export interface StreamStart {
  /** When it was meant to start: its place in the ramp-up. */
  scheduledAtMs: number;
  requestSentAtMs: number | null;
  headersAtMs: number | null;
  firstFrameAtMs: number | null;
  /**
   * camera-load's own: from its scheduled time to asking for a connect slot (to the run's end, if it never asked),
   * and on to its request leaving when a slot was free.
   */
  clientLatenessMs: number | null;
  /** From asking for a connect slot to its request leaving, when every slot was taken (to the run's end, if it never left). */
  connectQueueMs: number | null;
}

export interface StreamReport {
  index: number;
  /** Its viewer group; absent in reports of runs without groups (every stream normal). */
  viewers?: ViewerGroup;
  /** A slow, pausing or stuck viewer: run-clock seconds when the server first felt it (null: never). */
  feltAtSeconds?: number | null;
  /** A normal viewer of a run with groups: its frames and seconds viewed in the lead-in and in the window compared with it. */
  isolation?: { leadIn: ViewedWindow | null; after: ViewedWindow | null };
  /** Runs with --stages: its frames and watched seconds in each stage (null: not open in it). */
  stages?: (StageViewed | null)[];
  /** Runs with --stages or --arrival-rate: the viewers that arrived through this slot (a slot keeps its camera). */
  arrivals?: number;
  cameraId: string;
  name: string;
  url: string;
  opened: boolean;
  /** A response was open when the run ended. */
  openAtEnd: boolean;
  frames: number;
  bytes: number;
  frameBytes: number;
  corruptFrames: number;
  corrupt: { noSoi: number; noEoi: number; lengthMismatch: number };
  emptyParts: number;
  nonImageParts: number;
  truncatedParts: number;
  /** Parts whose Content-Length disagreed with where their delimiter was. */
  lengthMismatches: number;
  /** The boundary the Content-Type declared and the one the body used, when they differed. */
  boundaryMismatch: BoundaryMismatch | null;
  reconnections: number;
  stalls: number;
  /** Its start: when it was meant to, when its request left, what it waited for before (schema 2). */
  start: StreamStart;
  /** From the stream's first request leaving to its first response byte / first complete frame. */
  timeToFirstByteMs: number | null;
  timeToFirstFrameMs: number | null;
  /**
   * frames / seconds from its first frame to the end of the run (outages after it count); null when that is under
   * 1 s. Schema 1: from the first connection attempt, camera-load's own queue included.
   */
  fps: number | null;
  connectedSeconds: number;
  /** connectedSeconds / seconds from its first request leaving to the end (0-1). */
  uptime: number;
  frameGapMs: Percentiles;
  /** HdrHistogram, compressed base64, of the frame gaps in ms: merge reports exactly. */
  frameGapHistogram: string;
  freshness: StreamFreshness;
  errors: Record<string, number>;
  lastError: { code: string; message: string; atSeconds: number } | null;
  events: StreamEvent[];
  eventsDropped: number;
}

/** The figures of the machine a report's system block holds, each a min/avg/max over the samples. */
export const SYSTEM_STATS = [
  'cpuPercent',
  'processCpuPercent',
  'memoryUsedBytes',
  'processRssBytes',
  'networkRxBytesPerSecond',
  'networkTxBytesPerSecond',
  'eventLoopDelayP99Ms',
] as const satisfies readonly (keyof SystemReport)[];

export interface SystemReport {
  samples: SystemSample[];
  cpuPercent: Stat;
  processCpuPercent: Stat;
  memoryUsedBytes: Stat;
  processRssBytes: Stat;
  networkRxBytesPerSecond: Stat;
  networkTxBytesPerSecond: Stat;
  eventLoopDelayP99Ms: Stat;
}

/** One --threshold, checked against the report's figure. */
export interface ThresholdResult {
  expression: string;
  /** null when nothing was measured: the threshold fails. */
  actual: number | null;
  passed: boolean;
}

export interface Analysis {
  assessment: string;
  warnings: string[];
  recommendations: string[];
}
