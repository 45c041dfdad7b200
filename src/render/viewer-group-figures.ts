import { codesMostFirst } from '../report/error-counts.js';
import type { ReportSummary, ViewerGroupReport } from '../report/report-types.js';

// A viewer group's key figures (issue 29), one list for every output that shows them: the summary's table, the
// job summary's Markdown table and JUnit's system-out name and format them alike.

const int = (n: number): string => Math.round(n).toLocaleString('en-US');

/** One figure of a group: its name with its statistic and unit, in full and as a two-line column header. */
export interface GroupFigure {
  /** In full, with its unit: "time to first frame p95 (ms)". */
  name: string;
  /** A narrow table's header: the figure over its statistic and unit. */
  header: readonly [string, string];
  value: (summary: ReportSummary) => string;
}

/** "n/a" when no stream of the group opened: its percentiles of nothing would read as zeros. */
const ifOpened = (s: ReportSummary, value: () => string): string => (s.streamsOpened > 0 ? value() : 'n/a');

export const GROUP_FIGURES: readonly GroupFigure[] = [
  { name: 'streams opened of planned', header: ['streams', 'opened'], value: (s) => `${int(s.streamsOpened)} of ${int(s.streamsPlanned)}` },
  { name: 'fps per stream p5', header: ['fps', 'p5'], value: (s) => ifOpened(s, () => String(s.fpsPerStream.p5)) },
  { name: 'fps per stream p50', header: ['fps', 'p50'], value: (s) => ifOpened(s, () => String(s.fpsPerStream.p50)) },
  { name: 'fresh fps per stream p50', header: ['fresh fps', 'p50'], value: (s) => ifOpened(s, () => String(s.freshness.freshFpsPerStream.p50)) },
  {
    name: 'time to first frame p95 (ms)',
    header: ['1st frame', 'p95 ms'],
    value: (s) => (s.timeToFirstFrameMs ? int(s.timeToFirstFrameMs.p95) : 'n/a'),
  },
  { name: 'frame gap p95 (ms)', header: ['frame gap', 'p95 ms'], value: (s) => (s.frameGapMs.count > 0 ? int(s.frameGapMs.p95) : 'n/a') },
  // n/a: none of the group's frames carried a capture time (or none whose clock could time a queue).
  { name: 'queueing delay p95 (ms)', header: ['delay', 'p95 ms'], value: (s) => (s.freshness.delayMs.count > 0 ? int(s.freshness.delayMs.p95) : 'n/a') },
  { name: 'repeated frames', header: ['repeated', 'frames'], value: (s) => int(s.freshness.repeatedFrames) },
  { name: 'reconnections', header: ['reconnections', ''], value: (s) => int(s.totalReconnections) },
];

/**
 * The codes that ended the group's (or a stage's) connections, most first: "HTTP_503 ×2, ECONNRESET ×1"; "none" without any.
 * Past `limit` codes, the rest are counted: "… and 2 more codes".
 */
export function connectionEnds(summary: Pick<ReportSummary, 'errors'>, limit = Infinity): string {
  const ends = codesMostFirst(summary.errors);
  if (ends.length === 0) return 'none';
  const listed = ends.slice(0, limit).map(([code, n]) => `${code} ×${int(n)}`);
  const more = ends.length - listed.length;
  return `${listed.join(', ')}${more > 0 ? `, … and ${more} more code${more === 1 ? '' : 's'}` : ''}`;
}

const decimal = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 1 });

/** When the group began to read as it does: "from the start" (normal), "from 15 s". */
export const began = (group: ViewerGroupReport): string => (group.beganAtSeconds > 0 ? `from ${decimal(group.beganAtSeconds)} s` : 'from the start');

/** The share of the planned streams asked for: "20%". */
export const share = (group: ViewerGroupReport): string => `${decimal(group.share * 100)}%`;

/**
 * What the group did to the server, or suffered: a slow, pausing or stuck group's fill (when the server felt its
 * viewers), the normal group's isolation verdict (were they hurt once the others began). null: the report has neither.
 */
export function groupOutcome(group: ViewerGroupReport): string | null {
  if (group.isolation) return `isolation: ${group.isolation.verdict}`;
  const fill = group.fill;
  if (!fill) return null;
  const felt = `the server felt ${int(fill.felt)} of ${int(fill.of)} viewers`;
  if (fill.p50Seconds === null) return `${felt}: no fill time (not half of them)`;
  return `${felt}: fill time ${decimal(fill.p50Seconds)} s${fill.maxSeconds === null ? '' : ` (the last ${decimal(fill.maxSeconds)} s)`} after it began`;
}
