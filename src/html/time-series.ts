import { DEFAULT_SATURATION } from '../metrics/client-health.js';
import { meanDelay } from '../metrics/timeline.js';
import type { Report } from '../report/report-types.js';
import { samplesOf, timelineOf, type LooseTimelineRow } from './older-reports.js';

/** The timeline as columns (uPlot's data layout), on one axis: seconds since report.startedAt. */
export interface TimelineSeries {
  t: number[];
  /** Each row's length: a row covers [t, t + seconds] (the last one of a run or a merge may be short). */
  seconds: number[];
  openStreams: number[];
  fps: number[];
  /** fps ÷ open streams; null while none was open. */
  fpsPerStream: (number | null)[];
  /** Frames per second that were not a repeat of their stream's previous picture; null: not measured (an older report). */
  freshFps: (number | null)[] | null;
  /** Mean queueing delay (ms) of the row's timestamped frames; null where none carried a capture time (a gap). */
  delayMs: (number | null)[];
  mbps: number[];
  reconnections: number[];
  /** Errors per row by code; older reports only knew the total, kept under ERRORS_TOTAL. */
  errors: Record<string, number[]>;
}

export const ERRORS_TOTAL = 'errors';
/** Rows of an older shard, in a merge with newer ones, that counted errors without their codes. */
export const ERRORS_UNCODED = 'errors (code not recorded)';

/** This machine's health, on the same axis. Empty in a merged report: each shard ran on its own machine. */
export interface ClientSeries {
  t: number[];
  processCpuPercent: number[];
  cpuPercent: number[];
  eventLoopDelayP99Ms: number[];
  /** The limits above which a sample counts as saturated. */
  cpuLimitPercent: number;
  eventLoopLimitMs: number;
}

const round = (value: number, digits: number): number => {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
};

/**
 * The run's last row is often a sliver (the few ms between the last tick and the stop): a rate over 30 ms is
 * noise, and as a bar it would be one pixel wide and narrow every other bar to match. It is folded into the row
 * before it, as the timeline coarsens its own rows (counts added, rates weighted by length).
 */
export function foldSlivers(rows: readonly LooseTimelineRow[]): LooseTimelineRow[] {
  const lengths = rows.map((row) => row.seconds).sort((a, b) => a - b);
  const typical = lengths[Math.floor(lengths.length / 2)] ?? 0;
  const folded: LooseTimelineRow[] = [];
  for (const row of rows) {
    const previous = folded.at(-1);
    if (previous === undefined || row.seconds >= typical / 5) {
      folded.push(row);
      continue;
    }
    const seconds = previous.seconds + row.seconds;
    const weighted = (a: number, b: number): number => (seconds > 0 ? (a * previous.seconds + b * row.seconds) / seconds : a);
    const codes: Record<string, number> = { ...previous.errorsByCode };
    for (const [code, n] of Object.entries(row.errorsByCode ?? {})) codes[code] = (codes[code] ?? 0) + n;
    folded[folded.length - 1] = {
      ...previous,
      ...foldFreshness(previous, row, weighted),
      seconds,
      fps: weighted(previous.fps, row.fps),
      bytesPerSecond: weighted(previous.bytesPerSecond, row.bytesPerSecond),
      reconnections: previous.reconnections + row.reconnections,
      errors: previous.errors + row.errors,
      ...(previous.errorsByCode !== undefined || row.errorsByCode !== undefined ? { errorsByCode: codes } : {}),
    };
  }
  return folded;
}

/** The freshness fields of two folded rows, when both have them (rows of an older shard may not). */
function foldFreshness(a: LooseTimelineRow, b: LooseTimelineRow, weighted: (a: number, b: number) => number): Partial<LooseTimelineRow> {
  const fresh = a.freshFps !== undefined && b.freshFps !== undefined ? { freshFps: weighted(a.freshFps, b.freshFps) } : {};
  if (a.timestampedFrames === undefined || b.timestampedFrames === undefined) return fresh;
  const delay = meanDelay(
    { timestampedFrames: a.timestampedFrames, delayMsMean: a.delayMsMean ?? null },
    { timestampedFrames: b.timestampedFrames, delayMsMean: b.delayMsMean ?? null },
  );
  return { ...fresh, timestampedFrames: a.timestampedFrames + b.timestampedFrames, delayMsMean: delay };
}

/** Seconds since startedAt. Shards on different machines align by wall clock (`at`); older rows only have `t`. */
function rowStart(row: LooseTimelineRow, start: number): number {
  return round(row.at !== undefined && Number.isFinite(start) ? (row.at - start) / 1000 : row.t, 3);
}

export function timelineSeries(report: Report): TimelineSeries {
  const rows = foldSlivers(timelineOf(report));
  const start = Date.parse(report.startedAt);
  const coded = rows.some((row) => row.errorsByCode !== undefined);
  const codes = new Set<string>();
  for (const row of rows) for (const code of Object.keys(row.errorsByCode ?? {})) codes.add(code);
  const errors: Record<string, number[]> = {};
  if (!coded) errors[ERRORS_TOTAL] = rows.map((row) => row.errors);
  else {
    for (const code of [...codes].sort()) errors[code] = rows.map((row) => row.errorsByCode?.[code] ?? 0);
    if (rows.some((row) => row.errorsByCode === undefined && row.errors > 0)) {
      errors[ERRORS_UNCODED] = rows.map((row) => (row.errorsByCode === undefined ? row.errors : 0));
    }
  }
  return {
    t: rows.map((row) => rowStart(row, start)),
    seconds: rows.map((row) => round(row.seconds, 3)),
    openStreams: rows.map((row) => row.openStreams),
    fps: rows.map((row) => round(row.fps, 2)),
    fpsPerStream: rows.map((row) => (row.openStreams > 0 ? round(row.fps / row.openStreams, 3) : null)),
    freshFps: rows.some((row) => row.freshFps !== undefined) ? rows.map((row) => (row.freshFps === undefined ? null : round(row.freshFps, 2))) : null,
    delayMs: rows.map((row) => (row.delayMsMean === undefined || row.delayMsMean === null ? null : round(row.delayMsMean, 1))),
    mbps: rows.map((row) => round((row.bytesPerSecond * 8) / 1e6, 3)),
    reconnections: rows.map((row) => row.reconnections),
    errors,
  };
}

export function clientSeries(report: Report): ClientSeries {
  const samples = samplesOf(report);
  const limit = report.config.saturationCpuPercent;
  return {
    t: samples.map((s) => round(s.t, 3)),
    processCpuPercent: samples.map((s) => round(s.processCpuPercent, 1)),
    cpuPercent: samples.map((s) => round(s.cpuPercent, 1)),
    eventLoopDelayP99Ms: samples.map((s) => round(s.eventLoopDelayP99Ms, 1)),
    cpuLimitPercent: typeof limit === 'number' ? limit : DEFAULT_SATURATION.processCpuPercent,
    eventLoopLimitMs: DEFAULT_SATURATION.eventLoopDelayP99Ms,
  };
}

/**
 * Where the shared axis ends: the run's length. A row is drawn from its own start over its own length, so the axis
 * is not stretched by a whole interval for a last row that ran past the end; it only grows so that every row's start
 * and every sample stays in view.
 */
export function timeAxisEnd(report: Report, client: ClientSeries): number {
  const start = Date.parse(report.startedAt);
  const lastRow = timelineOf(report).reduce((end, row) => Math.max(end, rowStart(row, start)), 0);
  return round(Math.max(report.summary.durationSeconds, lastRow, client.t.at(-1) ?? 0), 3);
}
