import { UsageError } from '../errors.js';
import type { BoundaryStyle, ErrorResponse, FreezeSpec, LagSpec, SimulatorOptions, SlowClientPolicy } from '../sim/options.js';
import { DEFAULTS } from './defaults.js';
import { parseFaultRule } from './fault-flags.js';
import type { FlagSpec } from './flags.js';
import { parseDuration, parseInteger, parsePositiveNumber, parseRate, parseShare, parseSize } from './units.js';
import { defined } from '../defined.js';

const d = DEFAULTS.simulate;

const SIM_GROUP = {
  fleet: 'Fleet:',
  faults: 'Faults (on every active camera, or VALUE@SHARE on a share of them: --drop-every 50@10%):',
  running: 'Running:',
} as const;

/** The simulate command's flags, each declared once. */
export const SIMULATE_FLAGS: readonly FlagSpec[] = [
  { flags: '--port <port>', description: 'port to listen on (0 = any free port)', default: d.port, group: SIM_GROUP.fleet },
  { flags: '--host <host>', description: 'address to listen on', default: d.host, group: SIM_GROUP.fleet },
  { flags: '--cameras <n>', description: 'active cameras (status 1)', default: d.cameras, group: SIM_GROUP.fleet },
  {
    flags: '--inactive <n>',
    description: 'inactive cameras (status 0; every other one without fr_url)',
    default: d.inactive,
    group: SIM_GROUP.fleet,
  },
  { flags: '--page-size <n>', description: 'cameras per API page', default: d.pageSize, group: SIM_GROUP.fleet },
  { flags: '--fps <n>', description: 'frames per second per stream', default: d.fps, more: 'Up to 1000.', group: SIM_GROUP.fleet },
  {
    flags: '--frame-size <size>',
    description: 'JPEG frame size (e.g. 30KB, 20000, 1MiB)',
    default: d.frameSize,
    more: 'Decimal units (1 KB = 1000 B) or binary ones (64KiB).',
    group: SIM_GROUP.fleet,
  },
  {
    flags: '--distinct-frames <n>',
    description: 'distinct JPEG images each stream cycles through',
    default: d.distinctFrames,
    group: SIM_GROUP.fleet,
  },
  { flags: '--max-speed', description: 'ignore --fps: send to each stream as fast as it reads (throughput benchmarks)', group: SIM_GROUP.fleet },
  {
    flags: '--max-clients <n>',
    description: 'concurrent streams served; beyond that 503 with Retry-After',
    more: 'Fleet-wide; the next stream gets 503 with `Retry-After: 1`.',
    group: SIM_GROUP.fleet,
  },
  {
    flags: '--bandwidth <rate>',
    description: 'shared egress budget (e.g. 40MB/s, 320Mbps): above it every stream slows',
    more: "`40MB/s`, `40MiB/s` or `320Mbps`: when demand exceeds it, every stream's frame rate drops in proportion, as on an overloaded server.",
    group: SIM_GROUP.fleet,
  },
  {
    flags: '--slow-client <policy>',
    description: 'what a viewer whose socket is full gets: drop (skip frames), queue[:N] (hold up to N frames) or disconnect[:AFTER]',
    default: d.slowClient,
    more:
      '`drop` keeps it fresh at a lower frame rate (frames counted in `framesDropped`); `queue:100` lets its delay, and the ' +
      "server's memory (`queuedBytes`), grow; `disconnect:5s` ends its stream once it has been behind that long " +
      '(`slowDisconnects`). All in `/__stats`.',
    group: SIM_GROUP.fleet,
  },
  { flags: '--require-token <token>', description: 'API and streams answer 401 without Authorization: Bearer <token>', group: SIM_GROUP.fleet },
  {
    flags: '--seed <n>',
    description: 'seed for fault placement and frame content',
    default: d.seed,
    more: 'The same seed, the same fleet: the faulty cameras are chosen by it, independently for each fault, and listed at start-up and in `/__stats`.',
    group: SIM_GROUP.fleet,
  },
  {
    flags: '--fault-share <share>',
    description: 'default share of active cameras a fault applies to (e.g. 10%, 0.1)',
    default: d.faultShare,
    defaultText: 'every active camera',
    group: SIM_GROUP.faults,
  },
  {
    flags: '--drop-every <frames>',
    description: 'close the connection every N frames',
    more: 'The connection closes right after the Nth frame, which arrives whole.',
    group: SIM_GROUP.faults,
  },
  {
    flags: '--stall-after <frames>',
    description: 'stop sending after N frames, keep the connection open',
    more: '0: headers only.',
    group: SIM_GROUP.faults,
  },
  {
    flags: '--respond-with <status>',
    description: 'answer streams with 503, 404 or html (a 200 HTML page)',
    more: '503 comes with `Retry-After: 5`; html is a 200 `text/html` error page.',
    group: SIM_GROUP.faults,
  },
  { flags: '--header-delay <time>', description: 'wait this long before the response headers (e.g. 2s)', group: SIM_GROUP.faults },
  { flags: '--corrupt-every <frames>', description: 'every Nth part is not a JPEG', more: 'Still labelled `image/jpeg`.', group: SIM_GROUP.faults },
  {
    flags: '--without-content-length [share]',
    description: 'parts without Content-Length (optionally on a share of cameras)',
    group: SIM_GROUP.faults,
  },
  { flags: '--lf-only [share]', description: 'LF instead of CRLF line endings (optionally on a share of cameras)', group: SIM_GROUP.faults },
  {
    flags: '--boundary-style <style>',
    description: 'write the boundary parameter quoted or capitalised',
    more: '`quoted`: `boundary="frame"`; `capitalised`: `Multipart/X-Mixed-Replace; Boundary=frame`.',
    group: SIM_GROUP.faults,
  },
  {
    flags: '--freeze <fresh:repeat>',
    description: 'after every FRESH frames re-send the last one REPEAT times, same bytes and X-Timestamp (e.g. 25:10)',
    more: 'At the normal rate, as a server re-sending its last picture, then it resumes: the frame rate stays healthy, the picture does not.',
    group: SIM_GROUP.faults,
  },
  {
    flags: '--lag <step:max>',
    description: 'delay each frame by STEP more per second of stream, up to MAX, as a queueing backend (e.g. 200ms:3s)',
    more: '`X-Timestamp` stays the capture time, so the age grows while the frame rate does not drop: `--lag 200ms:3s` is 1 s late after 5 s and 3 s late from 15 s on.',
    group: SIM_GROUP.faults,
  },
  { flags: '--duration <time>', description: 'stop after this long', defaultText: 'run until Ctrl+C', group: SIM_GROUP.running },
  { flags: '--status-interval <time>', description: 'how often to print a status line', default: d.statusInterval, group: SIM_GROUP.running },
  { flags: '--quiet', description: 'print nothing', group: SIM_GROUP.running },
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
  slowClient: string;
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
    ...defined({ requireToken: flags.requireToken }),
    slowClient: parseSlowClient(flags.slowClient, '--slow-client'),
  };
}

const QUEUE_FRAMES = 100;
const DISCONNECT_AFTER = '5s';

/** `drop`, `queue[:N]` (default 100 frames) or `disconnect[:AFTER]` (default 5 s). */
export function parseSlowClient(text: string, flag: string): SlowClientPolicy {
  const [policy = '', value] = text.split(':', 2);
  if (policy === 'drop' && value === undefined) return { policy: 'drop' };
  if (policy === 'queue') return { policy: 'queue', frames: value === undefined ? QUEUE_FRAMES : parseInteger(value, `${flag} queue:`, 1, 100_000) };
  if (policy === 'disconnect') return { policy: 'disconnect', afterMs: parseDuration(value ?? DISCONNECT_AFTER, `${flag} disconnect:`) };
  throw new UsageError(`${flag} expects drop, queue[:N] or disconnect[:AFTER] (e.g. queue:100, disconnect:5s), got '${text}'`);
}
