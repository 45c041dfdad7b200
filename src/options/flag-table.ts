import { DEFAULTS } from './defaults.js';
import { GROUP, type FlagSpec } from './flag-spec.js';
import { LOAD_OVER_TIME_FLAG_TABLE } from './load-over-time-flags.js';
import { VIEWER_FLAG_TABLE } from './viewer-flags.js';

export { GROUP, type FlaggedCommand, type FlagSpec } from './flag-spec.js';

// Every flag of every command but simulate, declared once: its text for --help, its default, the sentences
// docs/options.md adds, its help group, and what differs for a command (`for`).

const stamp = 'YYYYMMDD_HHMMSS';

const STDOUT_REPORT = "'-' prints the report as the last line of stdout";

/** Every flag but simulate's, keyed by its option name. */
export const FLAGS = {
  maxStreams: {
    flags: '--max-streams <n>',
    description:
      'concurrent streams; on a terminal, asked for when omitted; with --arrival-rate, the most viewers open at once (arrivals beyond it are dropped)',
    defaultText: `${DEFAULTS.maxStreams}, or one per camera when there are fewer`,
    more:
      'The prompt shows how many cameras are active. With `--arrival-rate` nothing is asked: the cap is this flag or ' +
      `${DEFAULTS.maxStreams}, and an arrival that finds that many viewers open is dropped and counted as dropped.`,
    group: GROUP.load,
    for: {
      max: {
        description: 'the level to start from when --start is not given',
        defaultText: 'as many streams as the cameras allow',
        more: undefined,
        group: GROUP.search,
      },
    },
  },
  duration: {
    flags: '--duration <time>',
    description: 'test length: 300 (seconds), 90s, 5m, 1h',
    defaultText: DEFAULTS.duration,
    group: GROUP.load,
  },
  rampUp: { flags: '--ramp-up <time>', description: 'spread the stream openings evenly over this time', defaultText: DEFAULTS.rampUp, group: GROUP.load },
  ...LOAD_OVER_TIME_FLAG_TABLE,
  threshold: {
    flags: '--threshold <expr>',
    description: "pass/fail criterion, e.g. 'fps.avg>=4' (repeatable; exit 1 when one fails)",
    more: "The metrics and operators are listed in [CI](ci.md). A selector narrows a metric to one viewer group or one stage, k6's way: 'fps.p5{viewers:normal}>=4.9', 'fps.p5{stage:2}>=4.5'.",
    repeatable: true,
    default: [],
    group: GROUP.verdict,
    for: {
      merge: {
        description: "pass/fail criterion checked on the merged figures, e.g. 'fps.avg>=4' (repeatable; exit 1 when one fails)",
        defaultText: "the shards' own thresholds",
      },
    },
  },
  shard: {
    flags: '--shard <i/n>',
    description: 'run share i of n of the test (1-based; every shard plans the same streams and opens its own)',
    more: 'See [Kubernetes and CI matrices](kubernetes.md).',
    group: GROUP.sharding,
  },
  shards: {
    flags: '--shards <n>',
    description: 'run one of n shares, the one JOB_COMPLETION_INDEX names (0-based, as a Kubernetes Indexed Job sets it)',
    group: GROUP.sharding,
  },
  startAt: {
    flags: '--start-at <time>',
    description:
      'list the cameras and plan, then start the ramp at this instant: ISO 8601 (2026-12-03T14:30:00Z) or a clock time ' +
      'today (14:30:00, local); more than 5 s past or 24 h ahead is an error',
    more: 'Shards given one time start together.',
    group: GROUP.sharding,
  },
  baseline: {
    flags: '--baseline <report.json>',
    description: 'compare with this report at the end, figure by figure, as `camera-load compare` does (exit 1 when one is worse)',
    more: 'The file is read and checked before anything runs, and a different plan (other cameras or stream count) is refused then. See [compare](compare.md).',
    group: GROUP.verdict,
    for: {
      max: {
        description: "compare the level found with this max report's at the end (exit 1 when it is lower beyond both searches' brackets)",
        more: 'The file is read and checked before anything runs, and a search for other things (another --trial, other stability criteria) is refused then. See [compare](compare.md).',
      },
    },
  },
  allowPartial: {
    flags: '--allow-partial',
    description: 'merge even when shards are missing: the report is marked partial and names them',
    group: GROUP.verdict,
  },
  junit: { flags: '--junit <file>', description: 'also write the thresholds and streams as JUnit XML', group: GROUP.outputs },
  html: {
    flags: '--html [file]',
    description: 'also write the report as one self-contained HTML page, for a browser, offline',
    defaultText: "the report's name with .html",
    more: 'See [the HTML report](html-report.md).',
    group: GROUP.outputs,
    for: {
      report: { description: 'draw the report as one self-contained HTML page, for a browser, offline', defaultText: "the report file's name with .html" },
    },
  },
  apiUrl: {
    flags: '--api-url <url>',
    description: 'camera API (GET, paginated)',
    default: DEFAULTS.apiUrl,
    more:
      'The camera list: a JSON array, DRF pages `{results, next}` (followed, at most 200 pages), `{data: […]}` or `{cameras: […]}`; ' +
      'cameras with `status` 1 (number or string) and an `fr_url` (relative ones resolve against the API URL). ' +
      '`user:password@` in it is sent to the API as HTTP Basic auth.',
    group: GROUP.cameras,
  },
  camerasFile: {
    flags: '--cameras-file <file>',
    description: 'read the camera list from a JSON file instead of the API',
    more: 'The same shapes as the API, with absolute URLs; `camera-load cameras --output` writes one.',
    group: GROUP.cameras,
  },
  url: { flags: '--url <url>', description: 'stream this URL directly (repeatable)', repeatable: true, default: [], group: GROUP.cameras },
  simulate: {
    flags: '--simulate [cameras]',
    description: 'start the built-in simulated fleet on 127.0.0.1 and load-test it',
    defaultText: `${DEFAULTS.simulatedCameras} cameras`,
    more: 'The fleet runs in a separate process and stops with the run; see [the simulator](simulator.md).',
    group: GROUP.cameras,
    for: {
      cameras: { description: 'start the built-in simulated fleet on 127.0.0.1 and list its cameras' },
      max: { description: 'start the built-in simulated fleet on 127.0.0.1 and search its maximum' },
    },
  },
  header: {
    flags: '--header <header>',
    description: "extra header 'Name: value' for the API and the streams on its origin (repeatable)",
    more:
      'CAMERA_API_TOKEN (environment) is sent as `Authorization: Bearer …` the same way. Given `--url` and `--cameras-file` streams get every header. ' +
      'A value with CR, LF or another control character is a usage error. See [proxies and camera auth](proxies-and-auth.md).',
    repeatable: true,
    default: [],
    group: GROUP.cameras,
  },
  cameraAuth: {
    flags: '--camera-auth <user:password>',
    description: "credentials for cameras that ask for Basic or Digest auth, unless a camera's URL has its own",
    defaultText: 'CAMERA_AUTH, which keeps them out of argv',
    group: GROUP.cameras,
  },
  insecure: { flags: '--insecure', description: 'do not verify TLS certificates (API and streams): prefer --ca', group: GROUP.cameras },
  ca: {
    flags: '--ca <file>',
    description: 'trust the certificates of this PEM file (a private CA) besides the system ones, for the API and the streams',
    group: GROUP.cameras,
  },
  proxy: {
    flags: '--proxy <url>',
    description: "send the API and stream requests through this HTTP proxy ('' for none)",
    defaultText: 'HTTP_PROXY, HTTPS_PROXY, NO_PROXY as curl reads them',
    group: GROUP.cameras,
  },
  apiTimeout: { flags: '--api-timeout <time>', description: 'time limit for each camera API request', default: DEFAULTS.apiTimeout, group: GROUP.cameras },
  streamsPerCamera: {
    flags: '--streams-per-camera <k>',
    description: 'streams per camera when more streams than cameras are requested (spread evenly)',
    default: DEFAULTS.streamsPerCamera,
    group: GROUP.streams,
  },
  connectConcurrency: {
    flags: '--connect-concurrency <n>',
    description: 'connection attempts waiting for response headers at once',
    default: DEFAULTS.connectConcurrency,
    more: "The default was chosen by measurement: [a stream's start](start.md).",
    group: GROUP.streams,
  },
  stallTimeout: {
    flags: '--stall-timeout <time>',
    description: 'a stream that completes no frame (or sends no headers) for this long is dropped and reconnected',
    default: DEFAULTS.stallTimeout,
    more:
      'Bytes that never make a picture do not count; checked every timeout ÷ 4, between 50 ms and 1 s apart. It also bounds the TCP ' +
      'handshake and the wait for response headers (`ETIMEDOUT`, `HEADERS_TIMEOUT`).',
    group: GROUP.streams,
  },
  freezeTimeout: {
    flags: '--freeze-timeout <time>',
    description: 'a picture byte-identical for longer than this, while frames keep coming, counts a FROZEN event',
    default: DEFAULTS.freezeTimeout,
    more: 'See [frame freshness](freshness.md).',
    group: GROUP.streams,
  },
  timestampHeader: {
    flags: '--timestamp-header <name[:unit]>',
    description: "the part header holding each frame's capture time, as name or name:unit (s, ms, us; no unit: read from the value)",
    defaultText: 'X-Timestamp or X-Frame-Timestamp, as mjpg-streamer and ustreamer send',
    group: GROUP.streams,
  },
  backoffMax: {
    flags: '--backoff-max <time>',
    description: 'longest wait between reconnection attempts',
    default: DEFAULTS.backoffMax,
    more: `Exponential from ${DEFAULTS.backoff.baseMs} ms, factor ${DEFAULTS.backoff.factor}, full jitter; reset after a frame.`,
    group: GROUP.streams,
  },
  ...VIEWER_FLAG_TABLE,
  saturationCpu: {
    flags: '--saturation-cpu <percent>',
    description: 'client CPU (percent of one core) from which a sample counts as saturated; a quarter of the samples (two at least) make the run not valid',
    default: DEFAULTS.saturationCpu,
    more: 'An event loop 100 ms late (p99) also makes a sample saturated. See [the start](start.md) for the other rule: client lateness.',
    group: GROUP.verdict,
    for: {
      max: {
        description:
          "client CPU (percent of one core) from which a sample counts as saturated; a quarter of a trial's samples (two at least) end the search there",
        group: GROUP.search,
      },
    },
  },
  output: {
    flags: '--output <file>',
    description: `report path (${STDOUT_REPORT})`,
    defaultText: `${DEFAULTS.reportStem.run}_${stamp}.json, local time`,
    group: GROUP.outputs,
    for: {
      max: { description: 'report path', defaultText: `${DEFAULTS.reportStem.max}_${stamp}.json, local time` },
      merge: { defaultText: `${DEFAULTS.reportStem.run}_merged_${stamp}.json, local time` },
      cameras: { description: "write the camera list to this file, for --cameras-file ('-': stdout)", defaultText: 'none: the cameras are only shown' },
    },
  },
  log: { flags: '--log <file>', description: 'log path (JSON lines)', defaultText: `${DEFAULTS.logStem}_${stamp}.log`, group: GROUP.outputs },
  interval: { flags: '--interval <time>', description: "the report timeline's resolution", default: DEFAULTS.interval, group: GROUP.outputs },
  quiet: {
    flags: '--quiet',
    description: 'no progress and no summary on stdout (the report and the log are still written)',
    group: GROUP.outputs,
    for: {
      merge: { description: 'no summary on stdout (the report is still written)' },
      report: { description: 'print nothing (with --html, only write the page)' },
      cameras: { description: 'no table on stdout (the --output file is still written)' },
    },
  },
  start: {
    flags: '--start <n>',
    description: 'first and highest level to try: the search halves from it while unstable, then bisects',
    defaultText: '--max-streams, or as many streams as the cameras allow',
    group: GROUP.search,
  },
  min: { flags: '--min <n>', description: 'lowest level to try', default: DEFAULTS.max.min, group: GROUP.search },
  trial: { flags: '--trial <time>', description: 'length of each trial', default: DEFAULTS.max.trial, group: GROUP.search },
  cooldown: { flags: '--cooldown <time>', description: 'pause between trials', default: DEFAULTS.max.cooldown, group: GROUP.search },
  precision: {
    flags: '--precision <n>',
    description: 'stop when the highest stable and lowest unstable levels are this close',
    default: DEFAULTS.max.precision,
    group: GROUP.search,
  },
  maxReconnects: {
    flags: '--max-reconnects <n>',
    description: 'reconnections plus stalls a stable trial may have',
    default: DEFAULTS.max.maxReconnects,
    group: GROUP.search,
  },
  minFps: {
    flags: '--min-fps <fps>',
    description: 'frames per second per stream a stable trial must hold',
    defaultText: '90% of the lowest stable level',
    group: GROUP.search,
  },
  metricsPort: {
    flags: '--metrics-port <port>',
    description: 'serve live Prometheus metrics at http://HOST:PORT/metrics from the start until the report is written (0: any free port, printed)',
    more: 'See [live metrics](prometheus.md).',
    group: GROUP.metrics,
  },
  metricsHost: {
    flags: '--metrics-host <host>',
    description: 'address the metrics endpoint listens on (0.0.0.0: every interface, for a Prometheus on another machine)',
    default: '127.0.0.1',
    group: GROUP.metrics,
  },
  metricsPerCamera: {
    flags: '--metrics-per-camera',
    description: 'also export series per camera (a camera label): about 12 more series per camera, 24,000 for 2,000 cameras',
    group: GROUP.metrics,
  },
} as const satisfies Record<string, FlagSpec>;

export type FlagName = keyof typeof FLAGS;
