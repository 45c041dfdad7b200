import { problems, type CameraRow } from './camera-rows.js';
import { html, type Html } from './escape.js';
import { int, percent, plural } from './format.js';

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

/** The freshness columns only when the report measured it: in an older report they would be all dashes. */
export function headers(perCamera: boolean, freshness: boolean): Header[] {
  return [
    { key: 'index', label: '#', numeric: true },
    { key: 'cameraId', label: 'Camera', numeric: false },
    ...(perCamera ? [{ key: 'ordinal', label: 'Stream', numeric: true }] : []),
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
function cells(row: CameraRow, perCamera: boolean, freshness: boolean): Html {
  const s = row.stream;
  return html`<td class="num">${s.index}</td><td><span class="cam-id">${s.cameraId}</span> <span class="cam-name">${s.name}</span></td>${
    perCamera && html`<td class="num">${row.ordinal}</td>`
  }<td>${s.opened ? html`<span class="badge badge-good">yes</span>` : html`<span class="badge badge-bad">no</span>`}</td><td class="num">${s.fps === null ? NONE : s.fps.toFixed(2)}</td>${freshness && freshnessCells(row, 'fps')}<td class="num">${int(s.frames)}</td><td class="num">${int(s.reconnections)}</td><td class="num">${int(s.stalls)}</td><td class="num">${percent(s.uptime)}</td>${
    freshness && freshnessCells(row, 'uptime')
  }<td class="errs">${row.errors || NONE}</td><td class="last-error">${row.lastError || NONE}</td>`;
}

/** The table with its first page in the HTML (problems first); the script adds sorting, the filter and paging. */
export function cameraTableSection(rows: readonly CameraRow[], perCamera: boolean, freshness: boolean, pageSize: number): Html {
  const first = rows.slice(0, pageSize);
  const caption =
    rows.length > first.length
      ? `The first ${int(first.length)} of ${plural(rows.length, 'stream')}, problems first. Paging, sorting and the filter need JavaScript; every stream is in the JSON report.`
      : `${plural(rows.length, 'stream')}, problems first.`;
  return html`<section id="cameras-section" class="section"><h2>Cameras</h2>
<div class="table-tools"><input type="search" id="camera-filter" placeholder="Filter by camera id, name, error${freshness ? ', frozen' : ''}" aria-label="Filter cameras" autocomplete="off" disabled>
<button type="button" id="camera-reset" class="button" disabled>Problems first</button>
<span id="camera-count" class="muted">${caption}</span></div>
<div class="table-wrap"><table id="cameras" class="data cameras"><thead><tr>${headers(perCamera, freshness).map(
    (h) => html`<th data-sort="${h.key}" class="${h.numeric ? 'num' : ''}" scope="col">${h.label}</th>`,
  )}</tr></thead><tbody>${first.map((row) => html`<tr class="${rowTone(row)}">${cells(row, perCamera, freshness)}</tr>`)}</tbody></table></div>
${rows.length === 0 && html`<p class="no-data">No streams were planned.</p>`}
<nav class="pager" id="camera-pager" aria-label="Camera table pages"></nav>
</section>`;
}
