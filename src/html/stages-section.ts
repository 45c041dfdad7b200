import { codesMostFirst } from '../report/error-counts.js';
import type { Report, StageReport } from '../report/report-types.js';
import { isOpenModel, stageTarget } from '../report/stage-schedule.js';
import { standingsOf, type StageWithStanding as StageRow } from '../verdict/stage-verdict.js';
import { dataTable, type Column } from './blocks.js';
import { html, type Html } from './escape.js';
import { duration, int, num, plural } from './format.js';
import { endCodes } from './viewer-groups-section.js';

// The stages of --stages (issue 30): how the server held at each level and through each ramp, a row a stage, and
// the same stages shaded on the time charts, so that a dip in a chart is read against the stage it fell in.

const NONE = '—';

/** The stages of a report with them, each with how it fared; null for a run without --stages. */
export function stageRowsOf(report: Report): StageRow[] | null {
  const rows = standingsOf(report);
  return rows.length > 0 ? rows : null;
}

/** Each stage's place on the charts' time axis (seconds since the start), for the page's script to shade. */
export function stageBands(report: Report): { stage: number; from: number; to: number }[] | null {
  return report.stages?.length ? report.stages.map((s) => ({ stage: s.stage, from: s.fromSeconds, to: s.toSeconds })) : null;
}

/** A percentile of nothing measured reads 0: a dash instead. */
const p95 = (p: StageReport['frameGapMs']): string => (p.count === 0 ? NONE : int(p.p95));

/** Viewers open in the stage with a frame in it: "8 / 8". */
function viewersWithFrames({ standing }: StageRow): string {
  if (standing.viewers === null) return NONE;
  return `${int(standing.viewers.withFrames)} / ${int(standing.viewers.open)}`;
}

/** A stage the run did not reach (interrupted) has no figures: its cells say so once, not as zeros. */
const ifRan =
  (cell: (row: StageRow) => Html | string) =>
  (row: StageRow): Html | string =>
    row.standing.ran ? cell(row) : NONE;

/** The open model's own column: the arrivals its cap turned away. */
const DROPPED: Column<StageRow> = { label: 'Arrivals dropped at --max-streams', numeric: true, cell: ifRan(({ stage }) => int(stage.droppedArrivals)) };

/** The table's columns, one figure each, units in the headers; a figure per stage is one more entry here. */
export const STAGE_COLUMNS: readonly Column<StageRow>[] = [
  { label: 'Stage', numeric: true, cell: ({ stage }) => stage.stage },
  { label: 'Time (s)', numeric: true, cell: ({ stage }) => `${num(stage.fromSeconds, 1)}–${num(stage.toSeconds, 1)}` },
  { label: 'Target (streams)', numeric: true, cell: ({ stage }) => stageTarget(stage) },
  {
    label: 'Open streams max / mean',
    numeric: true,
    cell: ifRan(({ stage }) => (stage.openStreams === null ? NONE : `${int(stage.openStreams.max)} / ${num(stage.openStreams.mean, 1)}`)),
  },
  { label: 'Arrivals / departures', numeric: true, cell: ifRan(({ stage }) => `${int(stage.arrivals)} / ${int(stage.departures)}`) },
  DROPPED,
  { label: 'Viewers with a frame / open', numeric: true, cell: ifRan(viewersWithFrames) },
  {
    label: 'Stream fps p5 / p50 (fps)',
    numeric: true,
    cell: ifRan(({ stage }) => (stage.fpsPerStream === null ? NONE : `${num(stage.fpsPerStream.p5)} / ${num(stage.fpsPerStream.p50)}`)),
  },
  { label: 'Time to first frame p95 (ms)', numeric: true, cell: ifRan(({ stage }) => p95(stage.timeToFirstFrameMs)) },
  { label: 'Frame gap p95 (ms)', numeric: true, cell: ifRan(({ stage }) => p95(stage.frameGapMs)) },
  { label: 'Queueing delay p95 (ms)', numeric: true, cell: ifRan(({ stage }) => p95(stage.delayMs)) },
  { label: 'Reconnections (count)', numeric: true, cell: ifRan(({ stage }) => int(stage.reconnections)) },
  {
    label: "Arrivals' client lateness p99 (ms)",
    numeric: true,
    cell: ifRan(({ stage }) => (stage.clientLatenessMs === undefined || stage.clientLatenessMs.count === 0 ? NONE : int(stage.clientLatenessMs.p99))),
  },
  { label: 'Connection ends (code ×count)', cell: ifRan(({ stage }) => html`${endCodes(stage.errors)}`) },
];

/** The arrivals dropped at the cap only in the open model's table. */
const columnsFor = (report: Report): readonly Column<StageRow>[] => (isOpenModel(report.stages) ? STAGE_COLUMNS : STAGE_COLUMNS.filter((c) => c !== DROPPED));

const rowClass = ({ stage, standing }: StageRow): string =>
  !standing.ran ? 'row-skipped' : standing.failed ? 'row-bad' : stage.reconnections > 0 || codesMostFirst(stage.errors).length > 0 ? 'row-warn' : '';

/** The lines above the table: what a row covers, then any stage that failed or did not run. */
function readingNotes(rows: readonly StageRow[]): Html[] {
  const last = rows.at(-1)?.stage.toSeconds ?? 0;
  const how = isOpenModel(rows.map((r) => r.stage))
    ? "viewers arrived at its rate (Poisson), each for its watch time; its target is the concurrency Little's law expects once the rate has held for a watch time, and an arrival that found --max-streams viewers open was dropped (camera-load's cap, not the server's)"
    : 'the concurrent streams went linearly from its start target to its end target';
  const notes = [
    html`<p>${plural(rows.length, 'stage')} over ${duration(last)}: in each, ${how}. Each row counts what happened within its stage, all streams: a viewer's arrival (its stream opened) and departure (its visit ended), frames, gaps and delays; fps per stream over the viewers watched 1 s or more of it. The time charts shade the stages in alternating bands, numbered at the top.</p>`,
  ];
  const failed = rows.filter((r) => r.standing.failed).map((r) => r.stage.stage);
  if (failed.length > 0) {
    notes.push(html`<p class="note note-warn">${failed.length === 1 ? 'Stage' : 'Stages'} ${failed.join(', ')}: viewers were open and none had a frame.</p>`);
  }
  const skipped = rows.filter((r) => !r.standing.ran).map((r) => r.stage.stage);
  if (skipped.length > 0)
    notes.push(html`<p class="muted">${skipped.length === 1 ? 'Stage' : 'Stages'} ${skipped.join(', ')}: not run (the run ended first).</p>`);
  return notes;
}

/** The section, for a report with stages; nothing otherwise. */
export function stagesSection(report: Report): Html | '' {
  const rows = stageRowsOf(report);
  if (rows === null) return '';
  return html`<section id="stages" class="section"><h2>Stages</h2>
<div class="stage-notes">${readingNotes(rows)}</div>
<div class="stage-table">${dataTable(columnsFor(report), rows, rowClass)}</div></section>`;
}
