import { appendFile } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import { Command } from 'commander';
import type { LoadedCameras } from '../cameras/load-cameras.js';
import { addEngineOptions } from '../config/engine-options.js';
import { DEFAULT_MAX_STREAMS, resolveRunOptions, type RunFlags, type RunOptions } from '../config/run-options.js';
import { ExitCode } from '../exit-codes.js';
import { createFileLogger } from '../log.js';
import { attachProgress } from '../progress.js';
import { askStreamCount } from '../prompt.js';
import { redactUrl } from '../redact.js';
import { buildReport } from '../report/build-report.js';
import { renderJunit } from '../report/render-junit.js';
import { renderMarkdown } from '../report/render-markdown.js';
import { renderSummary } from '../report/render-summary.js';
import { writeFileAtomic } from '../report/write-file.js';
import { planStreams } from '../run/plan-streams.js';
import { Runner } from '../run/runner.js';
import { DEFAULT_SATURATION } from '../system/sample.js';
import { VERSION } from '../version.js';
import type { ActionRunner, CommandContext, CommandResult } from './context.js';
import { attachRunLog } from './run-log.js';
import { engineConfig, loadAndLogCameras, outputPaths, runPlan } from './shared.js';

/** Every effective option, secrets redacted: what the report and the log record. */
function runConfig(options: RunOptions, maxStreams: number, paths: { report: string; log: string }): Record<string, unknown> {
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
  const say = (text: string): void => {
    if (!options.quiet) context.stdout.write(`${text}\n`);
  };
  const { logger, close: closeLog } = createFileLogger(paths.log);
  let cameras: LoadedCameras | undefined;
  try {
    logger.info({ event: 'start', version: VERSION, config: runConfig(options, options.maxStreams ?? DEFAULT_MAX_STREAMS, paths) });
    try {
      cameras = await loadAndLogCameras(options, logger, context.signal);
    } catch (error) {
      if (context.signal.aborted) return ExitCode.INTERRUPTED;
      throw error;
    }

    const maxStreams =
      options.maxStreams ??
      (context.interactive && !options.quiet
        ? await askStreamCount(context.stdin, context.stdout, cameras.cameras.length, DEFAULT_MAX_STREAMS, context.signal)
        : DEFAULT_MAX_STREAMS);
    const streams = planStreams(cameras.cameras, maxStreams, options.streamsPerCamera);
    const config = runConfig(options, maxStreams, paths);
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
    const outcome = await runner.run(context.signal);
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
    await writeFileAtomic(paths.report, `${JSON.stringify(report, null, 2)}\n`);
    if (options.junit !== undefined) await writeFileAtomic(resolvePath(options.junit), renderJunit(report, report.thresholds));
    const stepSummary = process.env.GITHUB_STEP_SUMMARY;
    if (stepSummary) {
      // A job summary that cannot be written must not cost the run its verdict: the report is already saved.
      await appendFile(stepSummary, renderMarkdown(report, report.thresholds)).catch((error: unknown) => {
        context.stderr.write(`camera-load: GITHUB_STEP_SUMMARY ${stepSummary}: ${(error as Error).message}\n`);
      });
    }
    logger.info({ event: 'end', interrupted: report.interrupted, summary: report.summary, analysis: report.analysis });
    say('');
    if (!options.quiet) context.stdout.write(renderSummary(report));
    say('');
    say(`Report: ${paths.report}`);
    say(`Log:    ${paths.log}`);
    if (options.junit !== undefined) say(`JUnit:  ${resolvePath(options.junit)}`);
    if (report.interrupted) return ExitCode.INTERRUPTED;
    if (!report.summary.valid) return ExitCode.CLIENT_SATURATED;
    return report.thresholds.every((t) => t.passed) ? ExitCode.OK : ExitCode.THRESHOLD_FAILED;
  } finally {
    await cameras?.close();
    await closeLog();
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
