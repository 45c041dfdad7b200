import { UsageError } from '../errors.js';
import type { BoundaryStyle, ErrorResponse, FreezeSpec, LagSpec, SimulatorOptions } from '../sim/options.js';
import { DEFAULTS } from './defaults.js';
import { parseFaultRule } from './fault-flags.js';
import type { FlagSpec } from './flags.js';
import { parseDuration, parseInteger, parsePositiveNumber, parseRate, parseShare, parseSize } from './units.js';

const faultHelp = (what: string): string => `${what}; VALUE@SHARE limits it to a share of active cameras`;
const d = DEFAULTS.simulate;

/** The simulate command's flags, each declared once. */
export const SIMULATE_FLAGS: readonly FlagSpec[] = [
  { flags: '--port <port>', description: 'port to listen on (0 = any free port)', default: d.port },
  { flags: '--host <host>', description: 'address to listen on', default: d.host },
  { flags: '--cameras <n>', description: 'active cameras (status 1)', default: d.cameras },
  { flags: '--inactive <n>', description: 'inactive cameras (status 0; every other one without fr_url)', default: d.inactive },
  { flags: '--page-size <n>', description: 'cameras per API page', default: d.pageSize },
  { flags: '--fps <n>', description: 'frames per second per stream', default: d.fps },
  { flags: '--frame-size <size>', description: 'JPEG frame size (e.g. 30KB, 20000, 1MiB)', default: d.frameSize },
  { flags: '--distinct-frames <n>', description: 'distinct JPEG images each stream cycles through', default: d.distinctFrames },
  { flags: '--max-speed', description: 'ignore --fps: send to each stream as fast as it reads (throughput benchmarks)' },
  { flags: '--max-clients <n>', description: 'concurrent streams served; beyond that 503 with Retry-After' },
  { flags: '--bandwidth <rate>', description: 'shared egress budget (e.g. 40MB/s, 320Mbps): above it every stream slows' },
  { flags: '--require-token <token>', description: 'API and streams answer 401 without Authorization: Bearer <token>' },
  { flags: '--seed <n>', description: 'seed for fault placement and frame content', default: d.seed },
  { flags: '--fault-share <share>', description: 'default share of active cameras a fault applies to (e.g. 10%, 0.1)', default: d.faultShare },
  { flags: '--drop-every <frames>', description: faultHelp('close the connection every N frames') },
  { flags: '--stall-after <frames>', description: faultHelp('stop sending after N frames, keep the connection open') },
  { flags: '--respond-with <status>', description: faultHelp('answer streams with 503, 404 or html (a 200 HTML page)') },
  { flags: '--header-delay <time>', description: faultHelp('wait this long before the response headers (e.g. 2s)') },
  { flags: '--corrupt-every <frames>', description: faultHelp('every Nth part is not a JPEG') },
  { flags: '--without-content-length [share]', description: 'parts without Content-Length (optionally on a share of cameras)' },
  { flags: '--lf-only [share]', description: 'LF instead of CRLF line endings (optionally on a share of cameras)' },
  { flags: '--boundary-style <style>', description: faultHelp('write the boundary parameter quoted or capitalised') },
  {
    flags: '--freeze <fresh:repeat>',
    description: faultHelp('after every FRESH frames re-send the last one REPEAT times, same bytes and X-Timestamp (e.g. 25:10)'),
  },
  {
    flags: '--lag <step:max>',
    description: faultHelp('delay each frame by STEP more per second of stream, up to MAX, as a queueing backend (e.g. 200ms:3s)'),
  },
  { flags: '--duration <time>', description: 'stop after this long (default: run until Ctrl+C)' },
  { flags: '--status-interval <time>', description: 'how often to print a status line', default: d.statusInterval },
  { flags: '--quiet', description: 'print nothing' },
];

/** What commander hands the simulate command: raw text, checked here. */
export interface SimulateFlags {
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
  freeze?: string;
  lag?: string;
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

/** `A:B` -> [A, B], both present; the share, if any, was already split off at the last '@'. */
const splitPair = (text: string, flag: string, shape: string): [string, string] => {
  const pieces = text.split(':');
  const [first, second] = pieces;
  if (pieces.length !== 2 || first === undefined || second === undefined || first.trim() === '' || second.trim() === '') {
    throw new UsageError(`${flag} expects ${shape}; got '${text}'`);
  }
  return [first, second];
};

const parseFreeze = (text: string, flag: string): FreezeSpec => {
  const [fresh, repeat] = splitPair(text, flag, 'FRESH:REPEAT frame counts, e.g. 25:10');
  return { freshFrames: parseInteger(fresh, flag, 1, 1_000_000), repeatFrames: parseInteger(repeat, flag, 1, 1_000_000) };
};

const parseLag = (text: string, flag: string): LagSpec => {
  const [step, max] = splitPair(text, flag, 'STEP:MAX durations, e.g. 200ms:3s');
  const stepMsPerSecond = parseDuration(step, flag);
  const maxMs = parseDuration(max, flag);
  if (stepMsPerSecond <= 0) throw new UsageError(`${flag}: the step must be above 0; got '${step}'`);
  // The cap bounds what a lagging stream holds in timers (MAX × fps parts), so it is bounded too.
  if (maxMs <= 0 || maxMs > 600_000) throw new UsageError(`${flag}: the maximum must be above 0 and at most 10m; got '${max}'`);
  return { stepMsPerSecond, maxMs };
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
    freeze: rule(flags.freeze, '--freeze', parseFreeze),
    lag: rule(flags.lag, '--lag', parseLag),
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
