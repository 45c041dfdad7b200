import { tmpdir } from 'node:os';
import { resolve as resolvePath } from 'node:path';
import type { CommandContext } from '../command-context.js';
import type { EngineOptions } from '../options/engine-options.js';
import { DEFAULTS } from '../options/defaults.js';
import { checkOutputs, probeOutput } from './check-outputs.js';
import { createFileLogger, type FileLog } from './log.js';
import { assertNoConflict, describeOutputFailure, errorCode, fallbackPaths, htmlPath, notWritable, STDOUT_PATH, type OutputTarget } from './output-paths.js';
import { contentTexts, fileTimestamp, saveWithFallback, type FileContent } from './write-file.js';
import { defined } from '../defined.js';

// The files of `run` and `max`: named, checked before anything runs, the log opened and closed, and each
// output saved where asked or somewhere that is said.

/** `--output -`: the report (or cameras file) goes to stdout. No resolved path is ever this. */
export const STDOUT_OUTPUT = STDOUT_PATH;

export interface OutputPaths {
  /** Absolute, or STDOUT_OUTPUT. */
  report: string;
  log: string;
  /** The report's default file name, for the fallback when its own path fails. */
  reportName: string;
  /** Absolute; undefined when no --html. */
  html?: string;
}

export function outputPaths(options: EngineOptions, reportStem: string): OutputPaths {
  const stamp = fileTimestamp(new Date());
  const reportName = `${reportStem}_${stamp}.json`;
  const report = options.output === STDOUT_OUTPUT ? STDOUT_OUTPUT : resolvePath(options.output ?? reportName);
  const html = htmlPath(options.html, report, reportName);
  return { report, log: resolvePath(options.log ?? `${DEFAULTS.logStem}_${stamp}.log`), reportName, ...defined({ html }) };
}

/**
 * Checks every output before anything runs (no stream, no simulated fleet, no API request): two flags naming
 * one file, then a real probe of each (exit 2 on either). The step summary is best-effort: a warning, and
 * undefined so that it is skipped at the end.
 */
export async function checkOutputsFirst(paths: OutputPaths, extra: OutputTarget[], context: CommandContext): Promise<string | undefined> {
  const targets: OutputTarget[] = [
    { flag: '--output', path: paths.report, append: false },
    { flag: '--log', path: paths.log, append: true },
    ...(paths.html === undefined ? [] : [{ flag: '--html', path: paths.html, append: false }]),
    ...extra,
  ];
  assertNoConflict(targets);
  await checkOutputs(targets);
  const stepSummary = context.env.GITHUB_STEP_SUMMARY;
  if (!stepSummary) return undefined;
  const failure = await probeOutput({ flag: 'GITHUB_STEP_SUMMARY', path: resolvePath(stepSummary), append: true });
  if (!failure) return stepSummary;
  context.stderr.write(`camera-load: warning: ${failure.message}; the job summary will be skipped\n`);
  return undefined;
}

/** Opens the log that checkOutputsFirst probed; should it fail even so (removed in between), exit 2 all the same. */
export async function openLog(paths: OutputPaths): Promise<FileLog> {
  try {
    return await createFileLogger(paths.log);
  } catch (error) {
    throw notWritable({ flag: '--log', path: paths.log, append: true }, describeOutputFailure('append', error), error);
  }
}

/** Closes the log and, when it is incomplete, says why on stderr; returns that reason. */
export async function closeLog(log: FileLog, path: string, context: CommandContext): Promise<string | undefined> {
  await log.close();
  const problem = log.problem();
  if (problem !== undefined) context.stderr.write(`camera-load: --log ${path}: log incomplete: ${problem}\n`);
  return problem;
}

/**
 * Saves an output where asked (stdout for `-`) or, failing that, in the working folder under `name`, then in the temporary
 * folder; with `lastResort`, then there (the report goes to stdout rather than be lost). Says on stderr where it
 * went and returns that place, and whether it is not where asked.
 */
export async function saveOutput(
  content: FileContent,
  what: { flag: string; path: string; name: string },
  context: CommandContext,
  lastResort?: { label: string; write: (text: string) => void },
): Promise<{ where: string | undefined; moved: boolean }> {
  if (what.path === STDOUT_PATH) {
    for (const text of contentTexts(content)) context.stdout.write(text);
    return { where: 'stdout', moved: false };
  }
  const saved = await saveWithFallback(content, what.path, fallbackPaths(what.path, what.name, [context.workingFolder(), tmpdir()]));
  if (saved.failure === undefined) return { where: what.path, moved: false };
  const why = `${what.flag} ${what.path}: could not be written (${errorCode(saved.failure)})`;
  if (saved.path !== undefined) {
    context.stderr.write(`camera-load: ${why}; saved to ${saved.path} instead\n`);
    return { where: saved.path, moved: true };
  }
  if (lastResort) {
    context.stderr.write(`camera-load: ${why}, nor in the working or temporary folder; it follows on ${lastResort.label}\n`);
    for (const text of contentTexts(content)) lastResort.write(text);
    return { where: lastResort.label, moved: true };
  }
  context.stderr.write(`camera-load: ${why}, nor in the working or temporary folder; it was not saved\n`);
  return { where: undefined, moved: true };
}

/** Where a run's outputs go: the report and log always; JUnit and the job summary when asked for. */
export interface RunOutputTargets {
  paths: OutputPaths;
  junit?: string;
  /** GITHUB_STEP_SUMMARY, already probed (undefined: none, or not writable). */
  stepSummary?: string;
}

/** A run's files, checked before anything runs, with its log open. */
export interface RunFiles extends RunOutputTargets {
  log: FileLog;
}

/** Names the files, checks every one of them (exit 2 before anything runs), and opens the log. */
export async function openRunFiles(options: EngineOptions & { junit?: string }, reportStem: string, context: CommandContext): Promise<RunFiles> {
  const paths = outputPaths(options, reportStem);
  const junit = options.junit === undefined ? undefined : resolvePath(options.junit);
  const stepSummary = await checkOutputsFirst(paths, junit === undefined ? [] : [{ flag: '--junit', path: junit, append: false }], context);
  const log = await openLog(paths);
  return { paths, log, ...defined({ junit, stepSummary }) };
}
