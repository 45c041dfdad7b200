import { setTimeout as sleep } from 'node:timers/promises';
import { Command } from 'commander';
import { addEngineOptions, parseMinDuration, resolveEngineOptions, type EngineFlags, type EngineOptions } from '../options/engine-options.js';
import { parseInteger, parsePositiveNumber } from '../options/units.js';
import { UsageError } from '../errors.js';
import { ExitCode, mostUrgent } from '../exit-codes.js';
import { CapacitySearch } from '../capacity/capacity-search.js';
import { renderTrials, type MaxReport, type TrialRecord } from '../capacity/max-report.js';
import { runTrial } from '../run/capacity-trial.js';
import { DEFAULT_CRITERIA, judgeTrial, type StabilityCriteria } from '../capacity/stability.js';
import { redactUrl } from '../text/redact.js';
import { planStreams } from '../run/plan-streams.js';
import { VERSION } from '../version.js';
import type { ActionRunner, CommandContext, CommandResult } from './context.js';
import { attachRunLog } from '../output/run-log.js';
import {
  checkOutputsFirst,
  closeLog,
  engineConfig,
  INTERRUPT_GRACE_MS,
  loadAndLogCameras,
  openLog,
  outputPaths,
  runPlan,
  type RunCameras,
  saveOutput,
  settleWithin,
  SHUTDOWN_BUDGET_MS,
  STOP_GRACE_MS,
} from './shared.js';

interface MaxFlags extends EngineFlags {
  start?: string;
  maxStreams?: string;
  min: string;
  trial: string;
  cooldown: string;
  precision: string;
  maxReconnects: string;
  minFps?: string;
}

interface MaxOptions extends EngineOptions {
  start: number | undefined;
  maxStreams: number | undefined;
  min: number;
  trialMs: number;
  cooldownMs: number;
  precision: number;
  criteria: StabilityCriteria;
}

function resolveMaxOptions(flags: MaxFlags, env: NodeJS.ProcessEnv, apiUrlGiven: boolean): MaxOptions {
  const min = parseInteger(flags.min, '--min', 1, 100_000);
  const start = flags.start === undefined ? undefined : parseInteger(flags.start, '--start', 1, 100_000);
  if (start !== undefined && start < min) throw new UsageError(`--start (${start}) must not be below --min (${min})`);
  return {
    ...resolveEngineOptions(flags, env, apiUrlGiven),
    start,
    maxStreams: flags.maxStreams === undefined ? undefined : parseInteger(flags.maxStreams, '--max-streams', 1, 100_000),
    min,
    trialMs: parseMinDuration(flags.trial, '--trial', 1_000),
    cooldownMs: parseMinDuration(flags.cooldown, '--cooldown', 0),
    precision: parseInteger(flags.precision, '--precision', 1, 100_000),
    criteria: {
      ...DEFAULT_CRITERIA,
      maxReconnects: parseInteger(flags.maxReconnects, '--max-reconnects', 0, 1_000_000),
      ...(flags.minFps === undefined ? {} : { minFps: parsePositiveNumber(flags.minFps, '--min-fps') }),
    },
  };
}

async function findMaximum(flags: MaxFlags, apiUrlGiven: boolean, context: CommandContext): CommandResult {
  const options = resolveMaxOptions(flags, process.env, apiUrlGiven);
  const paths = outputPaths(options, 'camera_max_capacity_report');
  // No job summary for `max`: only the conflict and the probe matter here.
  await checkOutputsFirst(paths, [], context);
  const say = (text: string): void => {
    if (!options.quiet) context.stdout.write(`${text}\n`);
  };
  const startedAt = new Date();
  const config = {
    start: options.start,
    maxStreams: options.maxStreams,
    min: options.min,
    trialSeconds: options.trialMs / 1000,
    cooldownSeconds: options.cooldownMs / 1000,
    precision: options.precision,
    maxReconnects: options.criteria.maxReconnects,
    minFps: options.criteria.minFps ?? null,
    relativeFps: options.criteria.relativeFps,
    ...engineConfig(options, paths),
  };
  const log = await openLog(paths);
  const { logger } = log;
  let cameras: RunCameras | undefined;
  const trials: TrialRecord[] = [];
  try {
    logger.info({ event: 'start', command: 'max', version: VERSION, config });
    try {
      cameras = await loadAndLogCameras(options, logger, context.signal);
    } catch (error) {
      if (context.signal.aborted) return ExitCode.INTERRUPTED;
      throw error;
    }
    const capacity = cameras.cameras.length * options.streamsPerCamera;
    const start = Math.min(options.start ?? options.maxStreams ?? capacity, capacity);
    if (start < options.min) {
      throw new UsageError(`--min ${options.min} is above the ${capacity} streams the cameras allow (--streams-per-camera for more)`);
    }
    say(
      `Finding the maximum stable number of streams between ${options.min} and ${start} ` +
        `(${cameras.cameras.length} cameras, ${options.trialMs / 1000} s per trial, ${redactUrl(cameras.origin)})`,
    );
    if (options.start !== undefined && options.start > capacity) say(`--start ${options.start} capped at ${capacity}: the cameras allow no more.`);

    const search = new CapacitySearch(start, options.min, options.precision);
    let referenceFps: number | undefined;
    let referenceLevel: number | undefined;
    let boundedByClient: string | undefined;
    let stoppedLate = false;
    const loaded = cameras;
    for (let level = search.next(); level !== undefined && !context.signal.aborted; level = search.next()) {
      // Each trial, with its cool-down, must end within its own length plus the shutdown budget.
      context.mustFinishWithin(options.cooldownMs + options.trialMs + SHUTDOWN_BUDGET_MS);
      if (trials.length > 0 && options.cooldownMs > 0) {
        const rested = await sleep(options.cooldownMs, true, { signal: context.signal }).catch(() => false);
        if (!rested) break;
      }
      const streams = planStreams(loaded.cameras, level, options.streamsPerCamera);
      logger.info({ event: 'trial-start', level });
      const running = runTrial(
        runPlan(options, streams, { durationMs: options.trialMs, rampUpMs: 0 }, loaded.headersFor),
        streams,
        {
          version: VERSION,
          cameras: { listed: loaded.listed, active: loaded.active, skipped: loaded.skipped.length },
          streamsPerCamera: options.streamsPerCamera,
          saturationCpuPercent: options.saturationCpuPercent,
        },
        context.signal,
        (runner) => {
          attachRunLog(runner, logger);
        },
      );
      const trial = await settleWithin(running, options.trialMs + STOP_GRACE_MS, context.signal, INTERRUPT_GRACE_MS);
      if (!trial) {
        // A trial whose streams do not stop is lost, and so is the search: report the trials that finished.
        stoppedLate = true;
        context.stderr.write(`camera-load: the trial at ${level} streams did not stop in time (ERR_SHUTDOWN_TIMEOUT); the report holds the trials before it\n`);
        logger.error({ event: 'shutdown-timeout', level });
        break;
      }
      if (trial.interrupted) break;
      const verdict = judgeTrial(trial.measure, options.criteria, referenceFps);
      // The lowest stable level sets the frame rate the others are held to.
      if (verdict.stable && (referenceLevel === undefined || level < referenceLevel)) {
        referenceLevel = level;
        referenceFps = trial.measure.fpsPerStream;
      }
      const record: TrialRecord = { index: trials.length + 1, ...trial.measure, verdict, summary: trial.summary };
      trials.push(record);
      logger.info({ event: 'trial-end', level, measure: trial.measure, verdict });
      say(
        `trial ${record.index}: ${level} streams — opened ${trial.measure.opened}, ${trial.measure.fpsPerStream.toFixed(2)} fps per stream, ` +
          `${trial.measure.reconnections} reconnections, ${trial.measure.stalls} stalls: ` +
          (verdict.stable ? 'STABLE' : `UNSTABLE (${verdict.reasons.join('; ')})`),
      );
      if (!trial.summary.valid) {
        boundedByClient = trial.summary.invalidReason ?? 'camera-load itself was saturated';
        break;
      }
      search.record(level, verdict.stable);
    }

    const answer = search.answer;
    const interrupted = context.signal.aborted;
    const atAnswer = trials.find((t) => t.level === answer);
    const report: MaxReport = {
      schemaVersion: 1,
      tool: { name: 'camera-load', version: VERSION },
      command: 'max',
      startedAt: startedAt.toISOString(),
      endedAt: new Date().toISOString(),
      interrupted,
      config,
      result: {
        maxStableStreams: answer ?? null,
        fpsPerStreamAtMax: atAnswer ? atAnswer.fpsPerStream : null,
        referenceFpsPerStream: referenceFps ?? null,
        boundedByClient: boundedByClient !== undefined,
        ...(boundedByClient === undefined ? {} : { boundedByClientReason: boundedByClient }),
        trials: trials.length,
      },
      trials,
    };
    if (!options.quiet) {
      context.stdout.write(`\n${renderTrials(trials)}\n`);
      if (boundedByClient !== undefined) {
        say(`Stopped: this machine, not the server, was the limit at ${trials.at(-1)?.level ?? '?'} streams (${boundedByClient}).`);
      }
      if (answer === undefined) say(`No stable level found: even ${options.min} stream${options.min === 1 ? ' was' : 's were'} unstable.`);
      else say(`Maximum stable concurrent streams: ${answer} (${(atAnswer?.fpsPerStream ?? 0).toFixed(2)} fps per stream)${boundedByClient === undefined ? '' : ', at least'}`);
    }
    const saved = await saveOutput(`${JSON.stringify(report, null, 2)}\n`, { flag: '--output', path: paths.report, name: paths.reportName }, context, {
      label: 'stdout',
      write: (text) => context.stdout.write(text),
    });
    logger.info({ event: 'end', result: report.result, interrupted, report: saved.where ?? null });
    const logProblem = await closeLog(log, paths.log, context);
    say(`Report: ${saved.where ?? 'not saved (see stderr)'}`);
    say(`Log:    ${paths.log}${logProblem === undefined ? '' : ' (incomplete, see stderr)'}`);
    return mostUrgent([
      interrupted ? ExitCode.INTERRUPTED : ExitCode.OK,
      stoppedLate ? ExitCode.INTERNAL : ExitCode.OK,
      saved.moved || logProblem !== undefined ? ExitCode.OUTPUT_ELSEWHERE : ExitCode.OK,
      boundedByClient === undefined ? ExitCode.OK : ExitCode.CLIENT_SATURATED,
      answer === undefined ? ExitCode.THRESHOLD_FAILED : ExitCode.OK,
    ]);
  } finally {
    await cameras?.close();
    await log.close();
  }
}

export function maxCommand(runAction: ActionRunner): Command {
  const command = addEngineOptions(
    new Command('max')
      .description('find the maximum stable number of concurrent streams')
      .option('--start <n>', 'first level to try (default: as many streams as the cameras allow, or --max-streams)')
      .option('--max-streams <n>', 'cap for the start level')
      .option('--min <n>', 'lowest level to try', '1')
      .option('--trial <time>', 'length of each trial', '30s')
      .option('--cooldown <time>', 'pause between trials', '5s')
      .option('--precision <n>', 'stop when the highest stable and lowest unstable levels are this close', '1')
      .option('--max-reconnects <n>', 'reconnections plus stalls a stable trial may have', '0')
      .option('--min-fps <fps>', 'frames per second per stream a stable trial must hold (default: 90% of the lowest stable level)'),
    'camera_max_capacity_report',
  );
  return command.action((flags: MaxFlags) =>
    runAction((context) => findMaximum(flags, command.getOptionValueSource('apiUrl') === 'cli', context)),
  );
}
