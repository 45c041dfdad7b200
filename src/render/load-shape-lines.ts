import { standingsOf } from '../verdict/stage-verdict.js';
import { stageProblem } from './stage-figures.js';
import { connectionEnds } from './viewer-group-figures.js';
import type { Report, StageReport, StormReport } from '../report/report-types.js';
import { isOpenModel } from '../report/stage-schedule.js';

// The summary's part of the load over time (issue 30): a table of the stages, a line per reconnect storm.

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const ms = (n: number | null): string => (n === null ? 'never' : `${int(n)} ms`);

/** One column of the stage table: its two-line header and its cell. */
interface StageColumn {
  header: readonly [string, string];
  cell: (s: StageReport) => string;
  left?: boolean;
  /** A figure of the open model's only (its rate, its dropped arrivals). */
  openModel?: true;
}

const STAGE_COLUMNS: readonly StageColumn[] = [
  { header: ['stage', ''], cell: (s) => String(s.stage), left: true },
  { header: ['time', 's'], cell: (s) => `${s.fromSeconds}–${s.toSeconds}`, left: true },
  {
    header: ['target', 'streams'],
    cell: (s) =>
      s.arrivalsPerSecond !== undefined ? `≈${s.target.to}` : s.target.from === s.target.to ? String(s.target.to) : `${s.target.from}→${s.target.to}`,
  },
  { header: ['rate', '/s'], cell: (s) => String(s.arrivalsPerSecond ?? ''), openModel: true },
  { header: ['open', 'max'], cell: (s) => (s.openStreams ? int(s.openStreams.max) : 'n/a') },
  { header: ['arrived', ''], cell: (s) => int(s.arrivals) },
  { header: ['left', ''], cell: (s) => int(s.departures) },
  { header: ['dropped', ''], cell: (s) => int(s.droppedArrivals), openModel: true },
  { header: ['fps', 'p5'], cell: (s) => (s.fpsPerStream ? String(s.fpsPerStream.p5) : 'n/a') },
  { header: ['fps', 'p50'], cell: (s) => (s.fpsPerStream ? String(s.fpsPerStream.p50) : 'n/a') },
  { header: ['1st frame', 'p95 ms'], cell: (s) => (s.timeToFirstFrameMs.count > 0 ? int(s.timeToFirstFrameMs.p95) : 'n/a') },
  { header: ['frame gap', 'p95 ms'], cell: (s) => (s.frameGapMs.count > 0 ? int(s.frameGapMs.p95) : 'n/a') },
  { header: ['delay', 'p95 ms'], cell: (s) => (s.delayMs.count > 0 ? int(s.delayMs.p95) : 'n/a') },
  { header: ['reconnections', ''], cell: (s) => int(s.reconnections) },
  // camera-load's own lateness in starting the stage's arrivals: a schedule it did not keep.
  { header: ['late', 'p99 ms'], cell: (s) => (s.clientLatenessMs && s.clientLatenessMs.count > 0 ? int(s.clientLatenessMs.p99) : 'n/a') },
];

/** "HTTP_503 ×2, STALL ×1", or "none". */
const codes = (errors: Record<string, number>): string => connectionEnds({ errors });

function stageLines(report: Report, stages: readonly StageReport[]): string[] {
  const open = isOpenModel(stages);
  const columns = STAGE_COLUMNS.filter((c) => open || c.openModel !== true);
  const cells = stages.map((s) => columns.map((c) => c.cell(s)));
  const widths = columns.map((c, i) => Math.max(...c.header.map((h) => h.length), ...cells.map((row) => (row[i] ?? '').length)));
  const line = (row: readonly string[]): string =>
    `  ${row.map((cell, i) => (columns[i]?.left === true ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ')}`.trimEnd();
  // How each stage fared, by the rule every output marks a stage with; then the codes that ended connections in it.
  const problems = standingsOf(report).flatMap((row) => {
    const problem = stageProblem(row, report);
    return problem === null ? [] : [`  stage ${row.stage.stage}: ${problem}`];
  });
  const errors = stages.filter((s) => Object.keys(s.errors).length > 0).map((s) => `  stage ${s.stage}: connections ended ${codes(s.errors)}`);
  return [
    '',
    'STAGES (fps over the viewers watched 1 s or more of each stage)',
    line(columns.map((c) => c.header[0])),
    line(columns.map((c) => c.header[1])),
    ...cells.map(line),
    ...(open ? cameraViewersLines(report) : []),
    ...problems,
    ...errors,
  ];
}

/**
 * The open model's viewers per camera, from each slot's arrivals (a slot keeps its camera): how hot the hottest
 * cameras ran, the fan-out --camera-popularity asked for.
 */
function cameraViewersLines(report: Report): string[] {
  const perCamera = new Map<string, number>();
  for (const s of report.streams) perCamera.set(s.cameraId, (perCamera.get(s.cameraId) ?? 0) + (s.arrivals ?? 0));
  const ranked = [...perCamera].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
  const total = ranked.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return [];
  const top = ranked.slice(0, 3).map(([id, n]) => `camera ${id} ×${int(n)} (${Math.round((n / total) * 100)}%)`);
  const median = ranked[Math.floor((ranked.length - 1) / 2)]?.[1] ?? 0;
  return [`  viewers per camera: ${int(total)} over ${int(ranked.length)} cameras; most watched: ${top.join(', ')}; the median camera ×${int(median)}`];
}

function stormLine(storm: StormReport): string {
  const how = storm.immediate ? 'reconnecting at once' : 'reconnecting under their backoff';
  const back =
    storm.viewers === 0
      ? 'no stream was open'
      : `${int(storm.recovered)} of ${int(storm.viewers)} dropped viewers had a frame again; 95% within ${ms(storm.recovery95Ms)}, all within ${ms(storm.recoveryAllMs)}`;
  return `  ${storm.storm}) at ${storm.atSeconds} s, ${how}: ${back}; ${int(storm.attempts)} attempts, connections ended ${codes(storm.errors)}`;
}

/** The stage table and the storms' recoveries; nothing for a run with neither. */
export function loadShapeLines(report: Report): string[] {
  const stages = report.stages ?? [];
  const storms = report.storms ?? [];
  return [...(stages.length > 0 ? stageLines(report, stages) : []), ...(storms.length > 0 ? ['', 'RECONNECT STORMS', ...storms.map(stormLine)] : [])];
}
