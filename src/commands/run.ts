import type { Command } from 'commander';
import type { ActionRunner, CommandContext, CommandResult } from '../command-context.js';
import { ExitCode, mostUrgent } from '../exit-codes.js';
import type { Compared } from './baseline.js';
import type { Camera } from '../cameras/camera.js';
import type { Report } from '../report/report-types.js';
import { DEFAULTS } from '../options/defaults.js';
import { runConfig } from '../options/describe-options.js';
import { resolveRunOptions, type RunFlags, type RunOptions } from '../options/run-options.js';
import { countdown } from '../terminal/countdown.js';
import { startMetrics } from '../prometheus/live-metrics.js';
import { attachProgress, loadShapeLine, streamingLine, viewersLine } from '../terminal/progress.js';
import { streamCount } from '../terminal/prompt.js';
import { attachRunLog, logCameras } from '../files/run-log.js';
import { closeLog, openRunFiles, type RunFiles } from '../files/run-files.js';
import { finishOutputs } from '../files/run-outputs.js';
import { exitCodeOf } from '../verdict/exit-code.js';
import { runVerdict } from '../verdict/run-verdict.js';
import { loadTest, type LoadTestHooks } from '../run/load-test.js';
import { VERSION } from '../version.js';
import { COMMANDS, declareCommand } from './catalog.js';

// `camera-load run`: options → load test → outputs. The rules live below; this file only wires them.

/** What the run will do, said before it starts: its streams, its viewer groups, its load over time. */
function planLines(options: RunOptions, plan: Parameters<LoadTestHooks['starting']>[1]): string[] {
  const { stages, storms, arrivals, viewers } = options;
  const shape = loadShapeLine(stages, storms, arrivals && { model: arrivals, maxStreams: options.maxStreams ?? plan.maxStreams });
  return [streamingLine(plan, options.durationMs, options.shard), ...(viewers ? [viewersLine(viewers)] : []), ...(shape === undefined ? [] : [shape])];
}

/** `--baseline`, read and checked before anything runs, and how the run is held against it. */
interface BaselineUse {
  checkPlan: (streams: readonly Camera[]) => void;
  compare: (report: Report, reportFile: string) => Compared;
}

/**
 * The baseline's module (compare and its table: 16 modules) is loaded only for `--baseline`: every other run would
 * pay its start-up for nothing.
 */
async function readBaselineUse(file: string | undefined): Promise<BaselineUse | undefined> {
  if (file === undefined) return undefined;
  const { checkBaselinePlan, compareWithBaseline, readBaseline } = await import('./baseline.js');
  const baseline = await readBaseline(file);
  if (baseline === undefined) return undefined;
  return {
    checkPlan: (streams) => {
      checkBaselinePlan(baseline, streams);
    },
    compare: (report, reportFile) => compareWithBaseline(baseline, report, reportFile),
  };
}

/** The run's end: its outputs and log, the baseline's comparison, and the exit code all of them stand for. */
async function finishRun(
  report: Report,
  stoppedInTime: boolean,
  { options, files, baseline }: { options: RunOptions; files: RunFiles; baseline: BaselineUse | undefined },
  context: CommandContext,
): Promise<ExitCode> {
  if (!stoppedInTime) context.stderr.write('camera-load: the streams did not stop in time (ERR_SHUTDOWN_TIMEOUT); the report holds what was known then\n');
  let logProblem: string | undefined;
  const compared = baseline?.compare(report, files.paths.report);
  const written = await finishOutputs(report, files, context, {
    quiet: options.quiet,
    ...(compared ? { compared } : {}),
    more: async ({ reportAt }) => {
      files.log.logger.info({ event: 'end', interrupted: report.interrupted, summary: report.summary, analysis: report.analysis, report: reportAt ?? null });
      logProblem = await closeLog(files.log, files.paths.log, context);
      return [['Log', `${files.paths.log}${logProblem === undefined ? '' : ' (incomplete, see stderr)'}`]];
    },
  });
  const code = exitCodeOf(runVerdict(report).word, { outputsMoved: written.moved || logProblem !== undefined, stoppedInTime });
  return compared === undefined ? code : mostUrgent([code, compared.code]);
}

async function runLoadTest(flags: RunFlags, apiUrlGiven: boolean, context: CommandContext): CommandResult {
  const options = resolveRunOptions(flags, context.env, apiUrlGiven, new Date());
  const baseline = await readBaselineUse(options.baseline);
  const metrics = await startMetrics('run', options, VERSION, context);
  const files = await openRunFiles(options, DEFAULTS.reportStem.run, context).catch(metrics.abandon);
  const { logger } = files.log;
  try {
    // The stream count may still be asked for: the 'plan' line records the one used.
    logger.info({ event: 'start', version: VERSION, config: runConfig(options, options.maxStreams ?? null, files.paths) });
    const { report, stoppedInTime } = await loadTest(
      options,
      {
        version: VERSION,
        config: (maxStreams) => runConfig(options, maxStreams, files.paths),
        cameras: (cameras) => {
          logCameras(logger, cameras);
        },
        streamCount: streamCount(options.maxStreams, options.quiet, context),
        planned: (streams) => {
          baseline?.checkPlan(streams);
        },
        waiting: countdown(context.stdout, { tty: context.stdoutIsTTY, quiet: options.quiet }),
        starting: (runner, plan) => {
          logger.info({ event: 'plan', maxStreams: plan.maxStreams, streamsPlanned: plan.streams.length });
          attachRunLog(runner, logger);
          metrics.follow(runner, plan.streams.length, options.viewers, runner.stages, options.storms);
          if (options.quiet) return;
          for (const line of planLines(options, plan)) context.stdout.write(`${line}\n`);
          attachProgress(runner, { out: context.stdout, tty: context.stdoutIsTTY, streamsPlanned: plan.atOnce, durationMs: options.durationMs });
        },
        mustFinishWithin: context.mustFinishWithin,
      },
      context.signal,
    );
    return await finishRun(report, stoppedInTime, { options, files, baseline }, context);
  } catch (error) {
    // At the prompt the terminal is raw: Ctrl+C arrives as a key, and readline rejects with an AbortError.
    if (context.signal.aborted || (error instanceof Error && error.name === 'AbortError')) {
      if (context.interactive) context.stdout.write('\n');
      return ExitCode.INTERRUPTED;
    }
    logger.error({ event: 'failed', error: (error as Error).message });
    throw error;
  } finally {
    await files.log.close();
    await metrics.close({ lastScrape: !context.signal.aborted });
  }
}

export function runCommand(runAction: ActionRunner): Command {
  const command = declareCommand(COMMANDS.run);
  return command.action((flags: RunFlags) => runAction((context) => runLoadTest(flags, command.getOptionValueSource('apiUrl') === 'cli', context)));
}
