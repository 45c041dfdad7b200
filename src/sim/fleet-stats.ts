import type { FleetTimeline } from './fleet-timeline.js';

/** Exact per-camera counters of what the simulator sent, for comparison with what a client counted. */
export interface CameraCounters {
  id: number;
  /** Stream requests received, whatever the answer. */
  requests: number;
  /** Requests answered with a multipart stream. */
  connections: number;
  /** Requests refused with 503 because --max-clients streams were already open. */
  rejected: number;
  /** Valid JPEG parts written. */
  framesSent: number;
  /** Non-JPEG parts written (--corrupt-every). */
  corruptSent: number;
  /** Frames skipped because the client was not reading fast enough (backpressure; --slow-client drop, or a full queue). */
  framesDropped: number;
  /** Streams ended because their client stayed behind (--slow-client disconnect). */
  slowDisconnects: number;
  /** Bytes written and not yet taken by the socket, over this camera's streams now (--slow-client queue holds them). */
  queuedBytes: number;
  /** The most bytes one of this camera's streams held queued at once (in totals: the largest of any camera). */
  peakQueuedBytes: number;
  /** Multipart body bytes written (part headers, images, line endings; not HTTP chunk framing). */
  bytesSent: number;
  /** Connections the simulator closed on purpose (--drop-every). */
  serverDrops: number;
  /** Streams open now. */
  openStreams: number;
  /** Frames re-sent by --freeze: byte-identical to the previous frame, with its X-Timestamp (also in framesSent). */
  framesRepeated: number;
  /** Frames whose send --lag delayed (also in framesSent). */
  framesDelayed: number;
  /** Delay --lag added, from capture (X-Timestamp) to the write, summed over delayed frames, in ms. */
  lagDelaySumMs: number;
  /** The largest delay --lag added to one frame, in ms (in totals: the largest of any camera). */
  lagDelayMaxMs: number;
  /** The delay --lag added to the latest delayed frame, in ms (in totals: the largest of any camera). */
  lagDelayLastMs: number;
}

export type FleetTotals = Omit<CameraCounters, 'id'>;

const COUNTER_KEYS = [
  'requests',
  'connections',
  'rejected',
  'framesSent',
  'corruptSent',
  'framesDropped',
  'slowDisconnects',
  'queuedBytes',
  'bytesSent',
  'serverDrops',
  'openStreams',
  'framesRepeated',
  'framesDelayed',
  'lagDelaySumMs',
] as const satisfies readonly (keyof FleetTotals)[];

// Counters whose fleet figure is the largest camera's, not a sum: a sum of maxima means nothing.
const MAX_KEYS = ['lagDelayMaxMs', 'lagDelayLastMs', 'peakQueuedBytes'] as const satisfies readonly (keyof FleetTotals)[];

function zeroTotals(): FleetTotals {
  return Object.fromEntries([...COUNTER_KEYS, ...MAX_KEYS].map((key) => [key, 0])) as unknown as FleetTotals;
}

export function newCameraCounters(id: number): CameraCounters {
  return { id, ...zeroTotals() };
}

export interface CameraStats extends CameraCounters {
  status: 0 | 1;
  faults: string[];
}

export interface FleetStats {
  uptimeSeconds: number;
  /** Streams open now, and the most open at once since start. */
  openStreams: number;
  peakOpenStreams: number;
  /** Share of the nominal frame rate that the bandwidth budget allows now (1 = unthrottled). */
  bandwidthScale: number;
  totals: FleetTotals;
  cameras: CameraStats[];
  /** Second by second since start (the last hour of it): viewers open, accepted and closed, and their spread over cameras. */
  timeline: FleetTimeline;
}

export function sumCounters(cameras: readonly CameraCounters[]): FleetTotals {
  const totals = zeroTotals();
  for (const camera of cameras) {
    for (const key of COUNTER_KEYS) totals[key] += camera[key];
    for (const key of MAX_KEYS) totals[key] = Math.max(totals[key], camera[key]);
  }
  return totals;
}
