import { problems, type CameraRow } from './camera-rows.js';
import { html, type Html } from './escape.js';
import { int, percent, plural } from './format.js';
import { groupOf } from '../report/report-for-viewers.js';
import { groupBadge } from './viewer-groups-section.js';

interface Header {
  /** The embedded column it sorts by (data-sort); the script reads the same names. */
  key: string;
  label: string;
  numeric: boolean;
}

const FRESHNESS_HEADERS: Header[] = [
  { key: 'delayP95', label: 'Delay p95', numeric: true },
  { key: 'repeated', label: 'Repeated', numeric: true },
  { key: 'frozen', label: 'Frozen', numeric: true },
];

/**
 * The freshness columns only when the report measured it: in an older report they would be all dashes; the viewer
 * group only in a run with groups.
 */
export function headers(perCamera: boolean, freshness: boolean, groups = false): Header[] {
  return [
    { key: 'index', label: '#', numeric: true },
    { key: 'cameraId', label: 'Camera', numeric: false },
    ...(perCamera ? [{ key: 'ordinal', label: 'Stream', numeric: true }] : []),
    ...(groups ? [{ key: 'viewers', label: 'Viewers', numeric: false }] : []),
    { key: 'opened', label: 'Opened', numeric: false },
    { key: 'fps', label: 'fps', numeric: true },
    ...(freshness ? [{ key: 'freshFps', label: 'Fresh fps', numeric: true }] : []),
    { key: 'frames', label: 'Frames', numeric: true },
    { key: 'reconnections', label: 'Reconnections', numeric: true },
    { key: 'stalls', label: 'Stalls', numeric: true },
    { key: 'uptime', label: 'Uptime', numeric: true },
    ...(freshness ? FRESHNESS_HEADERS : []),
    { key: 'errorCount', label: 'Errors', numeric: false },
    { key: 'lastError', label: 'Last error', numeric: false },
  ];
}

/** The row's look; the script applies the same classes. */
export function rowTone(row: CameraRow): string {
  if (!row.stream.opened) return 'row-bad';
  return problems(row) > 0 ? 'row-warn' : '';
}

const NONE = '—';

/** Delay p95 with a badge when the delay kept growing; a dash without capture times. */
function delayCell(row: CameraRow): Html {
  const f = row.freshness;
  const p95 = f === null || f.delayMs.count === 0 ? NONE : `${int(f.delayMs.p95)} ms`;
  return html`<td class="num">${p95}${f?.growingDelay === true && html` <span class="badge badge-warn">growing</span>`}</td>`;
}

function freshnessCells(row: CameraRow, after: 'fps' | 'uptime'): Html {
  const f = row.freshness;
  if (after === 'fps') return html`<td class="num">${f?.freshFps === null || f?.freshFps === undefined ? NONE : f.freshFps.toFixed(2)}</td>`;
  return html`${delayCell(row)}<td class="num">${f === null ? NONE : int(f.repeatedFrames)}</td><td class="num">${f === null ? NONE : int(f.frozen)}</td>`;
}

// Cells as report-page.js writes them: the first page reads the same with or without JavaScript.
function cells(row: CameraRow, perCamera: boolean, freshness: boolean, groups: boolean): Html {
  const s = row.stream;
  return html`<td class="num">${s.index}</td><td><span class="cam-id">${s.cameraId}</span> <span class="cam-name">${s.name}</span></td>${
    perCamera && html`<td class="num">${row.ordinal}</td>`
  }${groups && html`<td>${groupBadge(groupOf(s))}</td>`}<td>${s.opened ? html`<span class="badge badge-good">yes</span>` : html`<span class="badge badge-bad">no</span>`}</td><td class="num">${s.fps === null ? NONE : s.fps.toFixed(2)}</td>${freshness && freshnessCells(row, 'fps')}<td class="num">${int(s.frames)}</td><td class="num">${int(s.reconnections)}</td><td class="num">${int(s.stalls)}</td><td class="num">${percent(s.uptime)}</td>${
    freshness && freshnessCells(row, 'uptime')
  }<td class="errs">${row.errors || NONE}</td><td class="last-error">${row.lastError || NONE}</td>`;
}

/** The filter by viewer group: every group of the run, normal first, with its number of streams. */
function groupFilter(rows: readonly CameraRow[], groups: readonly string[]): Html {
  const count = (group: string): number => rows.filter((row) => groupOf(row.stream) === group).length;
  return html`
<select id="camera-group" class="select" aria-label="Filter cameras by viewer group" disabled><option value="">All viewer groups</option>${groups.map(
    (group) => html`<option value="${group}">${group} (${plural(count(group), 'stream')})</option>`,
  )}</select>`;
}

/**
 * The table with its first page in the HTML (problems first); the script adds sorting, the filters and paging.
 * `groups`: the run's viewer groups, normal first (a column and a filter); null without groups.
 */
export function cameraTableSection(
  rows: readonly CameraRow[],
  perCamera: boolean,
  freshness: boolean,
  pageSize: number,
  groups: readonly string[] | null = null,
): Html {
  const first = rows.slice(0, pageSize);
  const grouped = groups !== null;
  const caption =
    rows.length > first.length
      ? `The first ${int(first.length)} of ${plural(rows.length, 'stream')}, problems first. Paging, sorting and the filter need JavaScript; every stream is in the JSON report.`
      : `${plural(rows.length, 'stream')}, problems first.`;
  return html`<section id="cameras-section" class="section"><h2>Cameras</h2>
<div class="table-tools"><input type="search" id="camera-filter" placeholder="Filter by camera id, name, error${freshness ? ', frozen' : ''}" aria-label="Filter cameras" autocomplete="off" disabled>${grouped && groupFilter(rows, groups)}
<button type="button" id="camera-reset" class="button" disabled>Problems first</button>
<span id="camera-count" class="muted">${caption}</span></div>
<div class="table-wrap"><table id="cameras" class="data cameras"><thead><tr>${headers(perCamera, freshness, grouped).map(
    (h) => html`<th data-sort="${h.key}" class="${h.numeric ? 'num' : ''}" scope="col">${h.label}</th>`,
  )}</tr></thead><tbody>${first.map((row) => html`<tr class="${rowTone(row)}">${cells(row, perCamera, freshness, grouped)}</tr>`)}</tbody></table></div>
${rows.length === 0 && html`<p class="no-data">No streams were planned.</p>`}
<nav class="pager" id="camera-pager" aria-label="Camera table pages"></nav>
</section>`;
}
