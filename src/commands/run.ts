import { resolve as resolvePath } from 'node:path';
import { Command, Option } from 'commander';
import { loadCameras, type CameraSource, type LoadedCameras } from '../cameras/load-cameras.js';
import { DEFAULT_API_URL, DEFAULT_MAX_STREAMS, resolveRunOptions, type RunFlags, type RunOptions } from '../config/run-options.js';
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
  const collect = (value: string, previous: string[]): string[] => [...previous, value];
  const command = new Command('run')
    .description('load-test the camera streams (the default command)')
    .option('--max-streams <n>', `concurrent streams (default ${DEFAULT_MAX_STREAMS}; asked for on a terminal when omitted)`)
    .option('--duration <time>', 'test duration: 300, 90s, 5m, 1h', '300')
    .addOption(new Option('--api-url <url>', 'camera API (GET, paginated)').default(DEFAULT_API_URL))
    .option('--cameras-file <file>', 'read the camera list from a JSON file instead of the API')
    .option('--url <url>', 'stream this URL directly (repeatable)', collect, [])
    .option('--simulate [cameras]', 'start the built-in simulated fleet (default 20 cameras) on 127.0.0.1 and test it')
    .option('--header <header>', "extra header 'Name: value' for the API and its streams (repeatable)", collect, [])
    .option('--insecure', 'do not verify TLS certificates')
    .option('--streams-per-camera <k>', 'streams per camera when more streams than cameras are requested', '1')
    .option('--ramp-up <time>', 'spread the stream openings evenly over this time', '0')
    .option('--stall-timeout <time>', 'a stream that sends nothing for this long is dropped and reconnected', '10s')
    .option('--backoff-max <time>', 'longest wait between reconnection attempts', '30s')
    .option('--interval <time>', 'timeline resolution', '1s')
    .option('--connect-concurrency <n>', 'connection attempts waiting for headers at once', '100')
    .option('--api-timeout <time>', 'time limit for each camera API request', '15s')
    .option('--saturation-cpu <percent>', 'client CPU (percent of one core) from which the run counts as invalid', '90')
    .option('--output <file>', 'report path (default camera_stream_load_test_report_YYYYMMDD_HHMMSS.json)')
    .option('--log <file>', 'log path (default camera_load_test_YYYYMMDD_HHMMSS.log)')
    .option('--quiet', 'no progress and no summary on stdout (the report and log are still written)');
  return command.action((flags: RunFlags) =>
    runAction((context) => runLoadTest(flags, command.getOptionValueSource('apiUrl') === 'cli', context)),
  );
}
