import { codesMostFirst } from '../report/error-counts.js';
import type { Report, StormReport } from '../report/report-types.js';
import { stormStandingsOf, type StormWithStanding as StormRow } from '../verdict/storm-verdict.js';
import { dataTable, type Column } from './blocks.js';
import { html, type Html } from './escape.js';
import { int, num, plural } from './format.js';
import { endCodes } from './viewer-groups-section.js';

// The reconnect storms of --storm-at (issue 30): how fast the server took every viewer back at once, a row a storm,
// and each storm marked on the time charts, so that the dip and the surge after it are read against it.

const NONE = '—';

/** The storms of a report with them, each with how it fared; null for a run without --storm-at. */
export function stormRowsOf(report: Report): StormRow[] | null {
  const rows = stormStandingsOf(report);
  return rows.length > 0 ? rows : null;
}

/** When each storm struck on the charts' time axis (seconds since the start); null when none did. A storm that never struck dropped nothing to mark. */
export function stormMarks(report: Report): { storm: number; at: number }[] | null {
  const marks = (report.storms ?? []).flatMap((s) => (s.struckAtSeconds === null ? [] : [{ storm: s.storm, at: s.struckAtSeconds }]));
  return marks.length > 0 ? marks : null;
}

/** Until 95% or all had a frame again: "never" when fewer did by the run's end. */
const until = (ms: number | null): string => (ms === null ? 'never' : int(ms));

/** "480 / 512"; a dash when the storm dropped nobody: there was nothing to recover. */
const recoveredWithin = (s: StormReport): string => (s.viewers === 0 ? NONE : `${until(s.recovery95Ms)} / ${until(s.recoveryAllMs)}`);

/** A storm the run did not reach dropped nothing: its cells say so once, not as zeros. */
const ifRan =
  (cell: (storm: StormReport) => Html | string) =>
  ({ storm, standing }: StormRow): Html | string =>
    standing.ran ? cell(storm) : NONE;

/** The table's columns, one figure each, units in the headers. */
export const STORM_COLUMNS: readonly Column<StormRow>[] = [
  { label: 'Storm', numeric: true, cell: ({ storm }) => storm.storm },
  { label: 'At (s)', numeric: true, cell: ({ storm }) => num(storm.atSeconds, 1) },
  { label: 'Mode', cell: ({ storm }) => (storm.immediate ? 'immediate' : 'backoff') },
  { label: 'Viewers dropped', numeric: true, cell: ifRan((s) => int(s.viewers)) },
  { label: 'Recovered', numeric: true, cell: ifRan((s) => int(s.recovered)) },
  { label: '95% / all recovered within (ms)', numeric: true, cell: ifRan(recoveredWithin) },
  // A percentile of nothing would read 0.
  {
    label: 'Recovery p50 / max (ms)',
    numeric: true,
    cell: ifRan((s) => (s.recoveryMs.count === 0 ? NONE : `${int(s.recoveryMs.p50)} / ${int(s.recoveryMs.max)}`)),
  },
  { label: 'Connection attempts', numeric: true, cell: ifRan((s) => int(s.attempts)) },
  { label: 'Connection ends (code ×count)', cell: ifRan((s) => html`${endCodes(s.errors)}`) },
];

const rowClass = ({ storm, standing }: StormRow): string =>
  !standing.ran ? 'row-skipped' : standing.failed ? 'row-bad' : codesMostFirst(storm.errors).length > 0 ? 'row-warn' : '';

/** The lines above the table: what a row covers, then any storm that failed or did not run. */
function readingNotes(rows: readonly StormRow[]): Html[] {
  const notes = [
    html`<p>${plural(rows.length, 'reconnect storm')}: at each, the client dropped every stream with a response open at once, as a network blip would, and each reconnected under its backoff or at once (immediate). A row follows the dropped viewers until each had a frame again: how long until 95% and all of them had (never: fewer had by the run's end), their connection attempts meanwhile and the codes that ended them. The time charts mark each storm with a line.</p>`,
  ];
  const failed = rows.filter((r) => r.standing.failed).map((r) => r.storm.storm);
  if (failed.length > 0) {
    notes.push(
      html`<p class="note note-warn">${failed.length === 1 ? 'Storm' : 'Storms'} ${failed.join(', ')}: some dropped viewers never had a frame again.</p>`,
    );
  }
  const skipped = rows.filter((r) => !r.standing.ran).map((r) => r.storm.storm);
  if (skipped.length > 0)
    notes.push(html`<p class="muted">${skipped.length === 1 ? 'Storm' : 'Storms'} ${skipped.join(', ')}: not run (the run ended first).</p>`);
  return notes;
}

/** The section, for a report with storms; nothing otherwise. */
export function stormsSection(report: Report): Html | '' {
  const rows = stormRowsOf(report);
  if (rows === null) return '';
  return html`<section id="storms" class="section"><h2>Reconnect storms</h2>
<div class="storm-notes">${readingNotes(rows)}</div>
<div class="storm-table">${dataTable(STORM_COLUMNS, rows, rowClass)}</div></section>`;
}
