// One run of `camera-load run`'s engine in this process, phase by phase, with the CPU (process.cpuUsage) and the
// bytes of each: start-up (Node and the run command's modules), connecting (until every stream has its first
// frame), streaming, teardown (the stop), the report (built, then as JSON), and the system sampler on its own.
// Started by bench/process.ts with the flags `run` relaunches Node with; prints one JSON line.
// Usage: node dist-bench/bench/phases.js '{"port":PORT,"streams":2000,"seconds":3,"connectConcurrency":100}'
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** The simulated fleet's stream URLs: cameras 101, 102, … */
export const streamUrls = (port: number, streams: number): string[] =>
  Array.from({ length: streams }, (_, i) => `http://127.0.0.1:${port}/fr/${101 + i}/stream`);

export interface PhasesConfig {
  /** The simulated fleet's port. */
  port: number;
  streams: number;
  /** From the start of the run to the stop, as --duration. */
  seconds: number;
  connectConcurrency: number;
  /** Measure the system sampler on its own for this many samples (0: not at all). */
  samplerSamples?: number;
  /** Write a CPU profile (or, ending in .heapprofile, an allocation profile) of one phase alone here. */
  profile?: string;
  /** The phase profiled: connecting (from the run's start to the last first frame; the default) or teardown (the stop). */
  profilePhase?: 'connecting' | 'teardown';
}

export interface Phase {
  cpuSeconds: number;
  bytes: number;
  wallSeconds: number;
}

export interface PhasesResult {
  streams: number;
  startUp: Phase;
  connecting: Phase;
  streaming: Phase;
  teardown: Phase;
  reportBuild: Phase;
  reportJson: Phase;
  /** CPU of one system sample (the sampler runs one every 2 s). */
  samplerCpuSecondsPerSample: number;
  /** Every stream's first frame, from the start of the run (ms): nearest-rank percentiles. */
  firstFrameMs: { p50: number; p95: number; max: number; missing: number };
  framesCounted: number;
  peakRssBytes: number;
}

const cpuNow = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

function rank(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

/**
 * The V8 profiler of this process, started now: CPU (100 µs samples), or for a path ending in .heapprofile the
 * sampling heap profiler, every allocation (collected or not).
 */
async function startProfiler(path: string): Promise<{ stop: () => Promise<unknown> }> {
  const session = new Session();
  session.connect();
  if (path.endsWith('.heapprofile')) {
    await session.post('HeapProfiler.enable');
    await session.post('HeapProfiler.startSampling', {
      samplingInterval: 4096,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
    return {
      stop: async () => {
        const { profile } = await session.post('HeapProfiler.stopSampling');
        session.disconnect();
        return profile;
      },
    };
  }
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  return {
    stop: async () => {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      return profile;
    },
  };
}

export async function runPhases(config: PhasesConfig): Promise<PhasesResult> {
  // Start-up: what `run` loads (its command module pulls in the engine, the outputs and the report).
  await import('../src/commands/run.js');
  const [{ Runner, totalsOf }, { plannedStreams }, { DEFAULT_BACKOFF }, { buildReport }, { SystemSampler }, { collectEveryMinute }] = await Promise.all([
    import('../src/run/runner.js'),
    import('../src/run/run-plan.js'),
    import('../src/connection/backoff.js'),
    import('../src/report/build-report.js'),
    import('../src/system/sampler.js'),
    import('../src/launcher/gc-tuning.js'),
  ]);
  collectEveryMinute();
  const startUpCpu = cpuNow();
  const startUp: Phase = { cpuSeconds: startUpCpu, bytes: 0, wallSeconds: performance.now() / 1000 };

  const urls = streamUrls(config.port, config.streams);
  const network = { proxy: { http: null, https: null, noProxy: '', from: 'none' as const }, insecure: false, extraCa: [] };
  const runner = new Runner({
    streams: plannedStreams(
      urls.map((url, i) => ({ id: String(i), name: `bench ${i}`, streamUrl: url })),
      { headersFor: () => ({}), credentialsFor: () => undefined, network },
    ),
    // Stopped by the signal below, so that the stop is timed on its own.
    durationMs: 24 * 3_600_000,
    rampUpMs: 0,
    stallTimeoutMs: 10_000,
    backoff: DEFAULT_BACKOFF,
    intervalMs: 1_000,
    network,
    connectConcurrency: config.connectConcurrency,
    systemIntervalMs: 2_000,
  });
  const controller = new AbortController();
  const bytesNow = (): number => runner.live()?.bytes ?? 0;
  const mark = (): { cpu: number; bytes: number; at: number } => ({ cpu: cpuNow(), bytes: bytesNow(), at: performance.now() });
  const phase = (from: { cpu: number; bytes: number; at: number }, to: { cpu: number; bytes: number; at: number }): Phase => ({
    cpuSeconds: to.cpu - from.cpu,
    bytes: to.bytes - from.bytes,
    wallSeconds: (to.at - from.at) / 1000,
  });

  const profilePhase = config.profilePhase ?? 'connecting';
  let profiler = config.profile === undefined || profilePhase !== 'connecting' ? undefined : await startProfiler(config.profile);
  const started = mark();
  const running = runner.run(controller.signal);
  const endAt = started.at + config.seconds * 1000;
  // Every 20 ms until every stream has a frame, or the run's time is up (bounded either way).
  let connected = started;
  while (performance.now() < endAt) {
    await sleep(20);
    const streams = runner.snapshot(false).streams;
    if (streams.length > 0 && streams.every((s) => s.firstFrameAt !== undefined)) {
      connected = mark();
      break;
    }
  }
  if (connected === started) connected = mark();
  if (profiler && config.profile !== undefined) writeFileSync(config.profile, JSON.stringify(await profiler.stop()));
  await sleep(Math.max(0, endAt - performance.now()));
  if (config.profile !== undefined && profilePhase === 'teardown') profiler = await startProfiler(config.profile);
  const stopping = mark();
  controller.abort(new Error('duration reached'));
  const outcome = await running;
  const stopped = { cpu: cpuNow(), bytes: totalsOf(outcome.streams, 0).bytes, at: performance.now() };
  if (profiler && config.profile !== undefined && profilePhase === 'teardown') writeFileSync(config.profile, JSON.stringify(await profiler.stop()));

  const reportStart = mark();
  const report = buildReport({
    version: 'bench',
    config: {},
    cameras: { listed: urls.length, active: urls.length, skipped: 0 },
    streamsRequested: urls.length,
    streamsPerCamera: 1,
    targetDurationMs: config.seconds * 1000,
    outcome,
  });
  const built = mark();
  const json = JSON.stringify(report, null, 2);
  const serialised = mark();

  // The sampler alone, sampling as fast as it can be asked to (100 ms), against this process at rest.
  let samplerCpuSecondsPerSample = NaN;
  const samples = config.samplerSamples ?? 0;
  if (samples > 0) {
    const idleFrom = cpuNow();
    await sleep(samples * 100);
    const idle = cpuNow() - idleFrom;
    const clockStart = performance.now();
    const sampler = new SystemSampler(() => performance.now() - clockStart, 100);
    const from = cpuNow();
    sampler.start();
    for (let i = 0; i < samples * 4 && sampler.samples.length < samples; i++) await sleep(100);
    const taken = sampler.samples.length;
    await sampler.stop();
    samplerCpuSecondsPerSample = taken > 0 ? Math.max(0, cpuNow() - from - idle) / taken : NaN;
  }

  const firstFrames = outcome.streams
    .map((s) => s.firstFrameAt)
    .filter((t): t is number => t !== undefined)
    .sort((a, b) => a - b);
  return {
    streams: urls.length,
    startUp,
    connecting: phase(started, connected),
    streaming: phase(connected, stopping),
    teardown: phase(stopping, stopped),
    reportBuild: phase(reportStart, built),
    reportJson: { ...phase(built, serialised), bytes: json.length },
    samplerCpuSecondsPerSample,
    firstFrameMs: { p50: rank(firstFrames, 50), p95: rank(firstFrames, 95), max: firstFrames.at(-1) ?? NaN, missing: urls.length - firstFrames.length },
    framesCounted: totalsOf(outcome.streams, 0).frames,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const result = await runPhases(JSON.parse(process.argv[2] ?? '{}') as PhasesConfig);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}
