import type { Report } from '../report/report-types.js';
import { section } from './blocks.js';
import { html, type Html } from './escape.js';
import { duration } from './format.js';
import { freshnessOf } from './older-reports.js';
import type { RunPageData } from './page-data.js';

/** A chart's place: report-page.js draws into the `data-chart` slot unless it is marked empty. */
export interface Slot {
  name: string;
  title: string;
  note: string;
  /** Why there is nothing to draw; the slot shows it and the script skips it. */
  empty?: string | undefined;
}

export function slot({ name, title, note, empty }: Slot): Html {
  return html`<figure class="chart-card" data-chart="${name}"${empty !== undefined ? html` data-empty="true"` : ''}><figcaption><span class="chart-title">${title}</span> <span class="chart-note">${note}</span></figcaption>${
    empty !== undefined ? html`<p class="no-data">${empty}</p>` : html`<div class="chart-plot"></div>`
  }</figure>`;
}

export const NO_SCRIPT = html`<noscript><p class="note">The charts need JavaScript; every figure is in the tables of this page without it.</p></noscript>`;

export function runCharts(report: Report, data: RunPageData): Html {
  const noRows = data.timeline.t.length === 0 ? 'No data: the timeline is empty (the run ended within its first interval).' : undefined;
  const noSamples =
    data.client !== null
      ? undefined
      : report.shards
        ? 'No samples: each shard ran on its own machine (see Shards for their figures).'
        : 'No data: no sample of this machine was taken.';
  const d = data.distributions;
  const unreadable = d.frameGapMs?.unreadable ?? 0;
  const time = [
    slot({ name: 'open-streams', title: 'Open streams', note: 'streams with a response open', empty: noRows }),
    slot({
      name: 'fps',
      title: 'Frame rate',
      note: `fps, all streams (left) and per open stream (right)${data.timeline.freshFps ? '; fresh: repeated pictures left out' : ''}`,
      empty: noRows,
    }),
    slot({
      name: 'delay',
      title: 'Queueing delay',
      note: "mean per interval (ms; s from 1 s): each frame's age less its stream's smallest age so far (no synced clocks needed); gaps: no frame carried a capture time",
      empty: noRows ?? noDelay(report, data),
    }),
    slot({ name: 'bandwidth', title: 'Bandwidth', note: 'Mbps received', empty: noRows }),
    slot({ name: 'errors', title: 'Reconnections and errors', note: 'per interval, errors by code', empty: noRows }),
    slot({
      name: 'client',
      title: 'Client health',
      note: `CPU % (left), event-loop delay p99 ms (right); dashed: saturation limits (${data.client?.cpuLimitPercent ?? 90} %, ${data.client?.eventLoopLimitMs ?? 100} ms)`,
      empty: noSamples,
    }),
  ];
  const noOpened = 'No data: no stream received a frame.';
  const distributions = [
    slot({ name: 'fps-histogram', title: 'fps per stream', note: 'streams per bin, opened streams', empty: d.fpsPerStream ? undefined : noOpened }),
    slot({ name: 'ttff-histogram', title: 'Time to first frame', note: 'streams per bin, ms', empty: d.timeToFirstFrameMs ? undefined : noOpened }),
    slot({
      name: 'gap-percentiles',
      title: 'Frame gap by percentile',
      note: `ms, all streams; log scale of 1/(1−p)${unreadable > 0 ? `; ${unreadable} unreadable histograms left out` : ''}`,
      empty: d.frameGapMs ? undefined : 'No data: no stream received two frames.',
    }),
  ];
  const leadIn =
    data.groupsBeganAt === undefined
      ? ''
      : ` Shaded: the lead-in; the dashed line at ${duration(data.groupsBeganAt)}: the viewer groups began (see Viewer groups).`;
  const stages = data.stages === undefined ? '' : ' Bands: the stages, numbered at the top (see Stages).';
  const storms = data.storms === undefined ? '' : ' Solid red lines: the reconnect storms, labelled (see Reconnect storms).';
  return html`${section('over-time', 'Over time', html`${NO_SCRIPT}<p class="muted hint">Seconds since the start. Drag to zoom every chart, double-click to reset.${leadIn}${stages}${storms}</p><div class="charts-time">${time}</div>`)}
${section('distributions', 'Distributions', html`${NO_SCRIPT}<div class="charts-grid">${distributions}</div>`)}`;
}

function noDelay(report: Report, data: RunPageData): string | undefined {
  if (data.timeline.delayMs.some((v) => v !== null)) return undefined;
  return freshnessOf(report) === null
    ? 'Not measured: this report was written before camera-load measured frame freshness.'
    : 'No data: no frame carried a capture time (X-Timestamp or --timestamp-header).';
}

export function trialsChart(trials: number): Html {
  return slot({
    name: 'trials',
    title: 'Trials',
    note: 'fps per stream by number of streams; green stable, red unstable; dashed: the frame-rate floor',
    empty: trials === 0 ? 'No data: no trial finished.' : undefined,
  });
}
