import type { CompareResult } from '../compare/compare-types.js';
import { section } from './blocks.js';
import { NO_SCRIPT, slot } from './charts-markup.js';
import type { ComparePageData } from './compare-charts.js';
import { html, type Html } from './escape.js';

// The compare page's chart slots: compare-page.js draws BASE and NEW into each, unless the slot says why it cannot.

/** Why the whole run's line of a figure was not compared ("NEW has no frame with this figure"), to say under an empty chart. */
function reasonOf(result: CompareResult, figure: string): string {
  const line = result.lines.find((l) => l.figure === figure && l.scope.viewers === undefined && l.scope.stage === undefined);
  return line?.reason === undefined ? '' : ` (${line.reason})`;
}

export function compareCharts(data: ComparePageData, result: CompareResult): Html {
  const streams = (d: ComparePageData['fps']): string => (d === null ? '' : `; ${d.streams.base} streams in BASE, ${d.streams.new} in NEW`);
  const frames = (d: ComparePageData['frameGapMs'], what: string): string =>
    d === null ? '' : `; ${d.frames.base.toLocaleString('en-US')} ${what} in BASE, ${d.frames.new.toLocaleString('en-US')} in NEW`;
  const charts = [
    slot({
      name: 'compare-fps',
      title: 'fps per stream',
      note: `share of streams at or below each fps, streams with a frame${streams(data.fps)}`,
      empty: data.fps ? undefined : `No data: neither run had a stream with a frame.`,
    }),
    slot({
      name: 'compare-ttff',
      title: 'Time to first frame',
      note: `share of streams at or below each time, ms${streams(data.timeToFirstFrameMs)}`,
      empty: data.timeToFirstFrameMs ? undefined : `No data: neither run had a stream with a frame.`,
    }),
    slot({
      name: 'compare-gaps',
      title: 'Frame gap by percentile',
      note: `ms, every gap of every stream (HdrHistograms merged); log scale of 1/(1−p)${frames(data.frameGapMs, 'gaps')}`,
      empty: data.frameGapMs ? undefined : `No data: both runs need a stream with two frames${reasonOf(result, 'frameGap.p50')}.`,
    }),
    slot({
      name: 'compare-delay',
      title: 'Queueing delay by percentile',
      note: `ms, every timestamped frame; log scale of 1/(1−p)${frames(data.delayMs, 'frames')}`,
      empty: data.delayMs
        ? undefined
        : `No data: both runs need frames with a capture time (X-Timestamp or --timestamp-header)${reasonOf(result, 'delay.p50')}.`,
    }),
  ];
  return section(
    'distributions',
    'Distributions',
    html`${NO_SCRIPT}<p class="muted hint">The whole run of each, on the same axes: BASE and NEW. Drag to zoom a chart, double-click to reset.</p><div class="charts-grid compare-charts">${charts}</div>`,
  );
}
