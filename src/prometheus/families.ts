import type { SystemSample } from '../metrics/client-health.js';
import type { ShardId } from '../report/report-types.js';
import { exposition, histogram, labelled, labelledHistogram, single, summary, type HistogramFigures, type MetricFamily } from './exposition.js';
import { stageFamilies, type StageNow } from './stage-families.js';
import { stormFamilies, type StormsNow } from './storm-families.js';
import { BUCKETS_SECONDS, type CameraTally, type HistogramTally, type LiveTally, type Tally, type ViewerTally } from './tally.js';

// What the live endpoint serves, read from one tally of the streams per scrape (tally.ts): every counter is the
// engine's own total, exactly, and only grows, since the engine's counters do and max's finished trials are kept.

export interface MetricsInfo {
  version: string;
  command: 'run' | 'max';
  shard?: ShardId;
}

/** What one scrape reads: the streams' tally, and what the runner says of itself. */
export interface Scrape {
  tally: Tally;
  /** Streams this process holds (max: the trial's level). */
  planned: number;
  /** max: the trial running now (from 1). */
  trials: number;
  sample: SystemSample | undefined;
  /** Runs with --stages: the stage under way (`now` undefined before the run starts); null without stages. */
  stages: { now: StageNow | undefined } | null;
  /** Runs with --storm-at: the storms so far; null without storms. */
  storms: StormsNow | null;
}

const figures = (tally: HistogramTally): HistogramFigures => ({ bounds: BUCKETS_SECONDS, counts: tally.buckets, sum: tally.sum, count: tally.count });
/** The queueing delay's totals in seconds, as a summary's _sum and _count. */
const delayTotals = (t: CameraTally): { sum: number; count: number } => ({ sum: t.delaySumMs / 1000, count: t.timestampedFrames });

/** Pure: every family of the endpoint, in the order it serves them. */
export function metricFamilies(scrape: Scrape, info: MetricsInfo, perCamera: boolean): MetricFamily[] {
  return [
    ...runFamilies(scrape, info),
    ...(scrape.stages === null ? [] : stageFamilies(scrape.stages.now)),
    ...(scrape.storms === null ? [] : stormFamilies(scrape.storms)),
    ...streamFamilies(scrape.tally),
    ...startFamilies(scrape.tally),
    ...clientFamilies(scrape.sample),
    ...(perCamera ? perCameraFamilies(scrape.tally) : []),
    ...(scrape.tally.viewers.size > 0 ? viewerFamilies(scrape.tally) : []),
  ];
}

function runFamilies(scrape: Scrape, info: MetricsInfo): MetricFamily[] {
  const shard = info.shard === undefined ? '1/1' : `${info.shard.index}/${info.shard.count}`;
  const families = [
    labelled('gauge', 'camera_load_run_info', 'What runs: camera-load version, command (run, max) and shard (i/n)', [
      [{ version: info.version, command: info.command, shard }, 1],
    ]),
  ];
  if (info.command === 'max') {
    const running: [Record<string, string>, number][] = scrape.trials > 0 ? [[{ trial: String(scrape.trials), streams: String(scrape.planned) }, 1]] : [];
    families.push(labelled('gauge', 'camera_load_trial_info', 'The max trial running now: its number (from 1) and its level (streams)', running));
  }
  families.push(single('gauge', 'camera_load_streams_planned', 'Streams this process holds open (max: the trial level)', scrape.planned));
  return families;
}

function streamFamilies(t: Tally): MetricFamily[] {
  return [
    single('gauge', 'camera_load_streams_open', 'Streams with a response open now', t.openStreams),
    single('counter', 'camera_load_frames_total', 'Complete JPEG frames received, all streams', t.frames),
    single('counter', 'camera_load_received_bytes_total', 'Response body bytes received (multipart framing included), all streams', t.bytes),
    single('counter', 'camera_load_reconnections_total', "Connection attempts after each stream's first", t.reconnections),
    single('counter', 'camera_load_stalls_total', 'Connections dropped for completing no frame within --stall-timeout', t.stalls),
    single('counter', 'camera_load_corrupt_frames_total', 'Image parts that were not a complete JPEG', t.corruptFrames),
    single(
      'counter',
      'camera_load_frames_repeated_total',
      "Frames byte-identical to their stream's previous frame (the server re-sent a picture), all streams",
      t.repeatedFrames,
    ),
    single('counter', 'camera_load_frozen_total', 'FROZEN events: a picture unchanged for longer than --freeze-timeout while frames kept coming', t.frozen),
    summary(
      'camera_load_frame_delay_seconds',
      'Queueing delay of frames that carried a capture time: age less the smallest age its stream had shown so far (needs no synced clocks)',
      [[{}, delayTotals(t)]],
    ),
    single(
      'gauge',
      'camera_load_frame_delay_max_seconds',
      "The largest of the streams' latest queueing delays (0 while no frame carried a capture time)",
      Number.isNaN(t.delayMaxMs) ? 0 : t.delayMaxMs / 1000,
    ),
    labelled(
      'counter',
      'camera_load_connection_ends_total',
      'Connections that ended, by code (HTTP_503, STALL, ECONNRESET, ENDED, ...)',
      Object.entries(t.errorsByCode).map(([code, n]) => [{ code }, n]),
    ),
    histogram(
      'camera_load_frame_gap_seconds',
      'Time between consecutive frames of a stream, across reconnections (an outage is one long gap)',
      figures(t.frameGap),
    ),
  ];
}

/** A stream's start: camera-load's own waits before its first request left, then the server's first frame. */
function startFamilies(t: Tally): MetricFamily[] {
  return [
    histogram('camera_load_time_to_first_frame_seconds', "Time from a stream's first request leaving to its first complete frame", figures(t.timeToFirstFrame)),
    histogram(
      'camera_load_client_lateness_seconds',
      "camera-load's own delay before a stream's request left (beyond any connect queue), from its scheduled start (its event loop, CPU, set-up): the client's, not the server's",
      figures(t.clientLateness),
    ),
    histogram(
      'camera_load_connect_queue_seconds',
      "A stream's wait for a --connect-concurrency slot (held by requests awaiting the server's headers) before its first request left",
      figures(t.connectQueue),
    ),
  ];
}

function clientFamilies(sample: SystemSample | undefined): MetricFamily[] {
  return [
    single(
      'gauge',
      'camera_load_client_cpu_ratio',
      'CPU this process used over the last sample, as a share of one core (1 = saturated)',
      sample && sample.processCpuPercent / 100,
    ),
    single(
      'gauge',
      'camera_load_client_event_loop_delay_p99_seconds',
      "This process's event-loop delay over the last sample, p99",
      sample && sample.eventLoopDelayP99Ms / 1000,
    ),
    single(
      'gauge',
      'camera_load_client_event_loop_delay_max_seconds',
      "This process's event-loop delay over the last sample, maximum",
      sample && sample.eventLoopDelayMaxMs / 1000,
    ),
    single('gauge', 'camera_load_client_resident_memory_bytes', "This process's resident memory at the last sample", sample?.processRssBytes),
  ];
}

function perCameraFamilies(t: Tally): MetricFamily[] {
  const cameras = [...t.cameras];
  const each = (pick: (c: CameraTally) => number): [Record<string, string>, number][] => cameras.map(([camera, c]) => [{ camera }, pick(c)]);
  const counter = (name: string, help: string, pick: (c: CameraTally) => number): MetricFamily =>
    labelled('counter', `camera_load_camera_${name}`, `${help}, per camera`, each(pick));
  return [
    counter('frames_total', 'Complete JPEG frames received', (c) => c.frames),
    counter('received_bytes_total', 'Response body bytes received', (c) => c.bytes),
    counter('reconnections_total', 'Reconnection attempts', (c) => c.reconnections),
    counter('stalls_total', 'Connections dropped for completing no frame within --stall-timeout', (c) => c.stalls),
    counter('corrupt_frames_total', 'Image parts that were not a complete JPEG', (c) => c.corruptFrames),
    counter('frames_repeated_total', "Frames byte-identical to their stream's previous frame", (c) => c.repeatedFrames),
    counter('frozen_total', 'FROZEN events', (c) => c.frozen),
    summary(
      'camera_load_camera_frame_delay_seconds',
      'Queueing delay of frames that carried a capture time, per camera',
      cameras.map(([camera, c]) => [{ camera }, delayTotals(c)]),
    ),
    labelled(
      'counter',
      'camera_load_camera_connection_ends_total',
      'Connections that ended, by code, per camera',
      cameras.flatMap(([camera, c]) => Object.entries(c.errorsByCode).map(([code, n]): [Record<string, string>, number] => [{ camera, code }, n])),
    ),
    labelled(
      'gauge',
      'camera_load_camera_streams_open',
      'Streams with a response open now, per camera',
      each((c) => c.openStreams),
    ),
    labelled(
      'gauge',
      'camera_load_camera_frame_delay_max_seconds',
      "The largest of the camera's streams' latest queueing delays, per camera (cameras without a capture time left out)",
      cameras.filter(([, c]) => !Number.isNaN(c.delayMaxMs)).map(([camera, c]) => [{ camera }, c.delayMaxMs / 1000]),
    ),
  ];
}

/**
 * Per viewer group (issue 29), as `viewers="slow"`: families of their own beside the run's unlabelled ones, which stay
 * as they were (a label added to those would split the series dashboards read, and a labelled sample beside the
 * unlabelled total would be counted twice by sum()). The label is the threshold selector's key, {viewers:slow}.
 */
function viewerFamilies(t: Tally): MetricFamily[] {
  const groups = [...t.viewers];
  const each = (pick: (v: ViewerTally) => number): [Record<string, string>, number][] => groups.map(([viewers, v]) => [{ viewers }, pick(v)]);
  const counter = (name: string, help: string, pick: (v: ViewerTally) => number): MetricFamily =>
    labelled('counter', `camera_load_viewers_${name}`, `${help}, per viewer group`, each(pick));
  return [
    labelled(
      'gauge',
      'camera_load_viewers_streams_planned',
      'Streams this process holds, per viewer group',
      each((v) => v.streams),
    ),
    labelled(
      'gauge',
      'camera_load_viewers_streams_open',
      'Streams with a response open now, per viewer group',
      each((v) => v.openStreams),
    ),
    counter('frames_total', 'Complete JPEG frames received', (v) => v.frames),
    counter('received_bytes_total', 'Response body bytes received (multipart framing included)', (v) => v.bytes),
    counter('reconnections_total', "Connection attempts after each stream's first", (v) => v.reconnections),
    counter('stalls_total', 'Connections dropped for completing no frame within --stall-timeout', (v) => v.stalls),
    counter('frames_repeated_total', "Frames byte-identical to their stream's previous frame", (v) => v.repeatedFrames),
    labelled(
      'counter',
      'camera_load_viewers_connection_ends_total',
      'Connections that ended, by code, per viewer group',
      groups.flatMap(([viewers, v]) => Object.entries(v.errorsByCode).map(([code, n]): [Record<string, string>, number] => [{ viewers, code }, n])),
    ),
    summary(
      'camera_load_viewers_frame_delay_seconds',
      'Queueing delay of frames that carried a capture time, per viewer group',
      groups.map(([viewers, v]) => [{ viewers }, delayTotals(v)]),
    ),
    labelledHistogram(
      'camera_load_viewers_frame_gap_seconds',
      'Time between consecutive frames of a stream, across reconnections, per viewer group',
      groups.map(([viewers, v]) => [{ viewers }, figures(v.frameGap)]),
    ),
  ];
}

/** What a scrape reads, as text: one pass over the streams, every family read from it. */
export class Scraper {
  private readonly counters = new CounterFloor();

  constructor(
    private readonly live: LiveTally,
    private readonly info: MetricsInfo,
    private readonly perCamera: boolean,
  ) {}

  text(): string {
    const { planned, trials, sample } = this.live;
    const scrape = { tally: this.live.read(), planned, trials, sample, stages: this.live.stages(), storms: this.live.storms() };
    return exposition(this.counters.hold(metricFamilies(scrape, this.info, this.perCamera)));
  }
}

/**
 * The counters as served: each holds its highest value so far. The engine's totals never go down; should one ever,
 * the counter holds rather than breaking Prometheus's rate().
 */
class CounterFloor {
  private readonly highest = new Map<string, number>();

  hold(families: readonly MetricFamily[]): MetricFamily[] {
    return families.map((family) =>
      family.type === 'counter' ? { ...family, samples: family.samples.map((sample) => this.holdSample(family.name, sample)) } : family,
    );
  }

  private holdSample(name: string, sample: MetricFamily['samples'][number]): MetricFamily['samples'][number] {
    const key = `${name}${JSON.stringify(sample.labels ?? {})}`;
    const value = Math.max(this.highest.get(key) ?? 0, sample.value);
    this.highest.set(key, value);
    return { ...sample, value };
  }
}
