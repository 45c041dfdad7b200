import { Counter, Gauge, Histogram, Registry, Summary } from 'prom-client';
import type { SystemSample } from '../metrics/client-health.js';
import { addTallies, BUCKETS_SECONDS, emptyTally, tallyOf, type CameraTally, type HistogramTally, type Tally } from '../metrics/live-tally.js';
import type { ShardId } from '../report/report-types.js';
import type { Runner } from '../run/runner.js';

// What the live Prometheus endpoint serves (metrics-exporter.ts).
//
// Nothing is counted twice and the hot path pays nothing: the engine already keeps every figure in each stream's
// StreamStats (plain fields, its GapHistogram), which the report reads at the end. A scrape reads the same fields
// then, sums them over the streams once (LiveTally.read) and hands prom-client the totals. prom-client counters
// cannot be set, only increased, so each counter's collect() increases it by what the total gained since the
// previous scrape: the exported value is then exactly the engine's total (integers, well below 2^53), and it
// never goes down, because the engine's counters never do and the totals of max's finished trials are kept
// (LiveTally.finished) when the next trial's fresh streams start from zero. The histograms cannot be fed values
// at scrape time either, so ScrapedHistogram exports the buckets summed from the streams' own histograms.

/**
 * The runner measured now, and what the runners before it measured (max runs one per trial): every counter
 * accumulates over the whole command, as a Prometheus counter must.
 */
export class LiveTally {
  private finished = emptyTally();
  private runner: Runner | undefined;
  /** Streams the running runner holds (this shard's share; max: the trial's level). */
  planned = 0;
  trials = 0;
  sample: SystemSample | undefined;

  constructor(private readonly perCamera: boolean) {}

  follow(runner: Runner, planned: number): void {
    // The previous runner has returned (trials run one after another): its counters are final.
    if (this.runner !== undefined) this.finished = addTallies(this.finished, this.current());
    this.runner = runner;
    this.planned = planned;
    this.trials++;
    runner.on('sample', (sample) => {
      this.sample = sample;
    });
  }

  read(): Tally {
    return addTallies(this.finished, this.current());
  }

  // snapshot() hands out the runner's live StreamStats (no copy), before, during and after its run.
  private current(): Tally {
    return tallyOf(this.runner?.snapshot(false).streams ?? [], this.perCamera);
  }
}

/** A histogram whose buckets are read from the engine at scrape time, not observed value by value. */
class ScrapedHistogram extends Histogram {
  constructor(
    private readonly metricName: string,
    private readonly helpText: string,
    private readonly readTally: () => HistogramTally,
    registry: Registry,
  ) {
    super({ name: metricName, help: helpText, buckets: [...BUCKETS_SECONDS], registers: [registry] });
  }

  // What the registry formats (prom-client calls it in place of its own observed buckets).
  getForPromString(): Promise<unknown> {
    const tally = this.readTally();
    const bucket = `${this.metricName}_bucket`;
    let cumulative = 0;
    const values: { labels: Record<string, string | number>; value: number; metricName: string }[] = BUCKETS_SECONDS.map((le, i) => {
      cumulative += tally.buckets[i] ?? 0;
      return { labels: { le }, value: cumulative, metricName: bucket };
    });
    values.push({ labels: { le: '+Inf' }, value: tally.count, metricName: bucket });
    values.push({ labels: {}, value: tally.sum, metricName: `${this.metricName}_sum` });
    values.push({ labels: {}, value: tally.count, metricName: `${this.metricName}_count` });
    return Promise.resolve({ name: this.metricName, help: this.helpText, type: 'histogram', values, aggregator: 'sum' });
  }
}

type Labels<L extends string> = Record<L, string>;

/**
 * A summary without quantiles: only `_sum` and `_count`, read from the engine's running totals at scrape time (the
 * mean is rate(_sum) / rate(_count)). Both only grow, as the engine's totals do; nothing is observed per frame.
 */
class ScrapedSummary<L extends string> extends Summary<L> {
  constructor(
    private readonly metricName: string,
    private readonly helpText: string,
    labelNames: readonly L[],
    private readonly readTotals: () => Iterable<[Labels<L>, { sum: number; count: number }]>,
    registry: Registry,
  ) {
    super({ name: metricName, help: helpText, labelNames, percentiles: [], registers: [registry] });
  }

  getForPromString(): Promise<unknown> {
    const values: { labels: Labels<L>; value: number; metricName: string }[] = [];
    for (const [labels, { sum, count }] of this.readTotals()) {
      values.push({ labels, value: sum, metricName: `${this.metricName}_sum` }, { labels, value: count, metricName: `${this.metricName}_count` });
    }
    return Promise.resolve({ name: this.metricName, help: this.helpText, type: 'summary', values, aggregator: 'sum' });
  }
}

/** The queueing delay's totals in seconds, as ScrapedSummary reads them. */
const delayTotals = (t: CameraTally): { sum: number; count: number } => ({ sum: t.delaySumMs / 1000, count: t.timestampedFrames });

/** A counter that follows a total kept elsewhere: increased at each scrape by what the total gained since. */
function followingCounter(registry: Registry, name: string, help: string, total: () => number): void {
  let exported = 0;
  new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      const value = total();
      // The engine's totals never go down; should one ever, the counter holds rather than breaking Prometheus's rate().
      if (value > exported) this.inc(value - exported);
      exported = Math.max(exported, value);
    },
  });
}

/** The same per label set: `totals` maps a key to its labels and its total. */
function followingLabelledCounter<L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly L[],
  totals: () => Iterable<[Record<L, string>, number]>,
): void {
  const exported = new Map<string, number>();
  new Counter<L>({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      for (const [labels, value] of totals()) {
        const key = JSON.stringify(labelNames.map((l) => labels[l]));
        const before = exported.get(key) ?? 0;
        if (value > before) this.inc(labels as Partial<Record<L, string>>, value - before);
        exported.set(key, Math.max(before, value));
      }
    },
  });
}

function gauge(registry: Registry, name: string, help: string, value: () => number | undefined): void {
  new Gauge({
    name,
    help,
    registers: [registry],
    collect() {
      const v = value();
      if (v !== undefined) this.set(v);
    },
  });
}

export interface MetricsInfo {
  version: string;
  command: 'run' | 'max';
  shard?: ShardId;
}

/** Every metric of the endpoint, in one registry, read from `live` (the tally of the scrape in progress). */
export function metricsRegistry(live: LiveTally, latest: () => Tally, info: MetricsInfo, perCamera: boolean): Registry {
  const registry = new Registry();
  const shard = info.shard === undefined ? '1/1' : `${info.shard.index}/${info.shard.count}`;
  new Gauge({ name: 'camera_load_run_info', help: 'What runs: camera-load version, command (run, max) and shard (i/n)', labelNames: ['version', 'command', 'shard'], registers: [registry] }).set(
    { version: info.version, command: info.command, shard },
    1,
  );
  if (info.command === 'max') {
    new Gauge({
      name: 'camera_load_trial_info',
      help: 'The max trial running now: its number (from 1) and its level (streams)',
      labelNames: ['trial', 'streams'],
      registers: [registry],
      collect() {
        this.reset();
        if (live.trials > 0) this.set({ trial: String(live.trials), streams: String(live.planned) }, 1);
      },
    });
  }
  gauge(registry, 'camera_load_streams_planned', 'Streams this process holds open (max: the trial level)', () => live.planned);
  gauge(registry, 'camera_load_streams_open', 'Streams with a response open now', () => latest().openStreams);
  followingCounter(registry, 'camera_load_frames_total', 'Complete JPEG frames received, all streams', () => latest().frames);
  followingCounter(registry, 'camera_load_received_bytes_total', 'Response body bytes received (multipart framing included), all streams', () => latest().bytes);
  followingCounter(registry, 'camera_load_reconnections_total', "Connection attempts after each stream's first", () => latest().reconnections);
  followingCounter(registry, 'camera_load_stalls_total', 'Connections dropped for completing no frame within --stall-timeout', () => latest().stalls);
  followingCounter(registry, 'camera_load_corrupt_frames_total', 'Image parts that were not a complete JPEG', () => latest().corruptFrames);
  followingCounter(registry, 'camera_load_frames_repeated_total', "Frames byte-identical to their stream's previous frame (the server re-sent a picture), all streams", () => latest().repeatedFrames);
  followingCounter(registry, 'camera_load_frozen_total', 'FROZEN events: a picture unchanged for longer than --freeze-timeout while frames kept coming', () => latest().frozen);
  new ScrapedSummary(
    'camera_load_frame_delay_seconds',
    "Queueing delay of frames that carried a capture time: age less the smallest age its stream had shown so far (needs no synced clocks)",
    [],
    () => [[{}, delayTotals(latest())]],
    registry,
  );
  gauge(registry, 'camera_load_frame_delay_max_seconds', "The largest of the streams' latest queueing delays (0 while no frame carried a capture time)", () => {
    const ms = latest().delayMaxMs;
    return Number.isNaN(ms) ? 0 : ms / 1000;
  });
  followingLabelledCounter(registry, 'camera_load_connection_ends_total', 'Connections that ended, by code (HTTP_503, STALL, ECONNRESET, ENDED, ...)', ['code'], () =>
    Object.entries(latest().connectionEnds).map(([code, n]) => [{ code }, n]),
  );
  new ScrapedHistogram(
    'camera_load_frame_gap_seconds',
    'Time between consecutive frames of a stream, across reconnections (an outage is one long gap)',
    () => latest().frameGap,
    registry,
  );
  startHistograms(registry, latest);
  gauge(registry, 'camera_load_client_cpu_ratio', 'CPU this process used over the last sample, as a share of one core (1 = saturated)', () =>
    live.sample === undefined ? undefined : live.sample.processCpuPercent / 100,
  );
  gauge(registry, 'camera_load_client_event_loop_delay_p99_seconds', "This process's event-loop delay over the last sample, p99", () =>
    live.sample === undefined ? undefined : live.sample.eventLoopDelayP99Ms / 1000,
  );
  gauge(registry, 'camera_load_client_event_loop_delay_max_seconds', "This process's event-loop delay over the last sample, maximum", () =>
    live.sample === undefined ? undefined : live.sample.eventLoopDelayMaxMs / 1000,
  );
  gauge(registry, 'camera_load_client_resident_memory_bytes', "This process's resident memory at the last sample", () => live.sample?.processRssBytes);
  if (perCamera) perCameraMetrics(registry, latest);
  return registry;
}

/** A stream's start: camera-load's own waits before its first request left, then the server's first frame. */
function startHistograms(registry: Registry, latest: () => Tally): void {
  new ScrapedHistogram('camera_load_time_to_first_frame_seconds', "Time from a stream's first request leaving to its first complete frame", () => latest().timeToFirstFrame, registry);
  new ScrapedHistogram(
    'camera_load_client_lateness_seconds',
    "camera-load's own delay before a stream's request left (beyond any connect queue), from its scheduled start (its event loop, CPU, set-up): the client's, not the server's",
    () => latest().clientLateness,
    registry,
  );
  new ScrapedHistogram(
    'camera_load_connect_queue_seconds',
    "A stream's wait for a --connect-concurrency slot (held by requests awaiting the server's headers) before its first request left",
    () => latest().connectQueue,
    registry,
  );
}

function perCameraMetrics(registry: Registry, latest: () => Tally): void {
  const each = (pick: (c: CameraTally) => number) => () => [...latest().cameras].map(([camera, c]): [Record<'camera', string>, number] => [{ camera }, pick(c)]);
  const counter = (name: string, help: string, pick: (c: CameraTally) => number): void => {
    followingLabelledCounter(registry, `camera_load_camera_${name}`, `${help}, per camera`, ['camera'], each(pick));
  };
  counter('frames_total', 'Complete JPEG frames received', (c) => c.frames);
  counter('received_bytes_total', 'Response body bytes received', (c) => c.bytes);
  counter('reconnections_total', 'Reconnection attempts', (c) => c.reconnections);
  counter('stalls_total', 'Connections dropped for completing no frame within --stall-timeout', (c) => c.stalls);
  counter('corrupt_frames_total', 'Image parts that were not a complete JPEG', (c) => c.corruptFrames);
  counter('frames_repeated_total', "Frames byte-identical to their stream's previous frame", (c) => c.repeatedFrames);
  counter('frozen_total', 'FROZEN events', (c) => c.frozen);
  new ScrapedSummary(
    'camera_load_camera_frame_delay_seconds',
    'Queueing delay of frames that carried a capture time, per camera',
    ['camera'],
    () => [...latest().cameras].map(([camera, c]): [Labels<'camera'>, { sum: number; count: number }] => [{ camera }, delayTotals(c)]),
    registry,
  );
  followingLabelledCounter(registry, 'camera_load_camera_connection_ends_total', 'Connections that ended, by code, per camera', ['camera', 'code'], () =>
    [...latest().cameras].flatMap(([camera, c]) => Object.entries(c.connectionEnds).map(([code, n]): [Record<'camera' | 'code', string>, number] => [{ camera, code }, n])),
  );
  new Gauge({
    name: 'camera_load_camera_streams_open',
    help: 'Streams with a response open now, per camera',
    labelNames: ['camera'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [camera, c] of latest().cameras) this.set({ camera }, c.openStreams);
    },
  });
  new Gauge({
    name: 'camera_load_camera_frame_delay_max_seconds',
    help: "The largest of the camera's streams' latest queueing delays, per camera (cameras without a capture time left out)",
    labelNames: ['camera'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [camera, c] of latest().cameras) if (!Number.isNaN(c.delayMaxMs)) this.set({ camera }, c.delayMaxMs / 1000);
    },
  });
}
