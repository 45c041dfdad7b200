import { setTimeout as sleep } from 'node:timers/promises';
import { Command, Option } from 'commander';
import { parseFaultRule } from '../options/fault-flags.js';
import { deadline } from '../connection/deadline.js';
import { parseDuration, parseInteger, parsePositiveNumber, parseRate, parseShare, parseSize } from '../options/units.js';
import { UsageError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import type { BoundaryStyle, ErrorResponse, SimulatorOptions } from '../sim/options.js';
import { startSimulator, type RunningSimulator } from '../sim/simulator.js';
import type { ActionRunner, CommandContext, CommandResult } from './context.js';

interface SimulateFlags {
  host: string;
  port: string;
  cameras: string;
  inactive: string;
  pageSize: string;
  fps: string;
  frameSize: string;
  distinctFrames: string;
  maxSpeed?: boolean;
  maxClients?: string;
  bandwidth?: string;
  requireToken?: string;
  seed: string;
  faultShare: string;
  dropEvery?: string;
  stallAfter?: string;
  respondWith?: string;
  headerDelay?: string;
  corruptEvery?: string;
  withoutContentLength?: boolean | string;
  lfOnly?: boolean | string;
  boundaryStyle?: string;
  duration?: string;
  statusInterval: string;
  quiet?: boolean;
}

const parseErrorResponse = (text: string, flag: string): ErrorResponse => {
  const value = text.trim().toLowerCase();
  if (value === '503' || value === '404') return Number(value) as 503 | 404;
  if (value === 'html') return 'html';
  throw new UsageError(`${flag} expects 503, 404 or html; got '${text}'`);
};

const parseBoundaryStyle = (text: string, flag: string): BoundaryStyle => {
  const value = text.trim().toLowerCase();
  if (value === 'quoted' || value === 'capitalised' || value === 'capitalized') {
    return value === 'quoted' ? 'quoted' : 'capitalised';
  }
  throw new UsageError(`${flag} expects quoted or capitalised; got '${text}'`);
};

const flagOn = (_: string): true => true;

/** Commander flags -> simulator options; every value is checked here, at the edge. */
export function simulatorOptionsFromFlags(flags: SimulateFlags): Partial<SimulatorOptions> {
  const share = parseShare(flags.faultShare, '--fault-share');
  const rule = <T>(text: string | undefined, flag: string, parse: (value: string, flag: string) => T) =>
    text === undefined ? undefined : parseFaultRule(text, flag, share, parse);
  // `--without-content-length` and `--lf-only` take an optional share: true means the default share.
  const switchRule = (value: boolean | string | undefined, flag: string) =>
    value === undefined || value === false ? undefined : rule(value === true ? 'on' : `on@${value}`, flag, flagOn);

  const faults = {
    dropEveryFrames: rule(flags.dropEvery, '--drop-every', (v, f) => parseInteger(v, f, 1)),
    stallAfterFrames: rule(flags.stallAfter, '--stall-after', (v, f) => parseInteger(v, f, 0)),
    errorResponse: rule(flags.respondWith, '--respond-with', parseErrorResponse),
    headerDelayMs: rule(flags.headerDelay, '--header-delay', parseDuration),
    corruptEveryFrames: rule(flags.corruptEvery, '--corrupt-every', (v, f) => parseInteger(v, f, 1)),
    noContentLength: switchRule(flags.withoutContentLength, '--without-content-length'),
    lfOnly: switchRule(flags.lfOnly, '--lf-only'),
    boundaryStyle: rule(flags.boundaryStyle, '--boundary-style', parseBoundaryStyle),
  };

  return {
    host: flags.host,
    port: parseInteger(flags.port, '--port', 0, 65_535),
    cameras: parseInteger(flags.cameras, '--cameras', 0, 100_000),
    inactive: parseInteger(flags.inactive, '--inactive', 0, 100_000),
    pageSize: parseInteger(flags.pageSize, '--page-size', 1, 10_000),
    fps: parsePositiveNumber(flags.fps, '--fps', 1000),
    frameBytes: parseSize(flags.frameSize, '--frame-size'),
    distinctFrames: parseInteger(flags.distinctFrames, '--distinct-frames', 1, 100),
    ...(flags.maxSpeed ? { maxSpeed: true } : {}),
    seed: parseInteger(flags.seed, '--seed', 0, 2 ** 32 - 1),
    faults: Object.fromEntries(Object.entries(faults).filter(([, rule]) => rule !== undefined)),
    ...(flags.maxClients === undefined ? {} : { maxClients: parseInteger(flags.maxClients, '--max-clients', 0) }),
    ...(flags.bandwidth === undefined ? {} : { bandwidthBytesPerSecond: parseRate(flags.bandwidth, '--bandwidth') }),
    ...(flags.requireToken === undefined ? {} : { requireToken: flags.requireToken }),
  };
}

function describeFleet(sim: RunningSimulator): string[] {
  const { options } = sim;
  const stats = sim.stats();
  const active = stats.cameras.filter((camera) => camera.status === 1);
  const faulty = active.filter((camera) => camera.faults.length > 0);
  const lines = [
    `camera-load simulator: ${options.cameras} active + ${options.inactive} inactive cameras, ` +
      `${options.fps} fps, ${options.frameBytes}-byte JPEG frames`,
    `Camera API: ${sim.apiUrl}`,
    `Stats:      ${sim.statsUrl}`,
  ];
  if (options.maxClients !== undefined) lines.push(`Capacity:   ${options.maxClients} concurrent streams, then 503`);
  if (options.bandwidthBytesPerSecond !== undefined) {
    lines.push(`Bandwidth:  ${(options.bandwidthBytesPerSecond / 1e6).toFixed(2)} MB/s shared by all streams`);
  }
  if (options.requireToken !== undefined) lines.push('Auth:       Authorization: Bearer <token> required');
  if (faulty.length > 0) {
    lines.push(`Faults on ${faulty.length} of ${active.length} active cameras:`);
    for (const camera of faulty.slice(0, 10)) lines.push(`  camera ${camera.id}: ${camera.faults.join(', ')}`);
    if (faulty.length > 10) lines.push(`  … and ${faulty.length - 10} more (see ${sim.statsUrl})`);
  }
  return lines;
}

function statusLine(sim: RunningSimulator, previousBytes: number, seconds: number): string {
  const stats = sim.stats();
  const { totals } = stats;
  const rate = (totals.bytesSent - previousBytes) / seconds / 1e6;
  return (
    `[sim ${stats.uptimeSeconds.toFixed(0)}s] open streams ${stats.openStreams} (peak ${stats.peakOpenStreams}), ` +
    `frames sent ${totals.framesSent}, ${rate.toFixed(2)} MB/s, rejected ${totals.rejected}, ` +
    `dropped for slow clients ${totals.framesDropped}`
  );
}

async function runSimulate(flags: SimulateFlags, context: CommandContext): CommandResult {
  const options = simulatorOptionsFromFlags(flags);
  const durationMs = flags.duration === undefined ? undefined : parseDuration(flags.duration, '--duration');
  const intervalMs = parseDuration(flags.statusInterval, '--status-interval');
  const sim = await startSimulator(options);
  const print = (line: string): void => {
    if (!flags.quiet) context.stdout.write(`${line}\n`);
  };
  for (const line of describeFleet(sim)) print(line);
  print(durationMs === undefined ? 'Press Ctrl+C to stop.' : `Stopping after ${durationMs / 1000} s (or Ctrl+C).`);
  // A parent process (run --simulate, tests, benchmarks) learns the URL without parsing text.
  process.send?.({ type: 'ready', apiUrl: sim.apiUrl, statsUrl: sim.statsUrl, port: sim.port });

  // A fleet started by a parent process (run --simulate, benchmarks) stops when its parent goes away, even if
  // the parent was killed before it could say so.
  const stopRequested = new AbortController();
  const requestStop = (): void => {
    stopRequested.abort();
  };
  context.signal.addEventListener('abort', requestStop, { once: true });
  if (process.connected) process.once('disconnect', requestStop);
  const { signal: stop, dispose } = deadline(stopRequested.signal, durationMs);
  let lastBytes = 0;
  let lastAt = performance.now();
  for (;;) {
    const slept = await sleep(intervalMs, true, { signal: stop }).catch(() => false);
    if (!slept) break;
    const now = performance.now();
    print(statusLine(sim, lastBytes, (now - lastAt) / 1000));
    lastBytes = sim.stats().totals.bytesSent;
    lastAt = now;
  }
  dispose();
  // A 'disconnect' listener keeps the IPC channel, and so this process, alive: let go of it.
  process.off('disconnect', requestStop);
  await sim.close();
  const { totals } = sim.stats();
  print(
    `Stopped. Served ${totals.connections} streams, ${totals.framesSent} frames, ` +
      `${(totals.bytesSent / 1e6).toFixed(1)} MB; rejected ${totals.rejected}, dropped for slow clients ${totals.framesDropped}.`,
  );
  return ExitCode.OK;
}

export function simulateCommand(runAction: ActionRunner): Command {
  const faultHelp = (what: string): string => `${what}; VALUE@SHARE limits it to a share of active cameras`;
  return new Command('simulate')
    .description('run the simulated camera fleet (camera API + MJPEG streams) on 127.0.0.1')
    .option('--port <port>', 'port to listen on (0 = any free port)', '0')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--cameras <n>', 'active cameras (status 1)', '20')
    .option('--inactive <n>', 'inactive cameras (status 0; every other one without fr_url)', '4')
    .option('--page-size <n>', 'cameras per API page', '25')
    .option('--fps <n>', 'frames per second per stream', '5')
    .option('--frame-size <size>', 'JPEG frame size (e.g. 30KB, 20000, 1MiB)', '30KB')
    .option('--distinct-frames <n>', 'distinct JPEG images each stream cycles through', '10')
    .option('--max-speed', 'ignore --fps: send to each stream as fast as it reads (throughput benchmarks)')
    .option('--max-clients <n>', 'concurrent streams served; beyond that 503 with Retry-After')
    .option('--bandwidth <rate>', 'shared egress budget (e.g. 40MB/s, 320Mbps): above it every stream slows')
    .option('--require-token <token>', 'API and streams answer 401 without Authorization: Bearer <token>')
    .option('--seed <n>', 'seed for fault placement and frame content', '1')
    .option('--fault-share <share>', 'default share of active cameras a fault applies to (e.g. 10%, 0.1)', '1')
    .option('--drop-every <frames>', faultHelp('close the connection every N frames'))
    .option('--stall-after <frames>', faultHelp('stop sending after N frames, keep the connection open'))
    .option('--respond-with <status>', faultHelp('answer streams with 503, 404 or html (a 200 HTML page)'))
    .option('--header-delay <time>', faultHelp('wait this long before the response headers (e.g. 2s)'))
    .option('--corrupt-every <frames>', faultHelp('every Nth part is not a JPEG'))
    .option('--without-content-length [share]', 'parts without Content-Length (optionally on a share of cameras)')
    .option('--lf-only [share]', 'LF instead of CRLF line endings (optionally on a share of cameras)')
    .option('--boundary-style <style>', faultHelp('write the boundary parameter quoted or capitalised'))
    .option('--duration <time>', 'stop after this long (default: run until Ctrl+C)')
    .addOption(new Option('--status-interval <time>', 'how often to print a status line').default('10s'))
    .option('--quiet', 'print nothing')
    .action((flags: SimulateFlags) => runAction((context) => runSimulate(flags, context)));
}
