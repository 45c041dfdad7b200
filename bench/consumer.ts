// One consumer of the benchmark, in its own process so its CPU is its own: it reads the given stream URLs for
// warm-up + window seconds and prints one JSON line with what it measured over the window.
import { setMaxListeners } from 'node:events';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';
import type MjpegConsumerStream from 'mjpeg-consumer';
import type { Camera } from '../src/cameras/camera.js';
import type { Runner, totalsOf } from '../src/run/runner.js';
import type { BackoffPolicy } from '../src/connection/backoff.js';
import type { plannedStreams } from '../src/run/run-plan.js';

export type ConsumerKind = 'raw' | 'engine' | 'mjpeg-consumer';

export interface ConsumerConfig {
  kind: ConsumerKind;
  urls: string[];
  warmUpMs: number;
  windowMs: number;
  /** Soak: print RSS and heap every this many ms. */
  reportEveryMs?: number;
  /** Write a CPU profile of the measured window (not the connecting before it) into this directory. */
  profileDir?: string;
  /**
   * The server ends every stream after a known number of frames: after the window, wait (at most this long) for
   * every stream to end before stopping, and hold each to one connection, so that frames counted can be
   * compared with frames sent, exactly.
   */
  awaitEndMs?: number;
}

export interface ConsumerResult {
  kind: ConsumerKind;
  streams: number;
  windowSeconds: number;
  cpuSeconds: number;
  bytes: number;
  /** Frames counted over the whole run (not only the window), for comparison with the server's count. */
  framesTotal: number;
  peakRssBytes: number;
  baselineRssBytes: number;
  /** At the end of the window: the JS heap, and memory outside it (socket buffers, mostly). */
  heapUsedBytes: number;
  externalBytes: number;
  eventLoopP99Ms: number;
  gcCount: number;
  gcMs: number;
  /** Soak only: memory at each report. */
  memory?: MemoryReading[];
  /** Streams still open when the consumer stopped (with awaitEndMs: none, when every stream ended in time). */
  openAtStop: number;
  /** The engine's connections the server ended, and the frames counted on each (how many of each count). */
  endedConnections?: Record<string, number>;
}

export interface MemoryReading {
  minutes: number;
  rssBytes: number;
  heapUsedBytes: number;
}

interface Counters {
  bytes: () => number;
  frames: () => number;
  /** Streams open now (answered, not yet ended). */
  open: () => number;
  stop: () => Promise<void>;
  ended?: () => Record<string, number>;
}

const agentOptions = { connections: null, pipelining: 1, headersTimeout: 0, bodyTimeout: 0 } as const;

// Totals live in a typed array: a closure variable past 2^31 would box a new heap number on every chunk and
// make the baseline pay for garbage collection the consumers it is compared with do not.
function rawDrain(urls: string[], signal: AbortSignal): Counters {
  const dispatcher = new Agent(agentOptions);
  const total = new Float64Array(1);
  let open = 0;
  for (const url of urls) {
    void request(url, { dispatcher, signal })
      .then(({ body }) => {
        open++;
        body.on('data', (chunk: Buffer) => (total[0] = (total[0] ?? 0) + chunk.length));
        body.on('error', () => undefined);
        body.once('close', () => open--);
      })
      .catch(() => undefined);
  }
  return { bytes: () => total[0] ?? 0, frames: () => 0, open: () => open, stop: () => dispatcher.destroy().catch(() => undefined) };
}

type Start = (urls: string[], signal: AbortSignal, oneConnection: boolean) => Counters;

async function loadMjpegConsumer(): Promise<Start> {
  const { default: MjpegConsumer } = await import('mjpeg-consumer');
  return (urls, signal) => mjpegConsumer(MjpegConsumer, urls, signal);
}

function mjpegConsumer(MjpegConsumer: typeof MjpegConsumerStream, urls: string[], signal: AbortSignal): Counters {
  const dispatcher = new Agent(agentOptions);
  const total = new Float64Array(2); // bytes, frames
  let open = 0;
  for (const url of urls) {
    void request(url, { dispatcher, signal })
      .then(({ body }) => {
        open++;
        body.once('close', () => open--);
        const consumer = new MjpegConsumer();
        body.on('data', (chunk: Buffer) => (total[0] = (total[0] ?? 0) + chunk.length));
        body.on('error', () => undefined);
        consumer.on('data', () => (total[1] = (total[1] ?? 0) + 1));
        consumer.on('error', () => undefined);
        body.pipe(consumer);
      })
      .catch(() => undefined);
  }
  return { bytes: () => total[0] ?? 0, frames: () => total[1] ?? 0, open: () => open, stop: () => dispatcher.destroy().catch(() => undefined) };
}

// The built code users run: pool, sessions, parser, stats, timeline, sampler (everything but the terminal).
async function loadEngine(): Promise<Start> {
  const [{ Runner: runner, totalsOf: totals }, { collectEveryMinute }, { DEFAULT_BACKOFF: backoff }, { plannedStreams: planned }] = await Promise.all([
    import('../src/run/runner.js'),
    import('../src/launcher/gc-tuning.js'),
    import('../src/connection/backoff.js'),
    import('../src/run/run-plan.js'),
  ]);
  // As the CLI does, started (like this consumer, by end-to-end.ts) with the garbage-collector flags.
  collectEveryMinute();
  return (urls, signal, oneConnection) =>
    engine({ Runner: runner, totalsOf: totals, DEFAULT_BACKOFF: backoff, plannedStreams: planned }, urls, signal, oneConnection);
}

function engine(
  engineModules: { Runner: typeof Runner; totalsOf: typeof totalsOf; DEFAULT_BACKOFF: BackoffPolicy; plannedStreams: typeof plannedStreams },
  urls: string[],
  signal: AbortSignal,
  oneConnection: boolean,
): Counters {
  const { Runner, totalsOf, DEFAULT_BACKOFF, plannedStreams } = engineModules;
  const streams: Camera[] = urls.map((url, i) => ({ id: String(i), name: `bench ${i}`, streamUrl: url }));
  const network = { proxy: { http: null, https: null, noProxy: '', from: 'none' as const }, insecure: false, extraCa: [] };
  const runner = new Runner({
    streams: plannedStreams(streams, { headersFor: () => ({}), credentialsFor: () => undefined, network }),
    // Ended by the signal once the window is over: a run that stopped on its own inside the window would be
    // charged its teardown CPU with no bytes to show for it.
    durationMs: 24 * 3_600_000,
    rampUpMs: 0,
    stallTimeoutMs: 10_000,
    // One connection per stream: a reconnection would send frames the stop then cuts short.
    backoff: oneConnection ? { baseMs: 24 * 3_600_000, factor: 1, maxMs: 24 * 3_600_000 } : DEFAULT_BACKOFF,
    ...(oneConnection ? { random: () => 1 } : {}),
    intervalMs: 1_000,
    network,
    connectConcurrency: 100,
    systemIntervalMs: 2_000,
  });
  // Frames counted on each connection the server ended: how many connections counted each number.
  const ended: Record<string, number> = {};
  runner.on('outcome', (_, o) => {
    if (o.code === 'ENDED') ended[String(o.framesOnConnection)] = (ended[String(o.framesOnConnection)] ?? 0) + 1;
  });
  let outcome: Awaited<ReturnType<typeof runner.run>> | undefined;
  const done = runner.run(signal).then((o) => (outcome = o));
  const totals = () => (outcome ? totalsOf(outcome.streams, 0) : runner.live());
  return {
    bytes: () => totals()?.bytes ?? 0,
    frames: () => totals()?.frames ?? 0,
    open: () => totals()?.openStreams ?? 0,
    ended: () => ended,
    stop: async () => {
      await done;
    },
  };
}

async function startProfiler(): Promise<{ stop: (file: string) => Promise<void> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    stop: async (file) => {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

export async function consume(config: ConsumerConfig): Promise<ConsumerResult> {
  let gcCount = 0;
  let gcMs = 0;
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcCount++;
      gcMs += entry.duration;
    }
  });
  gc.observe({ entryTypes: ['gc'] });
  const loop = monitorEventLoopDelay({ resolution: 10 });
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  // Modules load before the baseline: RSS per stream is what each stream costs, not the code.
  const start = config.kind === 'raw' ? rawDrain : config.kind === 'engine' ? await loadEngine() : await loadMjpegConsumer();
  const baselineRssBytes = process.memoryUsage.rss();
  const counters = start(config.urls, controller.signal, config.awaitEndMs !== undefined);
  await sleep(config.warmUpMs);
  loop.enable();
  const profiler = config.profileDir === undefined ? undefined : await startProfiler();
  const gcBefore = { count: gcCount, ms: gcMs };
  const cpuBefore = process.cpuUsage();
  const bytesBefore = counters.bytes();
  const started = performance.now();
  let reported = started;
  const readings: MemoryReading[] = [];
  while (performance.now() - started < config.windowMs) {
    await sleep(Math.min(1_000, config.windowMs));
    if (config.reportEveryMs !== undefined && performance.now() - reported >= config.reportEveryMs) {
      reported = performance.now();
      const memory = process.memoryUsage();
      const reading = { minutes: (reported - started) / 60_000, rssBytes: memory.rss, heapUsedBytes: memory.heapUsed };
      readings.push(reading);
      process.stderr.write(`[soak ${reading.minutes.toFixed(1)} min] rss ${(memory.rss / 1e6).toFixed(1)} MB, heap ${(memory.heapUsed / 1e6).toFixed(1)} MB\n`);
    }
  }
  const cpu = process.cpuUsage(cpuBefore);
  if (profiler && config.profileDir !== undefined) await profiler.stop(join(config.profileDir, `${config.kind}-${Date.now()}.cpuprofile`));
  const windowSeconds = (performance.now() - started) / 1000;
  const bytes = counters.bytes() - bytesBefore;
  const memory = process.memoryUsage();
  loop.disable();
  // Every stream ends on its own after its known number of frames: wait for the last (bounded), then stop.
  if (config.awaitEndMs !== undefined) {
    const until = performance.now() + config.awaitEndMs;
    while (counters.open() > 0 && performance.now() < until) await sleep(100);
  }
  const openAtStop = counters.open();
  controller.abort();
  await counters.stop();
  gc.disconnect();
  return {
    kind: config.kind,
    streams: config.urls.length,
    windowSeconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    bytes,
    framesTotal: counters.frames(),
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    baselineRssBytes,
    heapUsedBytes: memory.heapUsed,
    externalBytes: memory.external,
    eventLoopP99Ms: loop.percentile(99) / 1e6,
    gcCount: gcCount - gcBefore.count,
    gcMs: gcMs - gcBefore.ms,
    ...(readings.length > 0 ? { memory: readings } : {}),
    openAtStop,
    ...(counters.ended ? { endedConnections: counters.ended() } : {}),
  };
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const config = JSON.parse(process.argv[2] ?? '{}') as ConsumerConfig;
  const result = await consume(config);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}
