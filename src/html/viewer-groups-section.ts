import { codesMostFirst } from '../report/error-counts.js';
import type { Report, ViewerGroupReport } from '../report/report-types.js';
import { VIEWER_GROUPS } from '../viewers.js';
import { dataTable, type Column } from './blocks.js';
import { html, type Html, type HtmlPart } from './escape.js';
import { duration, fixed, int, num, percent } from './format.js';

// Viewer groups (issue 29): slow, pausing and stuck viewers beside the normal ones. The first question a reader
// has is whether the others hurt the normal viewers, so the page shows the groups side by side near the top.

const NONE = '—';

/** The groups of a report with them, normal first; null for a run without groups (every viewer normal). */
export function viewerGroupsOf(report: Report): readonly ViewerGroupReport[] | null {
  const groups = report.viewerGroups;
  return groups !== undefined && groups.length > 0 ? groups : null;
}

/** Seconds from the start when the groups other than normal began (the lead-in's end); null: none did. */
export function groupsBeganAt(report: Report): number | null {
  const began = (viewerGroupsOf(report) ?? []).filter((g) => g.group !== 'normal').map((g) => g.beganAtSeconds);
  return began.length > 0 ? Math.min(...began) : null;
}

/** A group's name as a badge; its colour only for the groups camera-load knows (a report file may say anything). */
export function groupBadge(group: string): Html {
  const known = (VIEWER_GROUPS as readonly string[]).includes(group);
  return html`<span class="badge viewers${known ? ` viewers-${group}` : ''}">${group}</span>`;
}

/** "HTTP_503 ×5, ECONNRESET ×2", the most frequent first. */
export function endCodes(errors: Record<string, number>): HtmlPart {
  const codes = codesMostFirst(errors);
  if (codes.length === 0) return 'none';
  return codes.map(([code, n], i) => html`${i > 0 ? ', ' : ''}<code>${code}</code>${`\u00a0×${int(n)}`}`);
}

function queueingDelay(g: ViewerGroupReport): string {
  const f = g.summary.freshness;
  return f.timestampedStreams === 0 || f.delayMs.count === 0 ? 'no timestamps' : int(f.delayMs.p95);
}

/** Frames the server skipped, told by capture-time jumps; without capture times it cannot be told. */
function skipped(g: ViewerGroupReport): string {
  const n = g.summary.freshness.skippedFrames;
  return n === undefined || n === null ? 'cannot tell' : int(n);
}

/** Until the server felt half the group's viewers, with how many it felt; the normal group has none. */
function fillTime(g: ViewerGroupReport): string {
  if (g.fill === undefined) return NONE;
  const felt = `${int(g.fill.felt)} of ${int(g.fill.of)}`;
  return g.fill.p50Seconds === null ? `not filled (${felt})` : `${fixed(g.fill.p50Seconds, 1)} (${felt})`;
}

/** The normal viewers in the lead-in and after the groups' fill, the figures the isolation rule compares. */
function isolationNote(report: Report): Html[] {
  const isolation = report.viewerGroups?.find((g) => g.group === 'normal')?.isolation;
  if (isolation === undefined) return [];
  const { leadIn, after, holds } = isolation;
  const word = holds === null ? 'not judged' : holds ? 'not hurt' : 'hurt';
  const figures = (w: NonNullable<typeof after>): string =>
    `fps p5 ${w.fpsPerStream === null ? NONE : num(w.fpsPerStream.p5)}, frame gap p95 ${w.frameGapMs.count === 0 ? NONE : `${int(w.frameGapMs.p95)} ms`}, ` +
    `queueing delay p95 ${w.delayMs.count === 0 ? 'no timestamps' : `${int(w.delayMs.p95)} ms`}`;
  const windows =
    after === null
      ? `lead-in (${fixed(leadIn.fromSeconds, 1)}–${fixed(leadIn.toSeconds, 1)} s): ${figures(leadIn)}`
      : `lead-in (${fixed(leadIn.fromSeconds, 1)}–${fixed(leadIn.toSeconds, 1)} s): ${figures(leadIn)}; from ${fixed(after.fromSeconds, 1)} s to the end: ${figures(after)}`;
  return [
    html`<p class="isolation isolation-${word.replace(' ', '-')}"><strong>Normal viewers: ${word}.</strong> ${windows} (the rule and the verdict: the assessment above).</p>`,
  ];
}

/**
 * The table's columns, one figure each, units in the headers. A figure per group (the fill time, say) is one more
 * entry here.
 */
export const GROUP_COLUMNS: readonly Column<ViewerGroupReport>[] = [
  { label: 'Group: how it reads', cell: (g) => html`${groupBadge(g.group)}<div class="group-behaviour">${g.behaviour}</div>` },
  { label: 'Share (% planned)', numeric: true, cell: (g) => percent(g.share) },
  { label: 'Streams opened / planned', numeric: true, cell: (g) => `${int(g.summary.streamsOpened)} / ${int(g.summary.streamsPlanned)}` },
  { label: 'Began (s)', numeric: true, cell: (g) => fixed(g.beganAtSeconds, 1) },
  { label: 'Stream fps p5 / p50 (fps)', numeric: true, cell: (g) => `${num(g.summary.fpsPerStream.p5)} / ${num(g.summary.fpsPerStream.p50)}` },
  { label: 'Fresh fps p50 (fps)', numeric: true, cell: (g) => num(g.summary.freshness.freshFpsPerStream.p50) },
  {
    label: 'Time to first frame p95 (ms)',
    numeric: true,
    cell: (g) => (g.summary.timeToFirstFrameMs === null ? NONE : num(g.summary.timeToFirstFrameMs.p95, 1)),
  },
  { label: 'Frame gap p95 (ms)', numeric: true, cell: (g) => (g.summary.frameGapMs.count === 0 ? NONE : int(g.summary.frameGapMs.p95)) },
  { label: 'Queueing delay p95 (ms)', numeric: true, cell: queueingDelay },
  { label: 'Repeated (frames)', numeric: true, cell: (g) => int(g.summary.freshness.repeatedFrames) },
  { label: 'Skipped by the server (frames)', numeric: true, cell: skipped },
  { label: 'Fill time (s; viewers felt)', numeric: true, cell: fillTime },
  { label: 'Reconnections (count)', numeric: true, cell: (g) => int(g.summary.totalReconnections) },
  { label: 'Connection ends (code ×count)', cell: (g) => endCodes(g.summary.errors) },
];

/**
 * The lines above the table, in the order a reader wants them: a finding over the groups (did the others hurt the
 * normal viewers?) is one more entry, first; then when the groups began and what the figures cover.
 */
function readingNotes(report: Report): Html[] {
  const began = groupsBeganAt(report);
  const leadIn =
    began === null
      ? html`<p>Only normal viewers: every viewer read as fast as it could.</p>`
      : html`<p>The groups began ${duration(began)} after the start (the lead-in's end, marked on the charts); until then every viewer read as fast as it could. Each row sums its own streams over the whole run, lead-in included; the camera table shows each stream's group.</p>`;
  return [...isolationNote(report), leadIn];
}

const rowClass = (g: ViewerGroupReport): string =>
  g.summary.streamsOpened < g.summary.streamsPlanned ? 'row-bad' : g.summary.totalReconnections > 0 ? 'row-warn' : '';

/** The section, for a report with viewer groups; nothing otherwise. */
export function viewerGroupsSection(report: Report): Html | '' {
  const groups = viewerGroupsOf(report);
  if (groups === null) return '';
  return html`<section id="viewer-groups" class="section"><h2>Viewer groups</h2>
<div class="group-notes">${readingNotes(report)}</div>
<div class="group-table">${dataTable(GROUP_COLUMNS, groups, rowClass)}</div></section>`;
}
