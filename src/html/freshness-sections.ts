import type { FreshnessSummary, Report } from '../report/report-types.js';
import { metricCard } from './blocks.js';
import { html, type Html } from './escape.js';
import { duration, fixed, int, num, percent, plural } from './format.js';
import { freshnessOf, streamFreshnessOf } from './older-reports.js';

// How fresh the pictures were: a frame rate alone passes a server that re-sends stale or repeated pictures, so the
// page shows the delay, the repeats and the freezes beside it (report-types.ts FreshnessSummary).

const DELAY_MEANING = "age less each stream's smallest age; needs no synced clocks";
const NOT_MEASURED = 'Frame freshness was not measured: this report was written before camera-load measured it.';
const NO_TIMESTAMPS = 'no frame carried a capture time (X-Timestamp or --timestamp-header)';

/** What the raw age can say: figures only when some age was in range; otherwise why not. */
function ageFigure(f: FreshnessSummary): { value: string; unit: string; note: string } {
  if (f.timestampedStreams === 0) return { value: 'no timestamps', unit: '', note: NO_TIMESTAMPS };
  if (f.ageMs === null) {
    const why =
      f.agesOutOfRange > 0 ? `${plural(f.agesOutOfRange, 'age')} below 0 or above 1 h: the camera's clock and this machine's differ` : 'no age in range';
    return { value: 'clocks not comparable', unit: '', note: why };
  }
  const out = f.agesOutOfRange > 0 ? `; ${plural(f.agesOutOfRange, 'age')} out of range left out` : '';
  return { value: `${int(f.ageMs.p50)} / ${int(f.ageMs.p95)}`, unit: 'ms', note: `valid only with synced clocks${out}` };
}

/** The freshness cards of the key metrics, under their own heading; a note instead in an older report. */
export function freshnessCards(report: Report): Html {
  const f = freshnessOf(report);
  if (f === null) return html`<h3 class="metrics-heading">Freshness</h3><p class="muted">${NOT_MEASURED}</p>`;
  const s = report.summary;
  const d = f.delayMs;
  const growing = f.streamsWithGrowingDelay > 0 ? `; growing on ${plural(f.streamsWithGrowingDelay, 'stream')}` : '';
  const delay =
    f.timestampedStreams === 0 || d.count === 0
      ? metricCard('Queueing delay p95', 'no timestamps', '', NO_TIMESTAMPS)
      : metricCard(
          'Queueing delay p95',
          int(d.p95),
          'ms',
          `p50 ${int(d.p50)}, max ${int(d.max)} ms; ${DELAY_MEANING}${growing}`,
          f.streamsWithGrowingDelay > 0 ? 'warn' : undefined,
        );
  const age = ageFigure(f);
  const share = s.totalFrames > 0 ? ` (${percent(f.repeatedFrames / s.totalFrames)} of frames)` : '';
  return html`<h3 class="metrics-heading">Freshness</h3><div class="metrics">
${delay}
${metricCard('Raw age p50 / p95', age.value, age.unit, age.note)}
${metricCard('Fresh fps per stream', fixed(f.avgFreshFpsPerStream, 2), 'fps', `p5 ${num(f.freshFpsPerStream.p5)} fps; all frames ${fixed(s.avgFpsPerStream, 2)} fps, p5 ${num(s.fpsPerStream.p5)}`)}
${metricCard('Repeated frames', int(f.repeatedFrames), 'frames', f.repeatedFrames > 0 ? `on ${plural(f.streamsWithRepeats, 'stream')}${share}` : 'none', f.repeatedFrames > 0 ? 'warn' : undefined)}
${metricCard('FROZEN events', int(f.frozenEvents), '', f.frozenEvents > 0 ? `on ${plural(f.streamsFrozen, 'stream')}` : 'none', f.frozenEvents > 0 ? 'bad' : undefined)}
</div>`;
}

const UNITS = { s: 'seconds', ms: 'milliseconds', us: 'microseconds' } as const;

/** Which headers and units the capture times were read from, e.g. "X-Timestamp in seconds". */
function sources(report: Report): string {
  const seen = new Set<string>();
  for (const stream of report.streams) {
    const source = streamFreshnessOf(stream)?.timestamp;
    if (source) seen.add(`${source.header} in ${UNITS[source.unit]}`);
  }
  return [...seen].sort().join(', ');
}

/** The freshness rows of Details: every figure, with what it means. */
export function freshnessRows(report: Report): [string, string][] {
  const f = freshnessOf(report);
  if (f === null) return [['Frame freshness', 'not measured (a report from before camera-load measured it)']];
  const s = report.summary;
  const d = f.delayMs;
  const a = f.ageMs;
  const invalid = f.invalidTimestamps > 0 ? `; ${plural(f.invalidTimestamps, 'unreadable value')} ignored` : '';
  const from = sources(report);
  const longest = report.streams.reduce((max, stream) => Math.max(max, streamFreshnessOf(stream)?.longestFreezeMs ?? 0), 0);
  const timed = f.timestampedStreams > 0;
  return [
    [
      'Capture timestamps',
      timed
        ? `${int(f.timestampedStreams)} of ${int(s.streamsOpened)} opened streams, ${plural(f.timestampedFrames, 'frame')}${from ? ` (${from})` : ''}${invalid}`
        : `none: ${NO_TIMESTAMPS}${invalid}`,
    ],
    [
      'Queueing delay',
      timed && d.count > 0
        ? `p50 ${int(d.p50)}, p95 ${int(d.p95)}, p99 ${int(d.p99)}, max ${int(d.max)} ms (${DELAY_MEANING})${f.streamsWithGrowingDelay > 0 ? `; growing steadily on ${plural(f.streamsWithGrowingDelay, 'stream')}` : ''}`
        : 'n/a (no timestamps)',
    ],
    [
      'Raw age',
      !timed
        ? 'n/a (no timestamps)'
        : a === null
          ? `n/a: clocks not comparable (${plural(f.agesOutOfRange, 'age')} below 0 or above 1 h)`
          : `p50 ${int(a.p50)}, p95 ${int(a.p95)}, p99 ${int(a.p99)}, max ${int(a.max)} ms (valid only with synced clocks)`,
    ],
    [
      'Fresh fps per stream',
      `min ${num(f.freshFpsPerStream.min)}, p5 ${num(f.freshFpsPerStream.p5)}, median ${num(f.freshFpsPerStream.p50)}, max ${num(f.freshFpsPerStream.max)} fps (repeated pictures left out)`,
    ],
    ['Repeated frames', f.repeatedFrames > 0 ? `${plural(f.repeatedFrames, 'frame')} on ${plural(f.streamsWithRepeats, 'stream')}` : 'none'],
    [
      'FROZEN events',
      f.frozenEvents > 0 ? `${plural(f.frozenEvents, 'event')} on ${plural(f.streamsFrozen, 'stream')}; longest freeze ${duration(longest / 1000)}` : 'none',
    ],
  ];
}
