import type { StreamStats } from '../metrics/stream-stats.js';
import { rank, round } from './numbers.js';
import type { StartPercentiles, StartSummary, StreamReport, StreamStart } from './report-types.js';
import { startWaits } from '../metrics/start-waits.js';

// What is whose in a stream's start. Before its request leaves, a stream waits for camera-load: first for camera-load
// itself to get to it (its event loop, its CPU, its set-up of the streams before it: *client lateness*), then for a
// connect slot held by requests that await the server (*the connect queue*). From the request leaving on, the time
// is the server's: time to headers, first byte, first frame, and uptime count from there.

/** A viewing window shorter than this gives no fps: one frame more or less would move it by over 1 fps. */
export const MIN_FPS_WINDOW_MS = 1_000;

/**
 * One stream's start on the run clock. A stream still waiting when the run ended is charged its wait up to the end
 * (it never left); one whose time had not come yet waited for nothing.
 */
export function streamStart(s: StreamStats, endMs: number): StreamStart {
  const waits = startWaits(s.start, endMs);
  return {
    scheduledAtMs: round(s.start.scheduledAt, 1),
    requestSentAtMs: s.start.requestSentAt === undefined ? null : round(s.start.requestSentAt, 1),
    headersAtMs: s.start.headersAt === undefined ? null : round(s.start.headersAt, 1),
    firstFrameAtMs: s.firstFrameAt === undefined ? null : round(s.firstFrameAt, 1),
    clientLatenessMs: waits.clientLatenessMs === undefined ? null : round(waits.clientLatenessMs, 1),
    connectQueueMs: waits.connectQueueMs === undefined ? null : round(waits.connectQueueMs, 1),
  };
}

/**
 * A viewer's frame rate: the frames after the first, per second from the first frame to `endMs` (outages after it
 * count; time away on purpose between a stage's visits does not). Each visit's first frame opens its window rather
 * than counting in it: counted too, a steady 5 fps read 5.2 in a 5 s run; left out, it reads at most one frame per
 * window low, never high. null under MIN_FPS_WINDOW_MS. `frames`: all of them, or a subset (fresh ones).
 */
export function viewedFps(s: Pick<StreamStats, 'firstFrameAt' | 'visits'>, frames: number, endMs: number): number | null {
  if (s.firstFrameAt === undefined) return null;
  const windowMs = s.visits.fpsWindowMs(s.firstFrameAt, endMs);
  if (windowMs < MIN_FPS_WINDOW_MS) return null;
  return round(Math.max(0, frames - s.visits.framed) / (windowMs / 1000));
}

function percentilesOf(values: number[]): StartPercentiles | null {
  if (values.length === 0) return null;
  const sorted = values.sort((a, b) => a - b);
  return { p50: rank(sorted, 50), p95: rank(sorted, 95), p99: rank(sorted, 99), max: sorted.at(-1) ?? 0 };
}

/** The run's start figures from its streams' own (so a merge of shards computes the same). null: reports before them. */
export function summarizeStart(streams: readonly StreamReport[]): StartSummary | null {
  const starts = streams.flatMap((s) => ((s as Partial<StreamReport>).start ? [s.start] : []));
  if (starts.length === 0) return null;
  const pick = (value: (start: StreamStart) => number | null): number[] =>
    starts.flatMap((start) => {
      const v = value(start);
      return v === null ? [] : [v];
    });
  return {
    clientLatenessMs: percentilesOf(pick((start) => start.clientLatenessMs)),
    connectQueueMs: percentilesOf(pick((start) => start.connectQueueMs)),
    timeToHeadersMs: percentilesOf(
      pick((start) => (start.headersAtMs === null || start.requestSentAtMs === null ? null : round(start.headersAtMs - start.requestSentAtMs, 1))),
    ),
    requestsNeverSent: starts.filter((start) => start.requestSentAtMs === null && start.connectQueueMs !== null).length,
  };
}

/**
 * When camera-load's own lateness makes a run not valid: its 95th-percentile stream's request left later than both
 * floorMs and shareOfDuration of the run. Past that, a twentieth of the streams put their load on the server a tenth
 * of the run late, and a client that late also read its frames late. Measured (docs/benchmarks.md, A stream's
 * start): 2,000 streams started at once on 2 cores read p95 0.93 s, the latest up to 1.29 s (first frames as soon as
 * a bare undici client's), a ramp 12 ms p99; the floor stays clear of both.
 */
export const CLIENT_LATENESS_LIMIT = { floorMs: 2_000, shareOfDuration: 0.1 } as const;

/** The reason the start makes the run not valid, or undefined when it does not. */
export function latenessProblem(start: StartSummary | null, targetDurationMs: number): string | undefined {
  const late = start?.clientLatenessMs;
  if (!late) return undefined;
  const limitMs = Math.max(CLIENT_LATENESS_LIMIT.floorMs, CLIENT_LATENESS_LIMIT.shareOfDuration * targetDurationMs);
  if (late.p95 <= limitMs) return undefined;
  return (
    `camera-load itself was late starting the streams: client lateness p95 ${Math.round(late.p95)} ms, max ${Math.round(late.max)} ms ` +
    `(the limit is ${Math.round(limitMs)} ms: ${CLIENT_LATENESS_LIMIT.floorMs} ms or ${CLIENT_LATENESS_LIMIT.shareOfDuration * 100}% of the duration, the larger)`
  );
}
