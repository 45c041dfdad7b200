import { readFile, stat } from 'node:fs/promises';
import { INPUT_LIMITS } from '../input-limits.js';
import { resolve as resolvePath } from 'node:path';
import type { CommandContext } from '../command-context.js';
import { UsageError } from '../errors.js';
import { MergeError } from '../report/merge-errors.js';
import { asShardReport, reportProblem } from '../report/merge-input.js';
import type { MaxReport } from '../max/max-report.js';
import type { Report } from '../report/report-types.js';
import { probeOutput, checkOutputs } from './check-outputs.js';
import { reportEncodingsProblem } from './report-encodings.js';
import { assertNoConflict, htmlPath, STDOUT_PATH, type OutputTarget } from './output-paths.js';
import type { RunOutputTargets } from './run-files.js';
import { fileTimestamp } from './write-file.js';
import { DEFAULTS } from '../options/defaults.js';
import { defined } from '../defined.js';

/** The file's JSON; `refuse` names what makes it no report (too large, not JSON). */
async function readJson(file: string, refuse: (what: string, cause?: unknown) => Error): Promise<unknown> {
  let text: string;
  try {
    const { size } = await stat(file);
    if (size > INPUT_LIMITS.reportFileBytes)
      throw refuse(`${size.toLocaleString('en-US')} bytes, over the ${INPUT_LIMITS.reportFileBytes.toLocaleString('en-US')} a report may have`);
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`, { cause: error });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw refuse('not JSON', error);
  }
}

/** Reads report files back, each checked (ERR_MERGE_NOT_A_REPORT) before anything is merged. */
export async function readReports(files: readonly string[]): Promise<Report[]> {
  return Promise.all(
    files.map(async (file) => {
      const report = asShardReport(await readJson(file, (what, cause) => new MergeError('ERR_MERGE_NOT_A_REPORT', `${file}: ${what}`, { cause })), file);
      const problem = reportEncodingsProblem(report);
      if (problem !== undefined) throw new MergeError('ERR_MERGE_NOT_A_REPORT', `${file}: ${problem}`);
      return report;
    }),
  );
}

/** Any report read back (run, merged or max, from this version or an older one), checked (ERR_NOT_A_REPORT). */
export async function readAnyReport(file: string): Promise<Report | MaxReport> {
  const notAReport = (what: string, cause?: unknown): UsageError => new UsageError(`${file}: ${what} (ERR_NOT_A_REPORT)`, { cause, code: 'ERR_NOT_A_REPORT' });
  const value = await readJson(file, notAReport);
  const command = (value as { command?: unknown } | null)?.command === 'max' ? 'max' : 'run';
  const problem = reportProblem(value, command) ?? (command === 'run' ? reportEncodingsProblem(value as Report) : undefined);
  if (problem !== undefined) throw notAReport(problem);
  return value as Report | MaxReport;
}

/**
 * Renders a report read back. Its streams and timeline were checked field by field; a figure of its summary a
 * script left out or made a string instead stops a renderer with a TypeError: that file is not a report either,
 * and is refused by name (exit 2), not reported as camera-load's own failure.
 */
export function renderReadBack<T>(file: string, render: () => T): T {
  const refuse = (error: unknown): never => {
    if (!(error instanceof TypeError || error instanceof RangeError)) throw error;
    throw new UsageError(`${file}: its fields are not what camera-load writes (${error.message}) (ERR_NOT_A_REPORT)`, {
      cause: error,
      code: 'ERR_NOT_A_REPORT',
    });
  };
  try {
    const rendered = render();
    return (rendered instanceof Promise ? rendered.catch(refuse) : rendered) as T;
  } catch (error) {
    return refuse(error);
  }
}

const MERGED_STEM = `${DEFAULTS.reportStem.run}_merged`;

/**
 * Where a merge writes: the report (default name with the local time stamp), JUnit when asked, the job summary
 * when GITHUB_STEP_SUMMARY names a writable file. Checked before reading anything (exit 2), as `run` does.
 */
export async function mergeOutputTargets(
  options: { output?: string; html?: string | true; junit?: string },
  context: CommandContext,
): Promise<RunOutputTargets> {
  const reportName = `${MERGED_STEM}_${fileTimestamp(new Date())}.json`;
  const report = options.output === STDOUT_PATH ? STDOUT_PATH : resolvePath(options.output ?? reportName);
  const html = htmlPath(options.html, report, reportName);
  const junit = options.junit === undefined ? undefined : resolvePath(options.junit);
  const targets: OutputTarget[] = [{ flag: '--output', path: report, append: false }];
  if (html !== undefined) targets.push({ flag: '--html', path: html, append: false });
  if (junit !== undefined) targets.push({ flag: '--junit', path: junit, append: false });
  assertNoConflict(targets);
  await checkOutputs(targets);
  let stepSummary = context.env.GITHUB_STEP_SUMMARY;
  if (stepSummary) {
    const failure = await probeOutput({ flag: 'GITHUB_STEP_SUMMARY', path: resolvePath(stepSummary), append: true });
    if (failure) context.stderr.write(`camera-load: warning: ${failure.message}; the job summary will be skipped\n`);
    if (failure) stepSummary = undefined;
  }
  // A merge keeps no log: `log` is named only because the run outputs' targets carry it.
  return { paths: { report, log: '', reportName, ...defined({ html }) }, ...defined({ junit }), ...(stepSummary ? { stepSummary } : {}) };
}
