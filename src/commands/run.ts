import { resolve as resolvePath } from 'node:path';
import { Command } from 'commander';
import { loadCameras, type CameraSource, type LoadedCameras } from '../cameras/load-cameras.js';
import { addEngineOptions } from '../config/engine-options.js';
import { DEFAULT_MAX_STREAMS, resolveRunOptions, type RunFlags, type RunOptions } from '../config/run-options.js';
import { ExitCode } from '../exit-codes.js';
import { createFileLogger } from '../log.js';
import { attachProgress } from '../progress.js';
import { askStreamCount } from '../prompt.js';
import { redactHeaders, redactUrl } from '../redact.js';
import { buildReport } from '../report/build-report.js';
import { renderSummary } from '../report/render-summary.js';
import { fileTimestamp, writeFileAtomic } from '../report/write-file.js';
import { planStreams } from '../run/plan-streams.js';
import { Runner } from '../run/runner.js';
import { DEFAULT_BACKOFF } from '../stream/backoff.js';
import { DEFAULT_SATURATION } from '../system/sample.js';
import { VERSION } from '../version.js';
import type { ActionRunner, CommandContext, CommandResult } from './context.js';
import { attachRunLog } from './run-log.js';

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

/** Every effective option, secrets redacted: what the report and the log record. */
function effectiveConfig(options: RunOptions, maxStreams: number, paths: { report: string; log: string }): Record<string, unknown> {
  return {
    maxStreams,
    durationSeconds: options.durationMs / 1000,
    source: describeSource(options.source),
    headers: redactHeaders(options.headers),
    insecure: options.insecure,
    streamsPerCamera: options.streamsPerCamera,
    rampUpSeconds: options.rampUpMs / 1000,
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

async function runLoadTest(flags: RunFlags, apiUrlGiven: boolean, context: CommandContext): CommandResult {
  const options = resolveRunOptions(flags, process.env, apiUrlGiven);
  const stamp = fileTimestamp(new Date());
  const paths = {
    report: resolvePath(options.output ?? `camera_stream_load_test_report_${stamp}.json`),
    log: resolvePath(options.log ?? `camera_load_test_${stamp}.log`),
  };
  const say = (text: string): void => {
    if (!options.quiet) context.stdout.write(`${text}\n`);
  };
  const { logger, close: closeLog } = createFileLogger(paths.log);
  let cameras: LoadedCameras | undefined;
  try {
    logger.info({ event: 'start', version: VERSION, config: effectiveConfig(options, options.maxStreams ?? DEFAULT_MAX_STREAMS, paths) });
    try {
      cameras = await loadCameras(options.source, {
        headers: options.headers,
        insecure: options.insecure,
        timeoutMs: options.apiTimeoutMs,
        signal: context.signal,
      });
    } catch (error) {
      logger.error({ event: 'camera-source-failed', error: (error as Error).message });
      if (context.signal.aborted) return ExitCode.INTERRUPTED;
      throw error;
    }
    logger.info({
      event: 'cameras',
      origin: redactUrl(cameras.origin),
      listed: cameras.listed,
      active: cameras.active,
      skipped: cameras.skipped,
      cameras: cameras.cameras.map((c) => ({ id: c.id, name: c.name, url: redactUrl(c.streamUrl) })),
    });

    const maxStreams =
      options.maxStreams ??
      (context.interactive && !options.quiet
        ? await askStreamCount(context.stdin, context.stdout, cameras.cameras.length, DEFAULT_MAX_STREAMS, context.signal)
        : DEFAULT_MAX_STREAMS);
    const streams = planStreams(cameras.cameras, maxStreams, options.streamsPerCamera);
    const config = effectiveConfig(options, maxStreams, paths);
    say(
      `Streaming ${streams.length} stream${streams.length === 1 ? '' : 's'} from ${new Set(streams.map((s) => s.id)).size} of ` +
        `${cameras.cameras.length} active cameras for ${options.durationMs / 1000} s (${redactUrl(cameras.origin)})` +
        (streams.length < maxStreams ? `; ${maxStreams} requested, one per camera (--streams-per-camera for more)` : ''),
    );

    const runner = new Runner({
      streams,
      durationMs: options.durationMs,
      rampUpMs: options.rampUpMs,
      stallTimeoutMs: options.stallTimeoutMs,
      backoff: { ...DEFAULT_BACKOFF, maxMs: options.backoffMaxMs },
      intervalMs: options.intervalMs,
      headersFor: cameras.headersFor,
      insecure: options.insecure,
      connectConcurrency: options.connectConcurrency,
      systemIntervalMs: 2_000,
    });
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
    });
    await writeFileAtomic(paths.report, `${JSON.stringify(report, null, 2)}\n`);
    logger.info({ event: 'end', interrupted: report.interrupted, summary: report.summary, analysis: report.analysis });
    say('');
    if (!options.quiet) context.stdout.write(renderSummary(report));
    say('');
    say(`Report: ${paths.report}`);
    say(`Log:    ${paths.log}`);
    if (report.interrupted) return ExitCode.INTERRUPTED;
    if (!report.summary.valid) return ExitCode.CLIENT_SATURATED;
    return ExitCode.OK;
  } finally {
    await cameras?.close();
    await closeLog();
  }
}

export function runCommand(runAction: ActionRunner): Command {
  const command = addEngineOptions(
    new Command('run')
      .description('load-test the camera streams (the default command)')
      .option('--max-streams <n>', `concurrent streams (default ${DEFAULT_MAX_STREAMS}; asked for on a terminal when omitted)`)
      .option('--duration <time>', 'test duration: 300, 90s, 5m, 1h', '300')
      .option('--ramp-up <time>', 'spread the stream openings evenly over this time', '0'),
    'camera_stream_load_test_report',
  );
  return command.action((flags: RunFlags) =>
    runAction((context) => runLoadTest(flags, command.getOptionValueSource('apiUrl') === 'cli', context)),
  );
}
