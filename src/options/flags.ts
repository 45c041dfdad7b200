import { Option, type Command } from 'commander';
import { DEFAULTS } from './defaults.js';

/** One command-line flag: declared here once, added to each command that takes it. */
export interface FlagSpec {
  flags: string;
  description: string;
  default?: string | readonly string[];
  /** Repeatable: each use adds a value. */
  repeatable?: boolean;
}

const stamp = 'YYYYMMDD_HHMMSS';

/** The flags of `run` and `max` (and the ones only one of them takes), keyed by their option name. */
export const FLAGS = {
  maxStreams: {
    flags: '--max-streams <n>',
    description: `concurrent streams (run: default ${DEFAULTS.maxStreams}, or one per camera when there are fewer; asked for on a terminal when omitted; max: cap for the start level)`,
  },
  duration: { flags: '--duration <time>', description: 'test duration: 300, 90s, 5m, 1h', default: DEFAULTS.duration },
  rampUp: { flags: '--ramp-up <time>', description: 'spread the stream openings evenly over this time', default: DEFAULTS.rampUp },
  threshold: {
    flags: '--threshold <expr>',
    description: "pass/fail criterion, e.g. 'fps.avg>=4' (repeatable; exit 1 when one fails)",
    repeatable: true,
    default: [],
  },
  shard: { flags: '--shard <i/n>', description: 'run share i of n of the test (1-based; every shard plans the same streams and opens its own)' },
  shards: {
    flags: '--shards <n>',
    description: 'run one of n shares, the one JOB_COMPLETION_INDEX names (0-based, as a Kubernetes Indexed Job sets it)',
  },
  startAt: {
    flags: '--start-at <time>',
    description:
      'list the cameras and plan, then wait and start the ramp at this instant: ISO 8601 (2026-12-03T14:30:00Z) or a clock time ' +
      'today (14:30:00, local); more than 5 s past or 24 h ahead is an error. Shards given one time start together',
  },
  allowPartial: { flags: '--allow-partial', description: 'merge even when shards are missing: the report is marked partial and names them' },
  junit: { flags: '--junit <file>', description: 'also write the thresholds and streams as JUnit XML' },
  html: {
    flags: '--html [file]',
    description: "also write the report as one self-contained HTML page, for a browser, offline (default: the report's name with .html)",
  },
  apiUrl: { flags: '--api-url <url>', description: 'camera API (GET, paginated)', default: DEFAULTS.apiUrl },
  camerasFile: { flags: '--cameras-file <file>', description: 'read the camera list from a JSON file instead of the API' },
  url: { flags: '--url <url>', description: 'stream this URL directly (repeatable)', repeatable: true, default: [] },
  simulate: {
    flags: '--simulate [cameras]',
    description: `start the built-in simulated fleet (default ${DEFAULTS.simulatedCameras} cameras) on 127.0.0.1 and test it`,
  },
  header: {
    flags: '--header <header>',
    description: "extra header 'Name: value' for the API and its streams (repeatable)",
    repeatable: true,
    default: [],
  },
  insecure: { flags: '--insecure', description: 'do not verify TLS certificates (API and streams): prefer --ca' },
  ca: { flags: '--ca <file>', description: 'trust the certificates of this PEM file (a private CA) besides the system ones, for the API and the streams' },
  proxy: {
    flags: '--proxy <url>',
    description: "send the API and stream requests through this HTTP proxy (default: HTTP_PROXY, HTTPS_PROXY, NO_PROXY as curl reads them; '' for none)",
  },
  cameraAuth: {
    flags: '--camera-auth <user:password>',
    description: "credentials for cameras that ask for Basic or Digest auth, unless a camera's URL has its own (CAMERA_AUTH keeps them out of argv)",
  },
  streamsPerCamera: {
    flags: '--streams-per-camera <k>',
    description: 'streams per camera when more streams than cameras are requested',
    default: DEFAULTS.streamsPerCamera,
  },
  stallTimeout: {
    flags: '--stall-timeout <time>',
    description: 'a stream that completes no frame (or sends no headers) for this long is dropped and reconnected',
    default: DEFAULTS.stallTimeout,
  },
  freezeTimeout: {
    flags: '--freeze-timeout <time>',
    description: 'a stream whose picture stays byte-identical for longer than this while frames keep coming counts a FROZEN event',
    default: DEFAULTS.freezeTimeout,
  },
  timestampHeader: {
    flags: '--timestamp-header <name[:unit]>',
    description:
      "the part header holding each frame's capture time, and its unit (s, ms, us; default: from the value). " +
      'Default: X-Timestamp or X-Frame-Timestamp, as mjpg-streamer and ustreamer send',
  },
  backoffMax: { flags: '--backoff-max <time>', description: 'longest wait between reconnection attempts', default: DEFAULTS.backoffMax },
  interval: { flags: '--interval <time>', description: 'timeline resolution', default: DEFAULTS.interval },
  connectConcurrency: {
    flags: '--connect-concurrency <n>',
    description: 'connection attempts waiting for headers at once',
    default: DEFAULTS.connectConcurrency,
  },
  apiTimeout: { flags: '--api-timeout <time>', description: 'time limit for each camera API request', default: DEFAULTS.apiTimeout },
  saturationCpu: {
    flags: '--saturation-cpu <percent>',
    description: 'client CPU (percent of one core) from which the run counts as invalid',
    default: DEFAULTS.saturationCpu,
  },
  output: {
    flags: '--output <file>',
    description:
      `report path (default ${DEFAULTS.reportStem.run}_${stamp}.json; max: ${DEFAULTS.reportStem.max}_…; merge: ${DEFAULTS.reportStem.run}_merged_…); ` +
      `'-' prints it as the last line of stdout (run, merge). cameras: the file --cameras-file reads (none by default; '-': stdout)`,
  },
  log: { flags: '--log <file>', description: `log path (default ${DEFAULTS.logStem}_${stamp}.log)` },
  quiet: { flags: '--quiet', description: 'no progress and no summary on stdout (the report and log are still written)' },
  start: { flags: '--start <n>', description: 'first level to try (default: as many streams as the cameras allow, or --max-streams)' },
  min: { flags: '--min <n>', description: 'lowest level to try', default: DEFAULTS.max.min },
  trial: { flags: '--trial <time>', description: 'length of each trial', default: DEFAULTS.max.trial },
  cooldown: { flags: '--cooldown <time>', description: 'pause between trials', default: DEFAULTS.max.cooldown },
  precision: {
    flags: '--precision <n>',
    description: 'stop when the highest stable and lowest unstable levels are this close',
    default: DEFAULTS.max.precision,
  },
  maxReconnects: {
    flags: '--max-reconnects <n>',
    description: 'reconnections plus stalls a stable trial may have',
    default: DEFAULTS.max.maxReconnects,
  },
  metricsPort: {
    flags: '--metrics-port <port>',
    description: 'serve live Prometheus metrics at http://HOST:PORT/metrics from the start of the run until the report is written (0: any free port, printed)',
  },
  metricsHost: {
    flags: '--metrics-host <host>',
    description: 'address the metrics endpoint listens on (0.0.0.0: every interface, for a Prometheus on another machine)',
    default: '127.0.0.1',
  },
  metricsPerCamera: {
    flags: '--metrics-per-camera',
    description: 'also export series per camera (a camera label): one series per camera and metric, so 2,000 cameras mean about 24,000 more series per scrape',
  },
  minFps: {
    flags: '--min-fps <fps>',
    description: 'frames per second per stream a stable trial must hold (default: 90% of the lowest stable level)',
  },
} as const satisfies Record<string, FlagSpec>;

export type FlagName = keyof typeof FLAGS;

/** Where the cameras come from and how each stream is held: what `run` and `max` share. */
export const ENGINE_FLAGS = [
  'apiUrl', 'camerasFile', 'url', 'simulate', 'header', 'insecure', 'ca', 'proxy', 'cameraAuth', 'streamsPerCamera', 'stallTimeout', 'freezeTimeout',
  'timestampHeader', 'backoffMax', 'interval', 'connectConcurrency', 'apiTimeout', 'saturationCpu', 'output', 'html', 'log', 'quiet',
] as const satisfies readonly FlagName[];

/** The live Prometheus endpoint: run and max only (not ENGINE_FLAGS, which `cameras` shares in part). */
export const METRICS_FLAGS = ['metricsPort', 'metricsHost', 'metricsPerCamera'] as const satisfies readonly FlagName[];

export const RUN_FLAGS = [
  'maxStreams', 'duration', 'rampUp', 'threshold', 'junit', 'shard', 'shards', 'startAt', ...ENGINE_FLAGS, ...METRICS_FLAGS,
] as const satisfies readonly FlagName[];

/** `camera-load merge <report.json>…`: the outputs of a run, and what to do about missing shards. */
export const MERGE_FLAGS = ['output', 'html', 'threshold', 'junit', 'allowPartial', 'quiet'] as const satisfies readonly FlagName[];

/** `camera-load report <report.json>`: any report read back, summarised or drawn as HTML. */
export const REPORT_FLAGS = ['html', 'quiet'] as const satisfies readonly FlagName[];

/** `camera-load cameras`: list the cameras once, for a dry run or for every shard to read. */
export const CAMERAS_FLAGS = [
  'apiUrl', 'camerasFile', 'url', 'simulate', 'header', 'insecure', 'ca', 'proxy', 'cameraAuth', 'apiTimeout', 'output', 'quiet',
] as const satisfies readonly FlagName[];

export const MAX_FLAGS = [
  'start', 'maxStreams', 'min', 'trial', 'cooldown', 'precision', 'maxReconnects', 'minFps', ...ENGINE_FLAGS, ...METRICS_FLAGS,
] as const satisfies readonly FlagName[];

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** Adds flags from a table to a command, in the order given. */
export function addFlags(command: Command, specs: readonly FlagSpec[]): Command {
  for (const spec of specs) {
    const option = new Option(spec.flags, spec.description);
    if (spec.repeatable) option.argParser(collect);
    if (spec.default !== undefined) option.default(spec.default);
    command.addOption(option);
  }
  return command;
}

export const flagSpecs = (names: readonly FlagName[]): FlagSpec[] => names.map((name) => FLAGS[name]);
