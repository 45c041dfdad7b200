import { printable, xmlEscape as escape } from '../text/printable.js';
import type { CompareResult } from '../compare/compare-types.js';
import { compareSuite } from './compare-outputs.js';
import type { Report, ThresholdResult, ViewerGroupReport } from '../report/report-types.js';
import { shardLabel, shardScopeNote } from '../report/shard-scope.js';
import { began, connectionEnds, GROUP_FIGURES, groupOutcome, share } from './viewer-group-figures.js';
import { stageFigures, stageName, stageProblem } from './stage-figures.js';
import { standingsOf, type StageWithStanding } from '../verdict/stage-verdict.js';
import { STORM_FIGURES, stormMode, stormName, stormProblem, stormSeconds } from './storm-figures.js';
import { stormStandingsOf, type StormWithStanding } from '../verdict/storm-verdict.js';

/**
 * One case per viewer group, its key figures as its output: what a CI reader opens to see how each group fared. The
 * cases pass: a group's pass or fail is a threshold's (fps.p5{viewers:slow}>=2), in the thresholds suite. Its time
 * is the time it read as its group does: from its start to the run's end.
 */
function viewerGroupCase(group: ViewerGroupReport, durationSeconds: number): string {
  const time = Math.max(0, durationSeconds - group.beganAtSeconds).toFixed(3);
  const figures = [
    `${share(group)} of the planned streams: ${group.behaviour}, ${began(group)}`,
    ...GROUP_FIGURES.map((figure) => `${figure.name}: ${figure.value(group.summary)}`),
    `connections ended: ${connectionEnds(group.summary)}`,
    ...[groupOutcome(group)].filter((line) => line !== null),
  ];
  return (
    `    <testcase classname="camera-load.viewers" name="${escape(`viewers: ${group.group}`)}" time="${time}">\n` +
    `      <system-out>${escape(figures.map((line) => printable(line, 1_000)).join('\n'))}</system-out>\n    </testcase>`
  );
}

/**
 * One case per stage, named by its place in the schedule (the same name run after run of one --stages, so CI keeps its
 * history), its figures as its output. It fails when viewers were open and none had a frame; a stage the run ended
 * before is skipped. Its time is the part of it the run lasted.
 */
function stageCase(row: StageWithStanding, report: Report): string {
  const { stage } = row;
  const time = Math.max(0, Math.min(stage.toSeconds, report.summary.durationSeconds) - stage.fromSeconds).toFixed(3);
  const open = `    <testcase classname="camera-load.stages" name="${escape(stageName(stage))}" time="${time}">`;
  const problem = stageProblem(row, report);
  if (!row.standing.ran) return `${open}\n      <skipped message="${escape(problem ?? '')}"/>\n    </testcase>`;
  const figures = [...stageFigures(report).map((figure) => `${figure.name}: ${figure.value(row)}`), `connections ended: ${connectionEnds(stage)}`];
  // The codes come from the servers: plain text only.
  const out = `      <system-out>${escape(figures.map((line) => printable(line, 1_000)).join('\n'))}</system-out>`;
  if (problem === null) return `${open}\n${out}\n    </testcase>`;
  return `${open}\n      <failure message="${escape(problem)}" type="no-frame">${escape(problem)}</failure>\n${out}\n    </testcase>`;
}

/**
 * One case per reconnect storm, named by its time (the same name run after run of one --storm-at), its recovery as its
 * output. It fails when some dropped viewer never had a frame again; a storm the run ended before is skipped. Its time
 * is the recovery's: until all were back, else until the run's end.
 */
function stormCase(row: StormWithStanding, report: Report): string {
  const { storm } = row;
  const open = `    <testcase classname="camera-load.storms" name="${escape(stormName(storm))}" time="${stormSeconds(row, report).toFixed(3)}">`;
  const problem = stormProblem(row, report);
  if (!row.standing.ran) return `${open}\n      <skipped message="${escape(problem ?? '')}"/>\n    </testcase>`;
  const figures = [
    `mode: ${stormMode(storm)}`,
    ...STORM_FIGURES.map((figure) => `${figure.name}: ${figure.value(storm)}`),
    `connections ended: ${connectionEnds(storm)}`,
  ];
  // The codes come from the servers: plain text only.
  const out = `      <system-out>${escape(figures.map((line) => printable(line, 1_000)).join('\n'))}</system-out>`;
  if (problem === null) return `${open}\n${out}\n    </testcase>`;
  return `${open}\n      <failure message="${escape(problem)}" type="not-recovered">${escape(problem)}</failure>\n${out}\n    </testcase>`;
}

/**
 * Pure: JUnit XML with one test case per threshold and one per stream (failed when it never opened); with viewer
 * groups, a suite of one case per group; with stages, a suite of one case per stage; with storms, one per storm.
 */
/** The run's suites; with `compared` (run --baseline), the comparison's suite after them. */
export function renderJunit(report: Report, thresholds: readonly ThresholdResult[], compared?: CompareResult): string {
  const seconds = report.summary.durationSeconds.toFixed(3);
  const thresholdCases = thresholds.map((t) => {
    const open = `    <testcase classname="camera-load.thresholds" name="${escape(t.expression)}" time="0">`;
    if (t.passed) return `${open}</testcase>`;
    const message = `expected ${t.expression}, actual ${t.actual === null ? 'no value (nothing measured)' : String(t.actual)}`;
    return `${open}\n      <failure message="${escape(message)}" type="threshold">${escape(message)}</failure>\n    </testcase>`;
  });
  const streamCases = report.streams.map((stream) => {
    // Camera ids, names and error details come from the camera source and its servers: plain text only.
    const name = `stream ${stream.index} camera ${printable(stream.cameraId)} (${printable(stream.name)})`;
    const open = `    <testcase classname="camera-load.streams" name="${escape(name)}" time="${stream.connectedSeconds.toFixed(3)}">`;
    const detail = `${stream.frames} frames, ${stream.fps} fps, ${stream.reconnections} reconnections`;
    if (stream.opened) return `${open}\n      <system-out>${escape(detail)}</system-out>\n    </testcase>`;
    const why = stream.lastError ? printable(`${stream.lastError.code}: ${stream.lastError.message}`, 500) : 'no frame arrived';
    const message = `never opened (${why})`;
    return `${open}\n      <failure message="${escape(message)}" type="not-opened">${escape(`${message}; ${detail}`)}</failure>\n    </testcase>`;
  });
  // A shard's suites say whose they are: CI lists every pod's, and their verdicts are not the test's.
  const shard = shardLabel(report);
  const scope = shardScopeNote(report);
  const properties =
    scope === null
      ? ''
      : `    <properties>\n      <property name="camera-load.shard" value="${escape(shard ?? '')}"/>\n      <property name="camera-load.scope" value="${escape(scope)}"/>\n    </properties>\n`;
  const suite = (name: string, cases: string[], failures: number, skipped = 0): string =>
    `  <testsuite name="${name}${shard === null ? '' : ` (${shard})`}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds}" timestamp="${report.startedAt}">\n` +
    `${properties}${cases.join('\n')}${cases.length > 0 ? '\n' : ''}  </testsuite>`;
  const thresholdFailures = thresholds.filter((t) => !t.passed).length;
  const streamFailures = report.streams.filter((s) => !s.opened).length;
  const groupCases = (report.viewerGroups ?? []).map((group) => viewerGroupCase(group, report.summary.durationSeconds));
  const stages = standingsOf(report);
  const stageCases = stages.map((row) => stageCase(row, report));
  const stageFailures = stages.filter((row) => row.standing.failed).length;
  const storms = stormStandingsOf(report);
  const stormCases = storms.map((row) => stormCase(row, report));
  const stormFailures = storms.filter((row) => row.standing.failed).length;
  const compareLines = compared?.lines ?? [];
  const tests = thresholdCases.length + streamCases.length + groupCases.length + stageCases.length + stormCases.length + compareLines.length;
  const failures = thresholdFailures + streamFailures + stageFailures + stormFailures + compareLines.filter((l) => l.verdict === 'worse').length;
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="camera-load${shard === null ? '' : ` (${shard})`}" tests="${tests}" failures="${failures}" time="${seconds}">\n` +
    `${suite('camera-load thresholds', thresholdCases, thresholdFailures)}\n` +
    `${suite('camera-load streams', streamCases, streamFailures)}\n` +
    (groupCases.length > 0 ? `${suite('camera-load viewer groups', groupCases, 0)}\n` : '') +
    (stageCases.length > 0 ? `${suite('camera-load stages', stageCases, stageFailures, stages.filter((row) => !row.standing.ran).length)}\n` : '') +
    (stormCases.length > 0 ? `${suite('camera-load storms', stormCases, stormFailures, storms.filter((row) => !row.standing.ran).length)}\n` : '') +
    (compared === undefined ? '' : `${compareSuite(compared)}\n`) +
    '</testsuites>\n'
  );
}
