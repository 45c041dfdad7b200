import type { IsolationReport, Report } from './report-types.js';
import { STORM_METRICS } from './threshold-storms.js';

/** A metric a threshold can name: what it means, its unit, and where the report has it. */
export interface MetricDefinition {
  name: string;
  unit: string;
  description: string;
  /** null when the run has no such figure (no stream opened, say): a threshold on it fails. */
  read: (report: Report) => number | null;
  /** Other names it answers to (the spellings of issue trackers and other tools). */
  aliases?: readonly string[];
}

const s = (report: Report) => report.summary;
/** Reports written before freshness was measured have none: a threshold on it fails, never passes unseen. */
const fresh = (report: Report): Report['summary']['freshness'] | undefined => (s(report) as Partial<Report['summary']>).freshness;

/** Opened streams viewed for 1 s or more have an fps; without one, a threshold on fps fails. */
const withFps = (report: Report): boolean => report.streams.some((stream) => stream.fps !== null);

/** Reports written before the start was measured (schema 1) have none: a threshold on it fails. */
const START_METRICS: readonly MetricDefinition[] = (
  [
    [
      'client_lateness_ms',
      "camera-load's own delay before a stream's request left (beyond any connect queue) (its event loop, CPU, set-up)",
      'clientLatenessMs',
    ],
    ['connect_queue_ms', 'waiting for a --connect-concurrency slot before the request left', 'connectQueueMs'],
    ['time_to_headers_ms', "from a stream's request leaving to its response headers (the server's answer)", 'timeToHeadersMs'],
  ] as const
).flatMap(([name, meaning, key]) =>
  (['p50', 'p95', 'p99', 'max'] as const).map((p): MetricDefinition => ({
    name: `${name}.${p}`,
    unit: 'ms',
    description: `${p} of ${meaning}`,
    read: (r) => (s(r) as Partial<Report['summary']>).start?.[key]?.[p] ?? null,
  })),
);

const FRESHNESS_METRICS: readonly MetricDefinition[] = [
  ...(['p50', 'p95', 'p99', 'max'] as const).map((p): MetricDefinition => ({
    name: `delay_ms.${p}`,
    aliases: [`delay.${p}`],
    unit: 'ms',
    description: `queueing delay, ${p}: a frame's age less its stream's smallest age (needs part timestamps, not synced clocks)`,
    read: (r) => {
      const delay = fresh(r)?.delayMs;
      return delay !== undefined && delay.count > 0 ? delay[p] : null;
    },
  })),
  ...(['p50', 'p95', 'p99', 'max'] as const).map((p): MetricDefinition => ({
    name: `age_ms.${p}`,
    aliases: [`age.${p}`],
    unit: 'ms',
    description: `raw frame age, ${p}: receive time − the camera's capture time (valid only with synced clocks)`,
    read: (r) => fresh(r)?.ageMs?.[p] ?? null,
  })),
  ...(['min', 'p5', 'p50'] as const).map((p): MetricDefinition => ({
    name: `fresh_fps.${p}`,
    aliases: [`freshFps.${p}`],
    unit: 'frames/s',
    description: `${p === 'min' ? 'lowest' : `${p} of the`} per-stream fps of new pictures (repeats left out)`,
    read: (r) => (s(r).streamsOpened > 0 ? (fresh(r)?.freshFpsPerStream[p] ?? null) : null),
  })),
  {
    name: 'fresh_fps.avg',
    aliases: ['freshFps.avg'],
    unit: 'frames/s',
    description: 'mean per-stream fps of new pictures',
    read: (r) => (s(r).streamsOpened > 0 ? (fresh(r)?.avgFreshFpsPerStream ?? null) : null),
  },
  {
    name: 'frozen',
    unit: 'count',
    description: 'FROZEN events: a picture unchanged for over --freeze-timeout while frames kept coming',
    read: (r) => fresh(r)?.frozenEvents ?? null,
  },
  {
    name: 'repeated_frames',
    unit: 'count',
    description: "frames byte-identical to their stream's previous one",
    read: (r) => fresh(r)?.repeatedFrames ?? null,
  },
  {
    name: 'skipped_frames',
    unit: 'count',
    description: 'frames the server skipped, told by capture-time jumps within a connection (fails without capture times)',
    read: (r) => fresh(r)?.skippedFrames ?? null,
  },
  {
    name: 'streams.growing_delay',
    unit: 'streams',
    description: 'streams whose delay grew steadily (a queue that never drains)',
    read: (r) => fresh(r)?.streamsWithGrowingDelay ?? null,
  },
];

/** The normal viewers' isolation (runs with viewer groups): a run without groups, or not judged, has none and fails. */
const isolation = (report: Report): IsolationReport | undefined => report.viewerGroups?.find((g) => g.group === 'normal')?.isolation;

const ISOLATION_METRICS: readonly MetricDefinition[] = [
  {
    name: 'isolation.fps_change_pct',
    unit: '%',
    description: "the normal viewers' fps p5 after the viewer groups' fill against the lead-in's, in % (negative: they lost frames)",
    read: (r) => isolation(r)?.fpsChangePct ?? null,
  },
  {
    name: 'isolation.gap_change_ms',
    unit: 'ms',
    description: "the normal viewers' frame gap p95 after the groups' fill less the lead-in's",
    read: (r) => isolation(r)?.gapChangeMs ?? null,
  },
  {
    name: 'isolation.delay_change_ms',
    unit: 'ms',
    description: "the normal viewers' queueing delay p95 after the groups' fill less the lead-in's (needs capture times)",
    read: (r) => isolation(r)?.delayChangeMs ?? null,
  },
];

export const METRICS: readonly MetricDefinition[] = [
  { name: 'streams.opened', unit: 'streams', description: 'streams that received a frame', read: (r) => s(r).streamsOpened },
  {
    name: 'streams.opened_ratio',
    unit: '0-1',
    description: 'streams that received a frame ÷ streams planned',
    read: (r) => (s(r).streamsPlanned > 0 ? s(r).streamsOpened / s(r).streamsPlanned : null),
  },
  { name: 'streams.open_at_end', unit: 'streams', description: 'streams with a response open when the run ended', read: (r) => s(r).streamsOpenAtEnd },
  {
    name: 'fps.avg',
    unit: 'frames/s',
    description: 'mean fps per opened stream (frames from its first frame on)',
    read: (r) => (withFps(r) ? s(r).avgFpsPerStream : null),
  },
  { name: 'fps.min', unit: 'frames/s', description: 'lowest fps of an opened stream', read: (r) => (withFps(r) ? s(r).fpsPerStream.min : null) },
  { name: 'fps.p5', unit: 'frames/s', description: '5th percentile of per-stream fps', read: (r) => (withFps(r) ? s(r).fpsPerStream.p5 : null) },
  { name: 'fps.p50', unit: 'frames/s', description: 'median per-stream fps', read: (r) => (withFps(r) ? s(r).fpsPerStream.p50 : null) },
  { name: 'fps.aggregate', unit: 'frames/s', description: 'all frames ÷ duration', read: (r) => s(r).aggregateFps },
  ...(['p50', 'p95', 'p99', 'max'] as const).map((p): MetricDefinition => ({
    name: `frame_gap_ms.${p}`,
    unit: 'ms',
    description: `${p === 'max' ? 'longest' : `${p} of the`} gap between consecutive frames of a stream`,
    read: (r) => (s(r).frameGapMs.count > 0 ? s(r).frameGapMs[p] : null),
  })),
  ...(['p50', 'p95', 'max'] as const).map((p): MetricDefinition => ({
    name: `ttff_ms.${p}`,
    unit: 'ms',
    description: `time to first frame, ${p}, over opened streams (from the request leaving)`,
    read: (r) => s(r).timeToFirstFrameMs?.[p] ?? null,
  })),
  { name: 'reconnections', unit: 'count', description: 'reconnections, all streams', read: (r) => s(r).totalReconnections },
  {
    name: 'errors',
    unit: 'count',
    description: 'connections that ended, any code (HTTP_5xx, STALL, ECONNRESET, ENDED, …)',
    read: (r) => Object.values(s(r).errors).reduce((a, b) => a + b, 0),
  },
  { name: 'stalls', unit: 'count', description: 'connections dropped for completing no frame within --stall-timeout', read: (r) => s(r).totalStalls },
  { name: 'corrupt_frames', unit: 'count', description: 'image parts that were not a complete JPEG', read: (r) => s(r).corruptFrames },
  { name: 'frames', unit: 'count', description: 'complete frames received, all streams', read: (r) => s(r).totalFrames },
  { name: 'bandwidth_mbps', unit: 'Mbit/s', description: 'body bytes × 8 ÷ duration ÷ 10⁶', read: (r) => s(r).bandwidthMbps },
  { name: 'uptime.min', unit: '0-1', description: 'share of the run the worst stream was connected', read: (r) => s(r).uptimeMin },
  { name: 'uptime.avg', unit: '0-1', description: 'mean share of the run the streams were connected', read: (r) => s(r).uptimeAvg },
  ...START_METRICS,
  ...FRESHNESS_METRICS,
  ...ISOLATION_METRICS,
  ...STORM_METRICS,
];

/** Every metric by its name and by each of its aliases. */
export const METRICS_BY_NAME = new Map(METRICS.flatMap((metric) => [metric.name, ...(metric.aliases ?? [])].map((name) => [name, metric] as const)));
