/**
 * Every default in one table (autocannon's defaultOptions): the flag table, the help text, the option parsers
 * and the run plan read it, so a default is changed in one place.
 */
export const DEFAULTS = {
  apiUrl: 'https://cc.nttagid.com/api/v1/camera/',
  maxStreams: 50,
  duration: '300',
  rampUp: '0',
  /** As many cameras as `run` opens streams by default: a first run tests 50 streams with nothing to warn about. */
  simulatedCameras: 50,
  streamsPerCamera: '1',
  stallTimeout: '10s',
  /** A picture unchanged for longer than this, while frames keep coming, is a FROZEN event. */
  freezeTimeout: '2s',
  /** Reconnection backoff: the first retry waits up to baseMs, each next one up to `factor` times more. */
  backoff: { baseMs: 500, factor: 2 },
  backoffMax: '30s',
  interval: '1s',
  /**
   * Requests awaiting their response headers at once. Chosen by measurement (docs/benchmarks.md, A stream's start):
   * against 100, first frames came sooner at 2,000 and at 10,000 streams in every round, for less client CPU.
   */
  connectConcurrency: '500',
  apiTimeout: '15s',
  saturationCpu: '90',
  /**
   * `--seed`: fixed, so every shard of a sharded run makes the same plan (viewer groups, backoff jitter) without
   * being told.
   */
  seed: '1',
  /** Viewer groups begin after this share of --duration (`--lead-in`), and never before the ramp-up ends. */
  leadInShare: 0.25,
  /** How often the machine and this process are sampled. */
  systemIntervalMs: 2_000,
  reportStem: { run: 'camera_stream_load_test_report', max: 'camera_max_capacity_report' },
  logStem: 'camera_load_test',
  max: { min: '1', trial: '30s', cooldown: '5s', precision: '1', maxReconnects: '0' },
  simulate: {
    port: '0',
    host: '127.0.0.1',
    cameras: '20',
    inactive: '4',
    pageSize: '25',
    fps: '5',
    frameSize: '30KB',
    distinctFrames: '10',
    seed: '1',
    faultShare: '1',
    statusInterval: '10s',
    slowClient: 'drop',
  },
} as const;
