import type { StreamFreshness, StreamReport } from '../report/report-types.js';
import { groupOf } from '../report/report-for-viewers.js';
import { streamFreshnessOf } from './older-reports.js';

/**
 * Positions in a row of the embedded camera table. The freshness columns and fps hold -1 where nothing was measured (an
 * older report; delayP95 also for a stream without capture times; fps under 1 s of viewing); growingDelay is 1 or 0.
 */
export const COLUMNS = [
  'index',
  'cameraId',
  'name',
  'ordinal',
  'opened',
  'fps',
  'frames',
  'reconnections',
  'stalls',
  'uptime',
  'errorCount',
  'errors',
  'lastError',
  'freshFps',
  'delayP95',
  'repeated',
  'frozen',
  'growingDelay',
] as const;

/**
 * The per-stream table as the page embeds it: rows of numbers, every string an index into `strings` (names
 * repeat with several streams per camera; last-error messages repeat across cameras), -1 for none. Arrays
 * rather than objects keep 10,000 streams near 100 bytes each.
 */
export interface CameraTable {
  columns: typeof COLUMNS;
  strings: string[];
  rows: number[][];
  /** More than one stream per camera: rows show which of the camera's streams they are. */
  perCamera: boolean;
  /** The report measured freshness: the table shows its columns. */
  freshness: boolean;
  /**
   * A run with viewer groups only: each row's group, an index into `strings`, in the order of `rows` (apart from
   * them, so that the rows of a run without groups stay as they were).
   */
  viewers?: number[];
}

/** One stream as the table shows it, before the strings are pooled. */
export interface CameraRow {
  stream: StreamReport;
  /** 1-based position among its camera's streams. */
  ordinal: number;
  errorCount: number;
  /** "HTTP_503 ×5, ECONNRESET ×2", the most frequent first; '' when none. */
  errors: string;
  /** "CODE: message"; '' when none. */
  lastError: string;
  /** null: not measured (a report from before freshness). */
  freshness: StreamFreshness | null;
}

function errorsText(errors: Record<string, number>): string {
  return Object.entries(errors)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([code, n]) => `${code} ×${n}`)
    .join(', ');
}

/** Reconnections, stalls, errors, FROZEN events, and a delay that kept growing (a queue that never drains) as one. */
export const problems = (row: CameraRow): number =>
  row.stream.reconnections + row.stream.stalls + row.errorCount + (row.freshness?.frozen ?? 0) + (row.freshness?.growingDelay === true ? 1 : 0);

/** Problems first: never opened, then the most reconnections, stalls, errors and freshness problems, then the lowest uptime. */
function compareProblems(a: CameraRow, b: CameraRow): number {
  return Number(a.stream.opened) - Number(b.stream.opened) || problems(b) - problems(a) || a.stream.uptime - b.stream.uptime || a.stream.index - b.stream.index;
}

export function cameraRows(streams: readonly StreamReport[]): CameraRow[] {
  const seen = new Map<string, number>();
  const rows = [...streams]
    .sort((a, b) => a.index - b.index)
    .map((stream): CameraRow => {
      const ordinal = (seen.get(stream.cameraId) ?? 0) + 1;
      seen.set(stream.cameraId, ordinal);
      const errorCount = Object.values(stream.errors).reduce((sum, n) => sum + n, 0);
      const last = stream.lastError;
      return {
        stream,
        ordinal,
        errorCount,
        errors: errorsText(stream.errors),
        lastError: last ? `${last.code}: ${last.message}` : '',
        freshness: streamFreshnessOf(stream),
      };
    });
  return rows.sort(compareProblems);
}

const round = (value: number, digits: number): number => {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
};

export function cameraTable(rows: readonly CameraRow[], perCamera: boolean, freshness: boolean, groups = false): CameraTable {
  const strings: string[] = [];
  const pool = new Map<string, number>();
  const ref = (text: string): number => {
    let at = pool.get(text);
    if (at === undefined) {
      at = strings.push(text) - 1;
      pool.set(text, at);
    }
    return at;
  };
  const optional = (text: string): number => (text === '' ? -1 : ref(text));
  return {
    columns: COLUMNS,
    strings,
    rows: rows.map(({ stream, ordinal, errorCount, errors, lastError, freshness: f }) => [
      stream.index,
      ref(stream.cameraId),
      ref(stream.name),
      ordinal,
      stream.opened ? 1 : 0,
      stream.fps === null ? -1 : round(stream.fps, 3),
      stream.frames,
      stream.reconnections,
      stream.stalls,
      round(stream.uptime, 4),
      errorCount,
      optional(errors),
      optional(lastError),
      f?.freshFps === null || f?.freshFps === undefined ? -1 : round(f.freshFps, 3),
      f === null || f.delayMs.count === 0 ? -1 : round(f.delayMs.p95, 1),
      f === null ? -1 : f.repeatedFrames,
      f === null ? -1 : f.frozen,
      f?.growingDelay === true ? 1 : 0,
    ]),
    perCamera,
    freshness,
    ...(groups ? { viewers: rows.map((row) => ref(groupOf(row.stream))) } : {}),
  };
}
