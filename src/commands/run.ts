import { basename, resolve as resolvePath } from 'node:path';
import { Command } from 'commander';
import { addEngineOptions } from '../options/engine-options.js';
import { DEFAULT_MAX_STREAMS, resolveRunOptions, type RunFlags, type RunOptions } from '../options/run-options.js';
import { ExitCode, mostUrgent } from '../exit-codes.js';
import { errorCode } from '../output/output-paths.js';
import { attachProgress } from '../output/progress.js';
import { askStreamCount } from '../output/prompt.js';
import { redactUrl } from '../text/redact.js';
import { buildReport } from '../report/build-report.js';
import { renderJunit } from '../output/render-junit.js';
import { renderMarkdown } from '../output/render-markdown.js';
import { renderSummary } from '../output/render-summary.js';
import { appendWithoutBlocking, WRITE_TIMEOUT_MS, withTimeout } from '../output/write-file.js';
import { planStreams } from '../run/plan-streams.js';
import { Runner } from '../run/runner.js';
import { DEFAULT_SATURATION } from '../metrics/client-health.js';
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
  type OutputPaths,
} from './shared.js';

/** Every effective option, secrets redacted: what the report and the log record. */
function runConfig(options: RunOptions, maxStreams: number | null, paths: OutputPaths): Record<string, unknown> {
  return {
    maxStreams,
    durationSeconds: options.durationMs / 1000,
    rampUpSeconds: options.rampUpMs / 1000,
    thresholds: options.thresholds.map((t) => t.expression),
    junit: options.junit ?? null,
    ...engineConfig(options, paths),
  };
}

async function runLoadTest(flags: RunFlags, apiUrlGiven: boolean, context: CommandContext): CommandResult {
  const options = resolveRunOptions(flags, process.env, apiUrlGiven);
  const paths = outputPaths(options, 'camera_stream_load_test_report');
  const junitPath = options.junit === undefined ? undefined : resolvePath(options.junit);
  const stepSummary = await checkOutputsFirst(paths, junitPath === undefined ? [] : [{ flag: '--junit', path: junitPath, append: false }], context);
  const say = (text: string): void => {
    if (!options.quiet) context.stdout.write(`${text}\n`);
  };
  const log = await openLog(paths);
  const { logger } = log;
  let cameras: RunCameras | undefined;
  try {
    // The stream count may still be asked for: the 'plan' line below records the one used.
    logger.info({ event: 'start', version: VERSION, config: runConfig(options, options.maxStreams ?? null, paths) });
    let maxStreams: number;
    try {
      cameras = await loadAndLogCameras(options, logger, context.signal);
      maxStreams =
        options.maxStreams ??
        (context.interactive && !options.quiet
          ? await askStreamCount(context.stdin, context.stdout, cameras.cameras.length, DEFAULT_MAX_STREAMS, context.signal)
          : DEFAULT_MAX_STREAMS);
    } catch (error) {
      // At the prompt the terminal is raw: Ctrl+C arrives as a key, and readline rejects with an AbortError.
      if (context.signal.aborted || (error instanceof Error && error.name === 'AbortError')) {
        if (context.interactive) context.stdout.write('\n');
        return ExitCode.INTERRUPTED;
      }
      throw error;
    }
    const streams = planStreams(cameras.cameras, maxStreams, options.streamsPerCamera);
    const config = runConfig(options, maxStreams, paths);
    logger.info({ event: 'plan', maxStreams, streamsPlanned: streams.length, config });
    say(
      `Streaming ${streams.length} stream${streams.length === 1 ? '' : 's'} from ${new Set(streams.map((s) => s.id)).size} of ` +
        `${cameras.cameras.length} active cameras for ${options.durationMs / 1000} s (${redactUrl(cameras.origin)})` +
        (streams.length < maxStreams ? `; ${maxStreams} requested, one per camera (--streams-per-camera for more)` : ''),
    );

    const runner = new Runner(runPlan(options, streams, options, cameras.headersFor));
    attachRunLog(runner, logger);
    if (!options.quiet) {
      attachProgress(runner, { out: context.stdout, tty: context.stdoutIsTTY, streamsPlanned: streams.length, durationMs: options.durationMs });
    }
    const plannedMs = options.durationMs + options.rampUpMs;
    context.mustFinishWithin(plannedMs + SHUTDOWN_BUDGET_MS);
    const ran = await settleWithin(runner.run(context.signal), plannedMs + STOP_GRACE_MS, context.signal, INTERRUPT_GRACE_MS);
    const outcome = ran ?? runner.snapshot(context.signal.aborted);
    if (!ran) {
      context.stderr.write('camera-load: the streams did not stop in time (ERR_SHUTDOWN_TIMEOUT); the report holds what was known then\n');
      logger.error({ event: 'shutdown-timeout' });
    }
    const report = buildReport({
      version: VERSION,
      config,
      cameras: { listed: cameras.listed, active: cameras.active, skipped: cameras.skipped.length },
      streamsRequested: maxStreams,
      streamsPerCamera: options.streamsPerCamera,
      targetDurationMs: options.durationMs,
      outcome,
      saturation: { ...DEFAULT_SATURATION, processCpuPercent: options.saturationCpuPercent },
      thresholds: options.thresholds,
    });
    // The summary first: whatever happens to the files, the person watching sees the result.
    say('');
    if (!options.quiet) context.stdout.write(renderSummary(report));
    say('');

    const saved = await saveOutput(`${JSON.stringify(report, null, 2)}\n`, { flag: '--output', path: paths.report, name: paths.reportName }, context, {
      label: 'stdout',
      write: (text) => context.stdout.write(text),
    });
    const junit =
      junitPath === undefined
        ? undefined
        : await saveOutput(renderJunit(report, report.thresholds), { flag: '--junit', path: junitPath, name: basename(junitPath) }, context);
    if (stepSummary) {
      // A job summary that cannot be written must not cost the run its verdict: the report is already saved.
      await withTimeout(appendWithoutBlocking(stepSummary, renderMarkdown(report, report.thresholds)), WRITE_TIMEOUT_MS).catch((error: unknown) => {
        context.stderr.write(`camera-load: warning: GITHUB_STEP_SUMMARY ${stepSummary}: could not be written (${errorCode(error)})\n`);
      });
    }
    logger.info({ event: 'end', interrupted: report.interrupted, summary: report.summary, analysis: report.analysis, report: saved.where ?? null });
    const logProblem = await closeLog(log, paths.log, context);

    say(`Report: ${saved.where ?? 'not saved (see stderr)'}`);
    say(`Log:    ${paths.log}${logProblem === undefined ? '' : ' (incomplete, see stderr)'}`);
    if (junit) say(`JUnit:  ${junit.where ?? 'not saved (see stderr)'}`);
    return mostUrgent([
      report.interrupted ? ExitCode.INTERRUPTED : ExitCode.OK,
      ran ? ExitCode.OK : ExitCode.INTERNAL,
      saved.moved || junit?.moved === true || logProblem !== undefined ? ExitCode.OUTPUT_ELSEWHERE : ExitCode.OK,
      report.summary.valid ? ExitCode.OK : ExitCode.CLIENT_SATURATED,
      report.thresholds.every((t) => t.passed) ? ExitCode.OK : ExitCode.THRESHOLD_FAILED,
    ]);
  } finally {
    await cameras?.close();
    await log.close();
  }
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function runCommand(runAction: ActionRunner): Command {
  const command = addEngineOptions(
    new Command('run')
      .description('load-test the camera streams (the default command)')
      .option('--max-streams <n>', `concurrent streams (default ${DEFAULT_MAX_STREAMS}; asked for on a terminal when omitted)`)
      .option('--duration <time>', 'test duration: 300, 90s, 5m, 1h', '300')
      .option('--ramp-up <time>', 'spread the stream openings evenly over this time', '0')
      .option('--threshold <expr>', "pass/fail criterion, e.g. 'fps.avg>=4' (repeatable; exit 1 when one fails)", collect, [])
      .option('--junit <file>', 'also write the thresholds and streams as JUnit XML'),
    'camera_stream_load_test_report',
  );
  return command.action((flags: RunFlags) =>
    runAction((context) => runLoadTest(flags, command.getOptionValueSource('apiUrl') === 'cli', context)),
  );
}
