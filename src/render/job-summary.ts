import { markdownCell } from '../text/printable.js';
import type { Report, ThresholdResult } from '../report/report-types.js';
import { shardLabel, shardScopeNote } from '../report/shard-scope.js';
import { runVerdict } from '../verdict/run-verdict.js';
import { began, connectionEnds, GROUP_FIGURES, groupOutcome, share } from './viewer-group-figures.js';
import { stageFigures, stageProblem, stageTime } from './stage-figures.js';
import { stageTarget } from '../report/stage-schedule.js';
import { standingsOf } from '../verdict/stage-verdict.js';
import { STORM_FIGURES, stormMode, stormProblem } from './storm-figures.js';
import { stormStandingsOf } from '../verdict/storm-verdict.js';

const MAX_CAMERAS = 20;

/** Freshness in the job summary, when the report has it (older ones do not). */
function freshnessRows(report: Report): string[] {
  const f = (report.summary as Partial<Report['summary']>).freshness;
  if (f === undefined) return [];
  return [
    `| queueing delay p95 | ${f.delayMs.count > 0 ? `${f.delayMs.p95} ms` : 'n/a (no timestamps)'} |`,
    `| fresh fps per stream (avg, p5) | ${f.avgFreshFpsPerStream.toFixed(2)}, ${f.freshFpsPerStream.p5} |`,
    `| repeated frames, FROZEN events | ${f.repeatedFrames}, ${f.frozenEvents} |`,
  ];
}

/** The wait before the requests left, camera-load's own, when the report has it (schema 2). */
function startRows(report: Report): string[] {
  const start = (report.summary as Partial<Report['summary']>).start;
  if (!start) return [];
  const p95 = (p: { p95: number; max: number } | null): string => (p ? `${p.p95} ms, ${p.max} ms` : 'n/a');
  return [
    `| connect queue p95, max (camera-load) | ${p95(start.connectQueueMs)} |`,
    `| client lateness p95, max (camera-load) | ${p95(start.clientLatenessMs)} |`,
  ];
}

/** A Markdown table after a blank line: its header, its rule and a row per entry; nothing without rows. */
function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  if (rows.length === 0) return [];
  return ['', `| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`, ...rows.map((cells) => `| ${cells.join(' | ')} |`)];
}

/** A stage's or a storm's result as JUnit has it: passed, failed (and why), or not run. */
const resultCell = (ran: boolean, problem: string | null): string => (!ran ? 'not run' : problem === null ? '✅ pass' : `❌ fail: ${problem}`);

/** Each viewer group's key figures over its own streams, a row a group; none without groups. */
function viewerGroupRows(report: Report): string[] {
  const headers = ['viewers', 'how it reads', ...GROUP_FIGURES.map((figure) => figure.name), 'connections ended', 'fill time, isolation'];
  // The behaviour and the codes are the report's text, which a report read back may have anything in.
  const rows = (report.viewerGroups ?? []).map((g) => [
    markdownCell(g.group),
    markdownCell(`${g.behaviour}, ${began(g)} (${share(g)} of the streams)`, 300),
    ...GROUP_FIGURES.map((figure) => figure.value(g.summary)),
    markdownCell(connectionEnds(g.summary), 300),
    markdownCell(groupOutcome(g) ?? '', 500),
  ]);
  return markdownTable(headers, rows);
}

/** Each stage's figures, a row a stage, and whether it passed; none without stages. */
function stageTableRows(report: Report): string[] {
  const figureList = stageFigures(report);
  const headers = ['stage', 'time', 'target (streams)', ...figureList.map((figure) => figure.name), 'connections ended', 'result'];
  const rows = standingsOf(report).map((row) => {
    const { ran } = row.standing;
    // A stage the run did not reach has no figures: dashes, not zeros. The codes are the report's text, which a
    // report read back may have anything in.
    const figures = figureList.map((figure) => (ran ? figure.value(row) : '—'));
    const ends = ran ? markdownCell(connectionEnds(row.stage), 300) : '—';
    return [String(row.stage.stage), stageTime(row.stage), stageTarget(row.stage), ...figures, ends, resultCell(ran, stageProblem(row, report))];
  });
  return markdownTable(headers, rows);
}

/** Each reconnect storm's recovery, a row a storm, and the result JUnit gives it; none without storms. */
function stormTableRows(report: Report): string[] {
  const headers = ['storm', 'at', 'mode', ...STORM_FIGURES.map((figure) => figure.name), 'connections ended', 'result'];
  const rows = stormStandingsOf(report).map((row) => {
    const { storm, standing } = row;
    // A storm the run did not reach dropped nothing: dashes, not zeros.
    const figures = STORM_FIGURES.map((figure) => (standing.ran ? figure.value(storm) : '—'));
    const ends = standing.ran ? markdownCell(connectionEnds(storm), 300) : '—';
    return [String(storm.storm), `${storm.atSeconds} s`, stormMode(storm), ...figures, ends, resultCell(standing.ran, stormProblem(row, report))];
  });
  return markdownTable(headers, rows);
}

/** Pure: the run as Markdown, for GitHub's job summary (GITHUB_STEP_SUMMARY). */
export function renderJobSummary(report: Report, thresholds: readonly ThresholdResult[]): string {
  const s = report.summary;
  const verdict = runVerdict(report);
  const shard = shardLabel(report);
  const scope = shardScopeNote(report);
  const lines = [
    `## camera-load: ${verdict.word}${shard === null ? '' : ` (${shard})`}`,
    '',
    markdownCell(verdict.reason, 1000),
    '',
    // The note's backticks are Markdown on purpose: the command to run, as code.
    ...(scope === null ? [] : [`> ${scope}.`, '']),
    '| metric | value |',
    '|---|---|',
    `| streams opened | ${s.streamsOpened} of ${s.streamsPlanned} |`,
    `| reconnections | ${s.totalReconnections} |`,
    `| duration | ${s.durationSeconds.toFixed(1)} s (target ${s.targetDurationSeconds} s) |`,
    `| frames received | ${s.totalFrames} |`,
    `| average fps per stream | ${s.avgFpsPerStream.toFixed(2)} |`,
    `| frame gap p99 | ${s.frameGapMs.p99} ms |`,
    ...startRows(report),
    `| corrupt frames | ${s.corruptFrames} |`,
    `| bandwidth | ${s.bandwidthMbps.toFixed(2)} Mbps |`,
    ...freshnessRows(report),
    ...viewerGroupRows(report),
    ...stageTableRows(report),
    ...stormTableRows(report),
  ];
  if (thresholds.length > 0) {
    lines.push('', '| threshold | actual | result |', '|---|---|---|');
    for (const t of thresholds) lines.push(`| \`${t.expression}\` | ${t.actual ?? 'n/a'} | ${t.passed ? '✅ pass' : '❌ fail'} |`);
  }
  const troubled = report.streams.filter((stream) => !stream.opened || stream.reconnections > 0);
  if (troubled.length > 0) {
    lines.push('', '| camera with problems | opened | reconnections | last error |', '|---|---|---|---|');
    for (const stream of troubled.slice(0, MAX_CAMERAS)) {
      // Ids, names and error details come from the camera source and its servers: text, never Markdown.
      const camera = markdownCell(`${stream.cameraId} ${stream.name}`);
      const last = stream.lastError ? markdownCell(`${stream.lastError.code}: ${stream.lastError.message}`, 300) : '';
      lines.push(`| ${camera} | ${stream.opened ? 'yes' : 'no'} | ${stream.reconnections} | ${last} |`);
    }
    if (troubled.length > MAX_CAMERAS) lines.push('', `…and ${troubled.length - MAX_CAMERAS} more in the report.`);
  }
  lines.push('', `> ${markdownCell(report.analysis.assessment, 1000)}`, '');
  return lines.join('\n');
}
