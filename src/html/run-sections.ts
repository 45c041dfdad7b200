import { explainErrorCode } from '../report/error-codes.js';
import type { Report, ShardSummary, StartPercentiles, SystemReport, ThresholdResult } from '../report/report-types.js';
import { badge, dataTable, keyValueTable, metricCard, section } from './blocks.js';
import { html, type Html, type HtmlPart } from './escape.js';
import { bytes, fixed, instant, int, num, percent, plural } from './format.js';
import { freshnessCards, freshnessRows } from './freshness-sections.js';
import { samplesOf, thresholdsOf } from './older-reports.js';

/** The original tool's five figures, as the text summary lists them; then how fresh the pictures were. */
export function keyMetrics(report: Report): Html {
  const s = report.summary;
  const requested =
    s.streamsPlanned < s.streamsRequested
      ? `${int(s.streamsRequested)} requested, ${plural(s.camerasUsed, 'camera')} available`
      : plural(s.camerasUsed, 'camera');
  return html`<section id="key-metrics" class="section"><h2>Key metrics</h2><div class="metrics">
${metricCard('Streams opened', `${int(s.streamsOpened)} of ${int(s.streamsPlanned)}`, 'streams', requested, s.streamsOpened < s.streamsPlanned ? 'bad' : undefined)}
${metricCard('Reconnections', int(s.totalReconnections), '', s.totalReconnections > 0 ? `on ${plural(s.streamsWithReconnections, 'stream')}` : 'none', s.totalReconnections > 0 ? 'warn' : undefined)}
${metricCard('Duration', fixed(s.durationSeconds, 1), 's', `target ${num(s.targetDurationSeconds, 3)} s`, report.interrupted ? 'warn' : undefined)}
${metricCard('Frames received', int(s.totalFrames), 'frames', `${num(s.aggregateFps, 1)} fps in all`)}
${metricCard('Average fps per stream', fixed(s.avgFpsPerStream, 2), 'fps', report.schemaVersion === 1 ? `median ${num(s.fpsPerStream.p50)} fps; schema 1: from the first attempt, camera-load's queue included` : `median ${num(s.fpsPerStream.p50)} fps, from each first frame`)}
</div>
${freshnessCards(report)}</section>`;
}

export function details(report: Report): Html {
  const s = report.summary;
  const gap = s.frameGapMs;
  const ttff = s.timeToFirstFrameMs;
  const pairs: [string, string][] = [
    ['Aggregate frame rate', `${num(s.aggregateFps, 1)} fps`],
    ['Bandwidth', `${num(s.bandwidthMbps, 2)} Mbps (${bytes(s.totalBytes)} received)`],
    ['fps per stream', `min ${num(s.fpsPerStream.min)}, p5 ${num(s.fpsPerStream.p5)}, median ${num(s.fpsPerStream.p50)}, max ${num(s.fpsPerStream.max)} fps`],
    [
      'Frame gap',
      gap.count > 0
        ? `p50 ${int(gap.p50)}, p95 ${int(gap.p95)}, p99 ${int(gap.p99)}, max ${int(gap.max)} ms (${plural(gap.count, 'gap')})`
        : 'n/a (no two frames on one stream)',
    ],
    [
      'Time to first frame',
      ttff
        ? `p50 ${num(ttff.p50, 1)}, p95 ${num(ttff.p95, 1)}, max ${num(ttff.max, 1)} ms${report.schemaVersion === 1 ? ' (from the first attempt)' : ' (from the request leaving)'}`
        : 'n/a (no stream opened)',
    ],
    ...startRows(report),
    ...freshnessRows(report),
    ['Uptime', `average ${percent(s.uptimeAvg)}, worst stream ${percent(s.uptimeMin)}`],
    ['Corrupt frames', plural(s.corruptFrames, 'frame')],
    ['Stalls', plural(s.totalStalls, 'stall')],
    ['Content-Length mismatches', plural(s.lengthMismatches, 'part')],
    ['Boundary mismatches', plural(s.streamsWithBoundaryMismatch, 'stream')],
    ['Streams open at the end', `${int(s.streamsOpenAtEnd)} of ${int(s.streamsPlanned)} streams`],
    [
      'Cameras',
      `${int(s.camerasListed)} listed, ${int(s.camerasActive)} active, ${int(s.camerasSkipped)} skipped (no usable fr_url), ${int(s.camerasUsed)} streamed from${s.streamsPerCamera > 1 ? `, up to ${s.streamsPerCamera} streams each` : ''}`,
    ],
    ...clientRows(report),
  ];
  return html`<section id="details" class="section"><h2>Details</h2><div class="details-grid">${keyValueTable(pairs)}${errorsByCode(s.errors)}</div></section>`;
}

const startFigures = (p: StartPercentiles | null): string =>
  p ? `p50 ${num(p.p50, 1)}, p95 ${num(p.p95, 1)}, p99 ${num(p.p99, 1)}, max ${num(p.max, 1)} ms` : 'n/a';

/** The wait before each request left, camera-load's own, apart from the server's answer after it. */
function startRows(report: Report): [string, string][] {
  const start = (report.summary as Partial<Report['summary']>).start;
  if (!start) return [];
  const never = start.requestsNeverSent > 0 ? `; ${plural(start.requestsNeverSent, 'request')} never left` : '';
  return [
    ['Time to headers (the server)', startFigures(start.timeToHeadersMs)],
    ['Connect queue (camera-load)', `${startFigures(start.connectQueueMs)}: waiting for a --connect-concurrency slot${never}`],
    ['Client lateness (camera-load)', `${startFigures(start.clientLatenessMs)}: its own delay before a stream's request left (beyond any connect queue)`],
  ];
}

const NO_SAMPLE = 'n/a (no sample)';

/**
 * Whether any sample of the client was taken: with none, every stat is 0 (stat() of nothing), and a 0 there is not a
 * measurement. A process always has some resident memory, so a sample's RSS is never 0.
 */
export const sampled = (system: Omit<SystemReport, 'samples'>): boolean => system.processRssBytes.max > 0 || system.memoryUsedBytes.max > 0;

/** The client's health in Details: per machine, so a merged report points at its shards and gives the highest only. */
function clientRows(report: Report): [string, string][] {
  const sys = report.system;
  const any = samplesOf(report).length > 0 || sampled(sys);
  if (report.shards !== undefined) {
    const none = 'n/a (no shard took a sample; see Shards)';
    return [
      [
        'Client CPU',
        any
          ? `per shard, each on its own machine (see Shards); highest ${num(sys.processCpuPercent.max, 1)} % of a core, machine ${num(sys.cpuPercent.max, 1)} %`
          : none,
      ],
      ['Client event-loop delay', any ? `p99 up to ${num(sys.eventLoopDelayP99Ms.max, 1)} ms, the highest of the shards (see Shards)` : none],
      ['Client memory', any ? `RSS up to ${bytes(sys.processRssBytes.max)}, the highest of the shards (see Shards)` : none],
    ];
  }
  if (!any)
    return [
      ['Client CPU', NO_SAMPLE],
      ['Client event-loop delay', NO_SAMPLE],
      ['Client memory', NO_SAMPLE],
    ];
  return [
    [
      'Client CPU',
      `${num(sys.processCpuPercent.avg, 1)} % of a core on average, max ${num(sys.processCpuPercent.max, 1)} %; machine ${num(sys.cpuPercent.avg, 1)} % on average`,
    ],
    ['Client event-loop delay', `p99 up to ${num(sys.eventLoopDelayP99Ms.max, 1)} ms`],
    ['Client memory', `RSS up to ${bytes(sys.processRssBytes.max)}`],
  ];
}

function errorsByCode(errors: Record<string, number>): Html {
  const rows = Object.entries(errors).sort((a, b) => b[1] - a[1]);
  if (rows.length === 0) return html`<div class="errors-by-code"><h3>Errors by code</h3><p class="muted">No connection ended in an error.</p></div>`;
  return html`<div class="errors-by-code"><h3>Errors by code</h3>${dataTable(
    [
      { label: 'Code', cell: ([code]) => html`<code>${code}</code>` },
      { label: 'Count', numeric: true, cell: ([, n]) => int(n) },
      { label: 'Meaning → what to check', cell: ([code]) => `${explainErrorCode(code).meaning} → ${explainErrorCode(code).check}` },
    ],
    rows,
  )}</div>`;
}

export function thresholdsSection(report: Report): Html {
  const thresholds = thresholdsOf(report);
  if (thresholds.length === 0) return section('thresholds', 'Thresholds', html`<p class="muted">No thresholds were set (--threshold).</p>`);
  return section(
    'thresholds',
    'Thresholds',
    dataTable<ThresholdResult>(
      [
        { label: 'Expression', cell: (t) => html`<code>${t.expression}</code>` },
        { label: 'Actual', numeric: true, cell: (t) => (t.actual === null ? 'n/a (nothing measured)' : num(t.actual, 3)) },
        { label: 'Result', cell: (t) => (t.passed ? badge('passed', 'good') : badge('failed', 'bad')) },
      ],
      thresholds,
      (t) => (t.passed ? '' : 'row-bad'),
    ),
  );
}

type ShardRow = ShardSummary | { missing: number };

/** A merged report's shards, the missing ones included, so a reader sees what the figures cover. */
export function shardsSection(report: Report): Html | '' {
  if (report.shards === undefined) return '';
  const rows: ShardRow[] = [...report.shards, ...(report.missingShards ?? []).map((missing) => ({ missing }))].sort(
    (a, b) => ('missing' in a ? a.missing : a.index) - ('missing' in b ? b.missing : b.index),
  );
  const of =
    (pick: (s: ShardSummary) => HtmlPart, missing: HtmlPart) =>
    (row: ShardRow): HtmlPart =>
      'missing' in row ? missing : pick(row);
  const partial =
    report.partial === true
      ? html`<p class="note note-warn">Partial merge: ${plural(report.missingShards?.length ?? 0, 'shard')} missing (${(report.missingShards ?? []).join(', ')}). The figures cover the shards present only.</p>`
      : '';
  return section(
    'shards',
    'Shards',
    html`${partial}${dataTable<ShardRow>(
      [
        { label: 'Shard', numeric: true, cell: (row) => ('missing' in row ? row.missing : row.index) },
        { label: 'Host', cell: of((s) => s.host ?? '—', '—') },
        {
          label: 'Validity',
          cell: of((s) => (s.valid ? badge('valid', 'good') : html`${badge('not valid', 'bad')} ${s.invalidReason ?? ''}`), badge('missing', 'bad')),
        },
        { label: 'Interrupted', cell: of((s) => (s.interrupted ? badge('interrupted', 'warn') : 'no'), '—') },
        { label: 'Streams', numeric: true, cell: of((s) => int(s.streams), '—') },
        {
          label: 'Process CPU avg / max',
          numeric: true,
          cell: of((s) => (sampled(s.system) ? `${num(s.system.processCpuPercent.avg, 1)} / ${num(s.system.processCpuPercent.max, 1)} %` : NO_SAMPLE), '—'),
        },
        {
          label: 'Event-loop p99 max',
          numeric: true,
          cell: of((s) => (sampled(s.system) ? `${num(s.system.eventLoopDelayP99Ms.max, 1)} ms` : NO_SAMPLE), '—'),
        },
        { label: 'Ran', cell: of((s) => `${instant(s.startedAt)} → ${instant(s.endedAt).replace(/^\S+ /, '')}`, '—') },
      ],
      rows,
      (row) => ('missing' in row || !row.valid ? 'row-bad' : row.interrupted ? 'row-warn' : ''),
    )}`,
  );
}
