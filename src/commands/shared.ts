import { tmpdir } from 'node:os';
import { resolve as resolvePath } from 'node:path';
import type { Camera } from '../cameras/camera.js';
import { loadCameras, type ListSource, type LoadedCameras } from '../cameras/load-cameras.js';
import type { CameraSource } from '../options/camera-source.js';
import { startFleetProcess, type FleetProcess } from '../sim/fleet-process.js';
import type { EngineOptions } from '../options/engine-options.js';
import { createFileLogger, type FileLog, type Logger } from '../output/log.js';
import { assertNoConflict, describeOutputFailure, errorCode, fallbackPaths, notWritable, type OutputTarget } from '../output/output-paths.js';
import { redactHeaders, redactUrl } from '../text/redact.js';
import { checkOutputs, probeOutput } from '../output/check-outputs.js';
import { fileTimestamp, saveWithFallback } from '../output/write-file.js';
import type { RunPlan } from '../run/runner.js';
import { DEFAULT_BACKOFF } from '../connection/backoff.js';
import type { CommandContext } from './context.js';

// What `run` and `max` do alike: name, check and save their files, list the cameras, plan a run, bound the waits.

/**
 * After a run's planned end: time for the streams to stop and the outputs to be written. The CLI ends the
 * process when it is spent (exit 70), so no failure can hold a run longer.
 */
export const SHUTDOWN_BUDGET_MS = 10_000;
/** Of the shutdown budget, what the streams get to stop; the rest is for writing what was measured. */
export const STOP_GRACE_MS = 6_000;
/** After Ctrl+C, what the streams get to stop: the report is then written well before the CLI's 4.5 s exit. */
export const INTERRUPT_GRACE_MS = 2_500;

export interface OutputPaths {
  report: string;
  log: string;
  /** The report's default file name, for the fallback when its own path fails. */
  reportName: string;
}

export function outputPaths(options: EngineOptions, reportStem: string): OutputPaths {
  const stamp = fileTimestamp(new Date());
  const reportName = `${reportStem}_${stamp}.json`;
  return {
    report: resolvePath(options.output ?? reportName),
    log: resolvePath(options.log ?? `camera_load_test_${stamp}.log`),
    reportName,
  };
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
    ...extra,
  ];
  assertNoConflict(targets);
  await checkOutputs(targets);
  const stepSummary = process.env.GITHUB_STEP_SUMMARY;
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

/** The working folder, or undefined when it was deleted while the run went on (process.cwd() throws then). */
function workingFolder(): string | undefined {
  try {
    return process.cwd();
  } catch {
    return undefined;
  }
}

/**
 * Saves an output where asked or, failing that, in the working folder under `name`, then in the temporary
 * folder; with `lastResort`, then there (the report goes to stdout rather than be lost). Says on stderr where it
 * went and returns that place, and whether it is not where asked.
 */
export async function saveOutput(
  content: string,
  what: { flag: string; path: string; name: string },
  context: CommandContext,
  lastResort?: { label: string; write: (content: string) => void },
): Promise<{ where: string | undefined; moved: boolean }> {
  const saved = await saveWithFallback(content, what.path, fallbackPaths(what.path, what.name, [workingFolder(), tmpdir()]));
  if (saved.failure === undefined) return { where: what.path, moved: false };
  const why = `${what.flag} ${what.path}: could not be written (${errorCode(saved.failure)})`;
  if (saved.path !== undefined) {
    context.stderr.write(`camera-load: ${why}; saved to ${saved.path} instead\n`);
    return { where: saved.path, moved: true };
  }
  if (lastResort) {
    context.stderr.write(`camera-load: ${why}, nor in the working or temporary folder; it follows on ${lastResort.label}\n`);
    lastResort.write(content);
    return { where: lastResort.label, moved: true };
  }
  context.stderr.write(`camera-load: ${why}, nor in the working or temporary folder; it was not saved\n`);
  return { where: undefined, moved: true };
}

/**
 * `work`'s result, or undefined once `limitMs` have passed, or `graceMs` after `signal` aborted: the caller
 * then goes on with what it knows, so a stop that never completes cannot hold the run.
 */
export function settleWithin<T>(work: Promise<T>, limitMs: number, signal: AbortSignal, graceMs: number): Promise<T | undefined> {
  return new Promise<T | undefined>((resolve, reject) => {
    let grace: NodeJS.Timeout | undefined;
    const onAbort = (): void => {
      grace = setTimeout(settle, graceMs, undefined);
    };
    const limit = setTimeout(settle, limitMs, undefined);
    function cleanUp(): void {
      clearTimeout(limit);
      clearTimeout(grace);
      signal.removeEventListener('abort', onAbort);
    }
    function settle(value: T | undefined): void {
      cleanUp();
      resolve(value);
    }
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    work.then(settle, (error: unknown) => {
      cleanUp();
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passed on as the work rejected
      reject(error);
    });
  });
}

/** The cameras of a run, and how to stop what listing them started (the simulated fleet). */
export interface RunCameras extends LoadedCameras {
  close: () => Promise<void>;
}

/**
 * Lists the cameras (typed errors for a failing source) and logs what was found. `--simulate` starts the fleet
 * in its own process first and reads its camera API like any other.
 */
export async function loadAndLogCameras(options: EngineOptions, logger: Logger, signal: AbortSignal): Promise<RunCameras> {
  const { source } = options;
  let fleet: FleetProcess | undefined;
  let listed: ListSource;
  if (source.kind === 'simulate') {
    fleet = await startFleetProcess(['--cameras', String(source.cameras), ...source.args]);
    listed = { kind: 'api', apiUrl: fleet.apiUrl };
  } else {
    listed = source;
  }
  const close = async (): Promise<void> => {
    await fleet?.stop();
  };
  let cameras: LoadedCameras;
  try {
    cameras = await loadCameras(listed, {
      headers: options.headers,
      insecure: options.insecure,
      timeoutMs: options.apiTimeoutMs,
      signal,
    });
  } catch (error) {
    await close();
    logger.error({ event: 'camera-source-failed', error: (error as Error).message });
    throw error;
  }
  const origin = fleet ? `simulated fleet at ${fleet.apiUrl}` : cameras.origin;
  logger.info({
    event: 'cameras',
    origin: redactUrl(origin),
    listed: cameras.listed,
    active: cameras.active,
    skipped: cameras.skipped,
    cameras: cameras.cameras.map((c) => ({ id: c.id, name: c.name, url: redactUrl(c.streamUrl) })),
  });
  return { ...cameras, origin, close };
}

export function runPlan(
  options: EngineOptions,
  streams: Camera[],
  timing: { durationMs: number; rampUpMs: number },
  headersFor: (url: string) => Record<string, string>,
): RunPlan {
  return {
    streams,
    durationMs: timing.durationMs,
    rampUpMs: timing.rampUpMs,
    stallTimeoutMs: options.stallTimeoutMs,
    backoff: { ...DEFAULT_BACKOFF, maxMs: options.backoffMaxMs },
    intervalMs: options.intervalMs,
    headersFor,
    insecure: options.insecure,
    connectConcurrency: options.connectConcurrency,
    systemIntervalMs: 2_000,
  };
}

function describeSource(source: CameraSource): Record<string, unknown> {
  switch (source.kind) {
    case 'api':
      return { kind: 'api', apiUrl: redactUrl(source.apiUrl) };
    case 'file':
      return { kind: 'file', path: source.path };
    case 'urls':
      return { kind: 'urls', urls: source.urls.map(redactUrl) };
    case 'simulate':
      return { kind: 'simulate', cameras: source.cameras };
  }
}

/** The shared options as the report and the log record them, secrets redacted. */
export function engineConfig(options: EngineOptions, paths: { report: string; log: string }): Record<string, unknown> {
  return {
    source: describeSource(options.source),
    headers: redactHeaders(options.headers),
    insecure: options.insecure,
    streamsPerCamera: options.streamsPerCamera,
    stallTimeoutSeconds: options.stallTimeoutMs / 1000,
    backoff: { ...DEFAULT_BACKOFF, maxMs: options.backoffMaxMs },
    intervalSeconds: options.intervalMs / 1000,
    connectConcurrency: options.connectConcurrency,
    apiTimeoutSeconds: options.apiTimeoutMs / 1000,
    saturationCpuPercent: options.saturationCpuPercent,
    output: paths.report,
    log: paths.log,
  };
}
