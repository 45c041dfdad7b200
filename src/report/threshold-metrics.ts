import type { Report } from './report-types.js';

/** A metric a threshold can name: what it means, its unit, and where the report has it. */
export interface MetricDefinition {
  name: string;
  unit: string;
  description: string;
  /** null when the run has no such figure (no stream opened, say): a threshold on it fails. */
  read: (report: Report) => number | null;
}

const s = (report: Report) => report.summary;

export const METRICS: readonly MetricDefinition[] = [
  { name: 'streams.opened', unit: 'streams', description: 'streams that received a frame', read: (r) => s(r).streamsOpened },
  {
    name: 'streams.opened_ratio',
    unit: '0-1',
    description: 'streams that received a frame ÷ streams planned',
    read: (r) => (s(r).streamsPlanned > 0 ? s(r).streamsOpened / s(r).streamsPlanned : null),
  },
  { name: 'streams.open_at_end', unit: 'streams', description: 'streams with a response open when the run ended', read: (r) => s(r).streamsOpenAtEnd },
  { name: 'fps.avg', unit: 'frames/s', description: 'mean fps per opened stream', read: (r) => (s(r).streamsOpened > 0 ? s(r).avgFpsPerStream : null) },
  { name: 'fps.min', unit: 'frames/s', description: 'lowest fps of an opened stream', read: (r) => (s(r).streamsOpened > 0 ? s(r).fpsPerStream.min : null) },
  { name: 'fps.p5', unit: 'frames/s', description: '5th percentile of per-stream fps', read: (r) => (s(r).streamsOpened > 0 ? s(r).fpsPerStream.p5 : null) },
  { name: 'fps.p50', unit: 'frames/s', description: 'median per-stream fps', read: (r) => (s(r).streamsOpened > 0 ? s(r).fpsPerStream.p50 : null) },
  { name: 'fps.aggregate', unit: 'frames/s', description: 'all frames ÷ duration', read: (r) => s(r).aggregateFps },
  ...(['p50', 'p95', 'p99', 'max'] as const).map(
    (p): MetricDefinition => ({
      name: `frame_gap_ms.${p}`,
      unit: 'ms',
      description: `${p === 'max' ? 'longest' : `${p} of the`} gap between consecutive frames of a stream`,
      read: (r) => (s(r).frameGapMs.count > 0 ? s(r).frameGapMs[p] : null),
    }),
  ),
  ...(['p50', 'p95', 'max'] as const).map(
    (p): MetricDefinition => ({
      name: `ttff_ms.${p}`,
      unit: 'ms',
      description: `time to first frame, ${p}, over opened streams`,
      read: (r) => s(r).timeToFirstFrameMs?.[p] ?? null,
    }),
  ),
  { name: 'reconnections', unit: 'count', description: 'reconnections, all streams', read: (r) => s(r).totalReconnections },
  {
    name: 'errors',
    unit: 'count',
    description: 'connections that ended, any code (HTTP_5xx, STALL, ECONNRESET, ENDED, …)',
    read: (r) => Object.values(s(r).errors).reduce((a, b) => a + b, 0),
  },
  { name: 'stalls', unit: 'count', description: 'connections dropped for silence', read: (r) => s(r).totalStalls },
  { name: 'corrupt_frames', unit: 'count', description: 'image parts that were not a complete JPEG', read: (r) => s(r).corruptFrames },
  { name: 'frames', unit: 'count', description: 'complete frames received, all streams', read: (r) => s(r).totalFrames },
  { name: 'bandwidth_mbps', unit: 'Mbit/s', description: 'body bytes × 8 ÷ duration ÷ 10⁶', read: (r) => s(r).bandwidthMbps },
  { name: 'uptime.min', unit: '0-1', description: 'share of the run the worst stream was connected', read: (r) => s(r).uptimeMin },
  { name: 'uptime.avg', unit: '0-1', description: 'mean share of the run the streams were connected', read: (r) => s(r).uptimeAvg },
];

export const METRICS_BY_NAME = new Map(METRICS.map((metric) => [metric.name, metric]));
