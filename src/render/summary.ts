import { printable } from '../text/printable.js';
import { explainErrorCode } from '../report/error-codes.js';
import type { Report, StartPercentiles, ViewerGroupReport } from '../report/report-types.js';
import { METRICS_BY_NAME } from '../report/threshold-metrics.js';
import { shardLabel, shardScopeNote } from '../report/shard-scope.js';
import { runVerdict } from '../verdict/run-verdict.js';
import { began, connectionEnds, GROUP_FIGURES, share } from './viewer-group-figures.js';
import { loadShapeLines } from './load-shape-lines.js';

const MAX_CAMERAS_LISTED = 10;
/** Per viewer group: the codes that ended its connections, most first (the rest are under ERRORS BY CODE). */
const MAX_CODES_LISTED = 4;

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const plural = (n: number, word: string): string => `${int(n)} ${word}${n === 1 ? '' : 's'}`;

function rows(pairs: [string, string][]): string[] {
  const width = Math.max(...pairs.map(([label]) => label.length));
  return pairs.map(([label, value]) => `  ${`${label}:`.padEnd(width + 1)}  ${value}`);
}

const ms = (n: number): string => int(n);

/** The unit of the metric a threshold names, as the figure's suffix (' ms'); none for counts and ratios. */
function unitOf(expression: string): string {
  const unit = METRICS_BY_NAME.get(/^[a-zA-Z][a-zA-Z0-9_.]*/.exec(expression)?.[0] ?? '')?.unit;
  return unit === 'ms' || unit === 'frames/s' || unit === 'Mbit/s' ? ` ${unit === 'frames/s' ? 'fps' : unit}` : '';
}

/** How new the pictures were: what a frame rate alone hides. Reports older than these figures have none. */
function freshnessLines(report: Report): string[] {
  const f = (report.summary as Partial<Report['summary']>).freshness;
  if (f === undefined) return [];
  const d = f.delayMs;
  const streams = report.summary.streamsPlanned;
  const sources = [
    ...new Set(
      report.streams.flatMap((stream) => (stream.freshness.timestamp ? [`${stream.freshness.timestamp.header} in ${stream.freshness.timestamp.unit}`] : [])),
    ),
  ];
  const delay =
    f.timestampedStreams === 0
      ? 'n/a: no part carried a capture time (X-Timestamp, X-Frame-Timestamp; --timestamp-header names another)'
      : `p50 ${ms(d.p50)}, p95 ${ms(d.p95)}, p99 ${ms(d.p99)}, max ${ms(d.max)}  (age less each stream's smallest age; ` +
        `${int(f.timestampedStreams)} of ${plural(streams, 'stream')} timestamped: ${sources.slice(0, 3).join(', ')})`;
  const age =
    f.ageMs !== null
      ? `p50 ${ms(f.ageMs.p50)}, p95 ${ms(f.ageMs.p95)}, max ${ms(f.ageMs.max)}  (receive time − camera clock: valid only when the clocks are synced)` +
        (f.agesOutOfRange > 0 ? `; ${plural(f.agesOutOfRange, 'age')} outside −1 s..1 h left out` : '')
      : f.agesOutOfRange > 0
        ? `not comparable: ${plural(f.agesOutOfRange, 'age')} outside −1 s..1 h (the cameras' clocks are not this machine's); the delay above needs no synced clock`
        : 'n/a';
  const fresh = f.freshFpsPerStream;
  return [
    '',
    'FRESHNESS (how new the pictures were)',
    ...rows([
      ['Queueing delay (ms)', delay],
      ...(f.timestampedStreams > 0 ? [['Frame age (ms)', age] as [string, string]] : []),
      ...(f.streamsWithGrowingDelay > 0
        ? [['Growing delay', `${plural(f.streamsWithGrowingDelay, 'stream')} whose delay rose steadily (a queue that never drains)`] as [string, string]]
        : []),
      [
        'Fresh FPS per stream',
        `average ${f.avgFreshFpsPerStream.toFixed(2)}; min ${fresh.min}, p5 ${fresh.p5}, median ${fresh.p50}, max ${fresh.max}  (repeated pictures left out)`,
      ],
      [
        'Repeated frames',
        f.repeatedFrames > 0 ? `${int(f.repeatedFrames)} on ${plural(f.streamsWithRepeats, 'stream')} (byte-identical to the frame before)` : '0',
      ],
      ['Frozen', f.frozenEvents > 0 ? `${plural(f.frozenEvents, 'FROZEN event')} on ${plural(f.streamsFrozen, 'stream')}` : '0 FROZEN events'],
      ...(f.invalidTimestamps > 0 ? [['Unreadable timestamps', `${int(f.invalidTimestamps)} (ignored)`] as [string, string]] : []),
    ]),
  ];
}

const SCHEMA_1_FPS = "  (report schema 1: counted from the first connection attempt, camera-load's own queue included)";
const percentiles = (p: StartPercentiles | null): string => (p ? `p50 ${ms(p.p50)}, p95 ${ms(p.p95)}, p99 ${ms(p.p99)}, max ${ms(p.max)}` : 'n/a');

/** What the streams waited for before their requests left (camera-load's) and the server's answer after. */
function startRows(report: Report): [string, string][] {
  const start = (report.summary as Partial<Report['summary']>).start;
  if (!start) return [];
  const never = start.requestsNeverSent > 0 ? `; ${plural(start.requestsNeverSent, 'request')} never left` : '';
  return [
    ['Time to headers (ms)', `${percentiles(start.timeToHeadersMs)}  (the server's answer)`],
    ['Connect queue (ms)', `${percentiles(start.connectQueueMs)}  (waiting for a --connect-concurrency slot${never})`],
    ['Client lateness (ms)', `${percentiles(start.clientLatenessMs)}  (camera-load's own delay before a stream's request left, beyond any connect queue)`],
  ];
}

/** The DETAILS section: the rates, the start (whose each wait is), the failures and the client. */
function detailRows(report: Report): [string, string][] {
  const s = report.summary;
  const gap = s.frameGapMs;
  const ttff = s.timeToFirstFrameMs;
  return [
    ['Aggregate', `${s.aggregateFps.toFixed(1)} fps, ${s.bandwidthMbps.toFixed(2)} Mbps`],
    ['FPS per stream', `min ${s.fpsPerStream.min}, p5 ${s.fpsPerStream.p5}, median ${s.fpsPerStream.p50}, max ${s.fpsPerStream.max}`],
    ['Frame gap (ms)', gap.count > 0 ? `p50 ${gap.p50}, p95 ${gap.p95}, p99 ${gap.p99}, max ${gap.max}` : 'n/a'],
    [
      'Time to first frame (ms)',
      ttff ? `p50 ${ttff.p50}, p95 ${ttff.p95}, max ${ttff.max}${report.schemaVersion === 1 ? '' : '  (from the request leaving)'}` : 'n/a',
    ],
    ...startRows(report),
    ['Uptime', `average ${(s.uptimeAvg * 100).toFixed(1)}%, worst stream ${(s.uptimeMin * 100).toFixed(1)}%`],
    ['Corrupt frames', int(s.corruptFrames)],
    ...(s.lengthMismatches > 0 ? [['Wrong Content-Length', `${plural(s.lengthMismatches, 'part')} (each counted by its delimiters)`] as [string, string]] : []),
    ['Stalls', int(s.totalStalls)],
    ['Cameras', `${int(s.camerasListed)} listed, ${int(s.camerasActive)} active, ${int(s.camerasSkipped)} skipped (no usable fr_url)`],
    ['Client CPU', `${report.system.processCpuPercent.avg}% of a core on average, max ${report.system.processCpuPercent.max}%`],
  ];
}

/** Pure: the end-of-run summary, the original tool's key metrics first. */
export function renderSummary(report: Report): string {
  const lines = [
    ...verdictLines(report),
    '',
    'KEY METRICS',
    ...rows(keyRows(report)),
    '',
    'DETAILS',
    ...rows(detailRows(report)),
    ...freshnessLines(report),
    ...viewerGroupLines(report),
    ...loadShapeLines(report),
    ...reconnectedLines(report),
    ...errorLines(report),
    ...thresholdLines(report),
    '',
    'ASSESSMENT',
    `  ${report.analysis.assessment}`,
    ...report.analysis.warnings.map((warning) => `  ! ${warning}`),
    ...report.analysis.recommendations.map((recommendation) => `  → ${recommendation}`),
  ];
  // Camera ids, names and server messages are data: no line may carry a control character to the terminal.
  return `${lines.map((line) => printable(line, 2_000)).join('\n')}\n`;
}

/** The verdict first, and for a shard whose verdict it is. */
function verdictLines(report: Report): string[] {
  const verdict = runVerdict(report);
  const shard = shardLabel(report);
  const scope = shardScopeNote(report);
  return [`camera-load: ${verdict.word}${shard === null ? '' : ` (${shard})`} — ${verdict.reason}`, ...(scope === null ? [] : [`  ${scope}.`])];
}

function keyRows(report: Report): [string, string][] {
  const s = report.summary;
  const requested = s.streamsPlanned < s.streamsRequested ? ` (${int(s.streamsRequested)} requested, ${plural(s.camerasUsed, 'camera')} available)` : '';
  return [
    ['Streams opened', `${int(s.streamsOpened)} of ${int(s.streamsPlanned)} streams${requested}`],
    ['Reconnections', `${int(s.totalReconnections)}${s.totalReconnections > 0 ? ` (on ${plural(s.streamsWithReconnections, 'stream')})` : ''}`],
    ['Duration', `${s.durationSeconds.toFixed(1)} s (target ${s.targetDurationSeconds} s)`],
    ['Frames received', int(s.totalFrames)],
    ['Average FPS per stream', `${s.avgFpsPerStream.toFixed(2)}${report.schemaVersion === 1 ? SCHEMA_1_FPS : ''}`],
  ];
}

/**
 * Each viewer group's key figures over its own streams, one row a group (a table narrow enough for 100 columns), then
 * a line a group: how it reads, from when, its fill time, and the codes that ended its connections. Whether
 * the server felt each group and the isolation verdict are the assessment's, said there once. None without groups.
 */
function viewerGroupLines(report: Report): string[] {
  const groups = report.viewerGroups ?? [];
  if (groups.length === 0) return [];
  const columns = [
    { header: ['group', ''], cells: groups.map((g) => g.group), left: true },
    ...GROUP_FIGURES.map((figure) => ({ header: figure.header, cells: groups.map((g) => figure.value(g.summary)), left: false })),
  ];
  const widths = columns.map((c) => Math.max(...c.header.map((h) => h.length), ...c.cells.map((cell) => cell.length)));
  const line = (cell: (c: (typeof columns)[number]) => string): string =>
    `  ${columns.map((c, i) => (c.left ? cell(c).padEnd(widths[i] ?? 0) : cell(c).padStart(widths[i] ?? 0))).join('  ')}`.trimEnd();
  const groupWidth = widths[0] ?? 0;
  const shareWidth = Math.max(...groups.map((g) => share(g).length));
  return [
    '',
    'VIEWER GROUPS (each group over its own streams)',
    line((c) => c.header[0]),
    line((c) => c.header[1]),
    ...groups.map((_, row) => line((c) => c.cells[row] ?? '')),
    ...groups.map(
      (g) =>
        `  ${g.group.padEnd(groupWidth)}  ${share(g).padStart(shareWidth)}  ${g.behaviour}, ${began(g)}${fillText(g)}; ` +
        `connections ended: ${connectionEnds(g.summary, MAX_CODES_LISTED)}`,
    ),
  ];
}

/** A group's fill time (until the server felt half its viewers); nothing for the normal group. */
const fillText = (g: ViewerGroupReport): string =>
  g.fill === undefined
    ? ''
    : `, ${g.fill.p50Seconds === null ? 'no fill time' : `fill time ${g.fill.p50Seconds} s`} (the server felt ${g.fill.felt} of ${g.fill.of})`;

function reconnectedLines(report: Report): string[] {
  const reconnected = report.streams.filter((stream) => stream.reconnections > 0).sort((a, b) => b.reconnections - a.reconnections);
  if (reconnected.length === 0) return [];
  const lines = ['', 'CAMERAS WITH RECONNECTIONS'];
  for (const stream of reconnected.slice(0, MAX_CAMERAS_LISTED)) {
    const last = stream.lastError ? ` (last: ${stream.lastError.code})` : '';
    lines.push(`  Camera ${stream.cameraId}: ${plural(stream.reconnections, 'reconnection')}${last}`);
  }
  if (reconnected.length > MAX_CAMERAS_LISTED) lines.push(`  … and ${plural(reconnected.length - MAX_CAMERAS_LISTED, 'more camera')} (see the report)`);
  return lines;
}

function errorLines(report: Report): string[] {
  const errors = Object.entries(report.summary.errors).sort((a, b) => b[1] - a[1]);
  if (errors.length === 0) return [];
  const codeWidth = Math.max(...errors.map(([code]) => code.length));
  const countWidth = Math.max(...errors.map(([, n]) => int(n).length));
  return [
    '',
    'ERRORS BY CODE (connections ended so; what it means → what to check)',
    ...errors.map(([code, n]) => {
      const { meaning, check } = explainErrorCode(code);
      return `  ${code.padEnd(codeWidth)}  ${int(n).padStart(countWidth)}  ${meaning} → ${check}`;
    }),
  ];
}

function thresholdLines(report: Report): string[] {
  if (report.thresholds.length === 0) return [];
  return [
    '',
    'THRESHOLDS',
    ...report.thresholds.map(
      (t) => `  ${t.passed ? '✓' : '✗'} ${t.expression}  (actual ${t.actual === null ? 'n/a: nothing measured' : `${t.actual}${unitOf(t.expression)}`})`,
    ),
  ];
}
