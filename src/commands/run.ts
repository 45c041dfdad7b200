import { Command } from 'commander';
import type { ActionRunner, CommandContext, CommandResult } from '../command-context.js';
import { ExitCode, mostUrgent } from '../exit-codes.js';
import { DEFAULTS } from '../options/defaults.js';
import { runConfig } from '../options/describe-options.js';
import { addFlags, flagSpecs, RUN_FLAGS } from '../options/flags.js';
import { resolveRunOptions, type RunFlags } from '../options/run-options.js';
import { attachProgress, streamingLine } from '../output/progress.js';
import { askStreamCount } from '../output/prompt.js';
import { renderSummary } from '../output/render-summary.js';
import { attachRunLog, logCameras } from '../output/run-log.js';
import { closeLog, openRunFiles } from '../output/run-files.js';
import { writeRunOutputs } from '../output/run-outputs.js';
import { loadTest } from '../run/load-test.js';
import { VERSION } from '../version.js';

// `camera-load run`: options → load test → outputs. The rules live below; this file only wires them.

async function runLoadTest(flags: RunFlags, apiUrlGiven: boolean, context: CommandContext): CommandResult {
  const options = resolveRunOptions(flags, context.env, apiUrlGiven);
  const files = await openRunFiles(options, DEFAULTS.reportStem.run, context);
  const { logger } = files.log;
  const say = (text: string): void => {
    if (!options.quiet) context.stdout.write(`${text}\n`);
  };
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
        streamCount: async (cameras) =>
          options.maxStreams ??
          (context.interactive && !options.quiet
            ? askStreamCount(context.stdin, context.stdout, cameras.cameras.length, DEFAULTS.maxStreams, context.signal)
            : DEFAULTS.maxStreams),
        starting: (runner, plan) => {
          logger.info({ event: 'plan', maxStreams: plan.maxStreams, streamsPlanned: plan.streams.length });
          say(streamingLine(plan, options.durationMs));
          attachRunLog(runner, logger);
          if (!options.quiet) {
            attachProgress(runner, { out: context.stdout, tty: context.stdoutIsTTY, streamsPlanned: plan.streams.length, durationMs: options.durationMs });
          }
        },
        mustFinishWithin: context.mustFinishWithin,
      },
      context.signal,
    );
    if (!stoppedInTime) context.stderr.write('camera-load: the streams did not stop in time (ERR_SHUTDOWN_TIMEOUT); the report holds what was known then\n');
    // The summary first: whatever happens to the files, the person watching sees the result.
    say('');
    if (!options.quiet) context.stdout.write(renderSummary(report));
    say('');
    const written = await writeRunOutputs(report, files, context);
    logger.info({ event: 'end', interrupted: report.interrupted, summary: report.summary, analysis: report.analysis, report: written.reportAt ?? null });
    const logProblem = await closeLog(files.log, files.paths.log, context);
    for (const [label, where] of [...written.lines, ['Log', `${files.paths.log}${logProblem === undefined ? '' : ' (incomplete, see stderr)'}`]]) {
      say(`${`${label}:`.padEnd(7)} ${where}`);
    }
    return mostUrgent([
      report.interrupted ? ExitCode.INTERRUPTED : ExitCode.OK,
      stoppedInTime ? ExitCode.OK : ExitCode.INTERNAL,
      written.moved || logProblem !== undefined ? ExitCode.OUTPUT_ELSEWHERE : ExitCode.OK,
      report.summary.valid ? ExitCode.OK : ExitCode.CLIENT_SATURATED,
      report.thresholds.every((t) => t.passed) ? ExitCode.OK : ExitCode.THRESHOLD_FAILED,
    ]);
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
  }
}

export function runCommand(runAction: ActionRunner): Command {
  const command = addFlags(new Command('run').description('load-test the camera streams (the default command)'), flagSpecs(RUN_FLAGS));
  return command.action((flags: RunFlags) =>
    runAction((context) => runLoadTest(flags, command.getOptionValueSource('apiUrl') === 'cli', context)),
  );
}
