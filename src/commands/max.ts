import type { Command } from 'commander';
import type { ActionRunner, CommandContext, CommandResult } from '../command-context.js';
import { ExitCode, mostUrgent } from '../exit-codes.js';
import type { Compared } from './baseline.js';
import type { MaxReport } from '../max/max-report.js';
import { DEFAULTS } from '../options/defaults.js';
import { maxConfig } from '../options/describe-options.js';
import { resolveMaxOptions, type MaxFlags, type MaxOptions } from '../options/max-options.js';
import { startMetrics } from '../prometheus/live-metrics.js';
import { describeTrial, renderSearch } from '../render/trials.js';
import { attachRunLog, logCameras } from '../files/run-log.js';
import { closeLog, openRunFiles, type RunFiles } from '../files/run-files.js';
import { writeMaxOutputs } from '../files/run-outputs.js';
import { exitCodeOf } from '../verdict/exit-code.js';
import { searchVerdict } from '../verdict/search-verdict.js';
import { runMaxSearch, maxReport } from '../run/max-run.js';
import { redactUrl } from '../text/redact.js';
import { VERSION } from '../version.js';
import { COMMANDS, declareCommand } from './catalog.js';

// `camera-load max`: options → capacity search → outputs. The rules live below; this file only wires them.

type CompareWithBaseline = (report: MaxReport, reportFile: string) => Compared;

/** `--baseline`: its module (compare and its table) is loaded only then, as for run. */
async function readMaxBaselineUse(file: string | undefined, config: Record<string, unknown>): Promise<CompareWithBaseline | undefined> {
  if (file === undefined) return undefined;
  const { compareMaxWithBaseline, readMaxBaseline } = await import('./baseline.js');
  const baseline = await readMaxBaseline(file, config);
  return baseline && ((report, reportFile) => compareMaxWithBaseline(baseline, report, reportFile));
}

/** The search's end: its summary, the baseline's comparison, its outputs and log, and the exit code they stand for. */
async function finishSearch(
  report: MaxReport,
  stoppedInTime: boolean,
  { options, files, baseline }: { options: MaxOptions; files: RunFiles; baseline: CompareWithBaseline | undefined },
  context: CommandContext,
): Promise<ExitCode> {
  const say = (text: string): void => {
    if (!options.quiet) context.stdout.write(`${text}\n`);
  };
  if (!options.quiet) context.stdout.write(`\n${renderSearch(report, options.min)}`);
  const compared = baseline?.(report, files.paths.report);
  if (compared && !options.quiet) context.stdout.write(`\n${compared.text}`);
  const written = await writeMaxOutputs(report, files.paths, context);
  files.log.logger.info({ event: 'end', result: report.result, interrupted: report.interrupted, report: written.reportAt ?? null });
  const logProblem = await closeLog(files.log, files.paths.log, context);
  for (const [label, where] of written.lines) say(`${`${label}:`.padEnd(7)} ${where}`);
  say(`Log:    ${files.paths.log}${logProblem === undefined ? '' : ' (incomplete, see stderr)'}`);
  const code = exitCodeOf(searchVerdict(report, options.min).word, { outputsMoved: written.moved || logProblem !== undefined, stoppedInTime });
  return compared === undefined ? code : mostUrgent([code, compared.code]);
}

async function maxCommandAction(flags: MaxFlags, apiUrlGiven: boolean, context: CommandContext): CommandResult {
  const options = resolveMaxOptions(flags, context.env, apiUrlGiven);
  const metrics = await startMetrics('max', options, VERSION, context);
  const files = await openRunFiles(options, DEFAULTS.reportStem.max, context).catch(metrics.abandon);
  const { logger } = files.log;
  const say = (text: string): void => {
    if (!options.quiet) context.stdout.write(`${text}\n`);
  };
  const config = maxConfig(options, files.paths);
  try {
    const baseline = await readMaxBaselineUse(options.baseline, config);
    logger.info({ event: 'start', command: 'max', version: VERSION, config });
    const result = await runMaxSearch(
      options,
      {
        version: VERSION,
        cameras: (cameras, { min, start, capacity }) => {
          logCameras(logger, cameras);
          say(
            `Finding the maximum stable number of streams between ${min} and ${start} (${cameras.cameras.length} cameras, ${options.trialMs / 1000} s per trial, ${redactUrl(cameras.origin)})`,
          );
          if (options.start !== undefined && options.start > capacity) say(`--start ${options.start} capped at ${capacity}: the cameras allow no more.`);
        },
        trialStarting: (level, runner) => {
          logger.info({ event: 'trial-start', level });
          attachRunLog(runner, logger);
          metrics.follow(runner, level);
        },
        trialDone: (record) => {
          logger.info({ event: 'trial-end', level: record.level, verdict: record.verdict });
          say(describeTrial(record));
        },
        mustFinishWithin: context.mustFinishWithin,
      },
      context.signal,
    );
    if (result.stoppedLateAt !== undefined) {
      context.stderr.write(
        `camera-load: the trial at ${result.stoppedLateAt} streams did not stop in time (ERR_SHUTDOWN_TIMEOUT); the report holds the trials before it\n`,
      );
    }
    const report = maxReport(result, { version: VERSION, config, interrupted: context.signal.aborted });
    return await finishSearch(report, result.stoppedLateAt === undefined, { options, files, baseline }, context);
  } catch (error) {
    if (context.signal.aborted) return ExitCode.INTERRUPTED;
    logger.error({ event: 'failed', error: (error as Error).message });
    throw error;
  } finally {
    await files.log.close();
    await metrics.close({ lastScrape: !context.signal.aborted });
  }
}

export function maxCommand(runAction: ActionRunner): Command {
  const command = declareCommand(COMMANDS.max);
  return command.action((flags: MaxFlags) => runAction((context) => maxCommandAction(flags, command.getOptionValueSource('apiUrl') === 'cli', context)));
}
