// End-to-end cost of counting frames: a raw undici drain, camera-load's own engine, and the npm
// mjpeg-consumer, each in its own process, against the same simulated fleet (another process), alternating.
// Run: npm run bench -- e2e [--scenario NAME] [--streams N] [--seconds S] [--repeat R] [--soak 10m]
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { GC_FLAGS } from '../src/launcher/gc-tuning.js';
import { startFleetProcess } from '../src/sim/fleet-process.js';
import type { ConsumerConfig, ConsumerKind, ConsumerResult } from './consumer.js';

// Compiled with the rest of the benchmark (npm run bench): consumers run as plain Node, no loader in between.
const CONSUMER = fileURLToPath(new URL('./consumer.js', import.meta.url));
export const KINDS: ConsumerKind[] = ['raw', 'engine', 'mjpeg-consumer'];

interface Targets {
  /** Engine CPU per GB over the raw drain's. */
  maxRatio?: number;
  maxRssPerStreamKb?: number;
  maxEventLoopP99Ms?: number;
  /**
   * Frames counted equal frames sent, frame for frame: the server ends every stream after a known number of
   * frames (after the window), the consumer waits for every stream to end and holds each to one connection.
   */
  exactFrames?: boolean;
  /** Every connection the server ended (after this many frames) counted exactly that many. */
  framesPerEndedConnection?: number;
  /** mjpeg-consumer's CPU per GB over the engine's. */
  timesCheaperThanPeer?: number;
}

export interface Scenario {
  name: string;
  description: string;
  streams: number;
  fleetArgs: string[];
  seconds: number;
  targets: Targets;
  /** Frames per second per stream, where paced: with exactFrames, the streams end after fps × (warm-up + window + 2 s). */
  fps?: number;
}

const WARM_UP_MS = 3_000;
/** With exactFrames: streams end this long after the window; the consumer waits at most AWAIT_END_MS for the last. */
const END_AFTER_WINDOW_MS = 2_000;
const AWAIT_END_MS = 30_000;

export const SCENARIOS: Scenario[] = [
  {
    name: 'streams-2000',
    description: '2,000 streams × 5 fps × 20 KB',
    streams: 2000,
    fleetArgs: ['--fps', '5', '--frame-size', '20KB'],
    seconds: 10,
    fps: 5,
    targets: { maxRatio: 1.2, exactFrames: true, maxRssPerStreamKb: 50, maxEventLoopP99Ms: 50, timesCheaperThanPeer: 2.5 },
  },
  {
    name: 'fixed-480',
    description: '8 streams × 100 KB at 600 fps (480 MB/s)',
    streams: 8,
    fleetArgs: ['--fps', '600', '--frame-size', '100KB'],
    seconds: 8,
    targets: { maxRatio: 1.2 },
  },
  {
    name: 'max-speed',
    description: '8 streams × 100 KB, maximum speed, with Content-Length',
    streams: 8,
    fleetArgs: ['--max-speed', '--frame-size', '100KB'],
    seconds: 8,
    targets: { maxRatio: 1.2 },
  },
  {
    name: 'max-speed-no-length',
    description: '8 streams × 100 KB, maximum speed, without Content-Length',
    streams: 8,
    fleetArgs: ['--max-speed', '--frame-size', '100KB', '--without-content-length'],
    seconds: 8,
    targets: { maxRatio: 1.5 },
  },
  {
    name: 'reconnect-500',
    description: '500 streams × 5 fps × 20 KB, 10% dropped every 50 frames',
    streams: 500,
    fleetArgs: ['--fps', '5', '--frame-size', '20KB', '--drop-every', '50@10%'],
    seconds: 10,
    targets: { framesPerEndedConnection: 50 },
  },
];

interface Row {
  kind: ConsumerKind;
  result: ConsumerResult;
  framesSent: number;
  /** Frames the fleet skipped because this consumer was not reading fast enough. */
  framesDropped: number;
  connections: number;
}

function runConsumer(config: ConsumerConfig, nodeFlags: readonly string[]): Promise<ConsumerResult> {
  return new Promise((resolve, reject) => {
    // The engine runs with the flags `run` and `max` relaunch Node with; --node-flags come after, to override them.
    const flags = config.kind === 'engine' ? [...GC_FLAGS, ...nodeFlags] : nodeFlags;
    const child = spawn(process.execPath, [...flags, CONSUMER, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), config.warmUpMs + config.windowMs + (config.awaitEndMs ?? 0) + 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || line === '') reject(new Error(`${config.kind} consumer exited with ${code}`));
      else resolve(JSON.parse(line) as ConsumerResult);
    });
  });
}

async function measure(
  scenario: Scenario,
  kind: ConsumerKind,
  seconds: number,
  nodeFlags: readonly string[],
  extra: Pick<ConsumerConfig, 'reportEveryMs' | 'profileDir'> = {},
): Promise<Row> {
  // Exact: every stream ends after a known number of frames, once the window is over (the server closes it once
  // the last part has reached the socket; the parser counts a last part that arrived whole).
  const exact = scenario.targets.exactFrames === true && scenario.fps !== undefined && extra.reportEveryMs === undefined;
  const endAfter = exact ? ['--drop-every', String(Math.ceil(((scenario.fps ?? 0) * (WARM_UP_MS + seconds * 1000 + END_AFTER_WINDOW_MS)) / 1000))] : [];
  const fleet = await startFleetProcess(['--cameras', String(scenario.streams), '--inactive', '0', ...scenario.fleetArgs, ...endAfter]);
  try {
    const urls = Array.from({ length: scenario.streams }, (_, i) => `http://127.0.0.1:${fleet.port}/fr/${101 + i}/stream`);
    const result = await runConsumer(
      { kind, urls, warmUpMs: WARM_UP_MS, windowMs: seconds * 1000, ...(exact ? { awaitEndMs: AWAIT_END_MS } : {}), ...extra },
      nodeFlags,
    );
    // Let the fleet see every close before reading its counters.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stats = (await (await request(fleet.statsUrl)).body.json()) as {
      totals: { framesSent: number; framesDropped: number; connections: number };
    };
    return { kind, result, framesSent: stats.totals.framesSent, framesDropped: stats.totals.framesDropped, connections: stats.totals.connections };
  } finally {
    await fleet.stop();
  }
}

const gb = (bytes: number): number => bytes / 1e9;
const LABELS: Record<ConsumerKind, string> = { raw: 'raw undici drain', engine: 'camera-load engine', 'mjpeg-consumer': 'npm mjpeg-consumer' };

/** One consumer's figures, from one round or as the medians of several. */
interface Figures {
  kind: ConsumerKind;
  mbPerSecond: number;
  cpuPerGb: number;
  /** CPU per GB over the raw drain's in the same round; NaN without a raw row. */
  ratio: number;
  counted: number;
  framesMissing: number;
  connections: number;
  skipped: number;
  rssPerStreamKb: number;
  heapMb: number;
  externalMb: number;
  eventLoopP99Ms: number;
  gcCount: number;
  gcMs: number;
  /** Streams still open when the consumer stopped. */
  openAtStop: number;
  /** Connections the server ended, and those of them that counted other than framesPerEndedConnection. */
  endedConnections: number;
  endedMiscounted: number;
}

function figuresOf(rows: Row[], framesPerEnded?: number): Figures[] {
  const raw = rows.find((r) => r.kind === 'raw');
  const rawCost = raw ? raw.result.cpuSeconds / gb(raw.result.bytes) : NaN;
  return rows.map(({ kind, result: r, framesSent, framesDropped, connections }) => {
    const cpuPerGb = r.cpuSeconds / gb(r.bytes);
    return {
      kind,
      mbPerSecond: r.bytes / r.windowSeconds / 1e6,
      cpuPerGb,
      ratio: cpuPerGb / rawCost,
      counted: kind === 'raw' ? NaN : r.framesTotal / framesSent,
      framesMissing: kind === 'raw' ? NaN : framesSent - r.framesTotal,
      connections,
      skipped: framesDropped,
      rssPerStreamKb: (r.peakRssBytes - r.baselineRssBytes) / r.streams / 1024,
      heapMb: r.heapUsedBytes / 1e6,
      externalMb: r.externalBytes / 1e6,
      eventLoopP99Ms: r.eventLoopP99Ms,
      gcCount: r.gcCount,
      gcMs: r.gcMs,
      openAtStop: r.openAtStop,
      endedConnections: Object.values(r.endedConnections ?? {}).reduce((a, b) => a + b, 0),
      endedMiscounted: Object.entries(r.endedConnections ?? {}).reduce((n, [frames, count]) => (Number(frames) === framesPerEnded ? n : n + count), 0),
    };
  });
}

const median = (values: number[]): number => {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
};

/** Each field's median over the rounds, except the frame figures, which take the worst round. */
function medians(rounds: Figures[][]): Figures[] {
  const kinds = rounds[0]?.map((f) => f.kind) ?? [];
  return kinds.map((kind) => {
    const all = rounds.map((round) => round.find((f) => f.kind === kind)).filter((f): f is Figures => f !== undefined);
    const med = (pick: (f: Figures) => number): number => median(all.map(pick));
    const worst = all.reduce((a, b) => (b.framesMissing > a.framesMissing ? b : a));
    return {
      kind,
      mbPerSecond: med((f) => f.mbPerSecond),
      cpuPerGb: med((f) => f.cpuPerGb),
      ratio: med((f) => f.ratio),
      counted: worst.counted,
      framesMissing: worst.framesMissing,
      connections: worst.connections,
      skipped: med((f) => f.skipped),
      rssPerStreamKb: med((f) => f.rssPerStreamKb),
      heapMb: med((f) => f.heapMb),
      externalMb: med((f) => f.externalMb),
      eventLoopP99Ms: med((f) => f.eventLoopP99Ms),
      gcCount: med((f) => f.gcCount),
      gcMs: med((f) => f.gcMs),
      openAtStop: Math.max(...all.map((f) => f.openAtStop)),
      endedConnections: med((f) => f.endedConnections),
      endedMiscounted: Math.max(...all.map((f) => f.endedMiscounted)),
    };
  });
}

function formatTable(title: string, figures: Figures[], targets: Targets = {}): string {
  const lines = [
    `**${title}**`,
    '',
    '| consumer | MB/s | CPU-s per GB | × raw undici | frames counted / sent | fleet skipped (slow reader) | RSS per stream | heap, external (MB) | event-loop p99 | GC (count, ms) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const f of figures) {
    lines.push(
      `| ${LABELS[f.kind]} | ${f.mbPerSecond.toFixed(1)} | ${f.cpuPerGb.toFixed(2)} | ${Number.isNaN(f.ratio) ? '—' : `${f.ratio.toFixed(2)}×`} | ` +
        `${Number.isNaN(f.counted) ? '—' : f.counted.toFixed(4)} | ${f.skipped.toFixed(0)} | ${f.rssPerStreamKb.toFixed(0)} KB | ` +
        `${f.heapMb.toFixed(0)}, ${f.externalMb.toFixed(0)} | ${f.eventLoopP99Ms.toFixed(1)} ms | ${f.gcCount.toFixed(0)}, ${f.gcMs.toFixed(0)} |`,
    );
  }
  const engine = figures.find((f) => f.kind === 'engine');
  if (engine && !Number.isNaN(engine.framesMissing)) {
    lines.push(
      '',
      targets.exactFrames
        ? `camera-load: ${engine.framesMissing} frames sent but not counted, over ${engine.connections} connections, each ended by the server after its last frame (${engine.openAtStop} still open at the stop).`
        : `camera-load: ${engine.framesMissing} frames sent but not counted, over ${engine.connections} connections (in flight when the stop closed them).`,
    );
  }
  if (engine && targets.framesPerEndedConnection !== undefined) {
    lines.push(
      '',
      `camera-load: ${engine.endedConnections} connections ended by the server after ${targets.framesPerEndedConnection} frames; ${engine.endedMiscounted} counted otherwise.`,
    );
  }
  return lines.join('\n');
}

/** The issue's targets, checked against the medians: one line each, ✓ or ✗. */
function checkTargets(scenario: Scenario, figures: Figures[]): string[] {
  const engine = figures.find((f) => f.kind === 'engine');
  const peer = figures.find((f) => f.kind === 'mjpeg-consumer');
  const t = scenario.targets;
  if (!engine) return [];
  const lines: string[] = [];
  const check = (ok: boolean, text: string): void => {
    lines.push(`- ${ok ? '✓' : '✗'} ${text}`);
  };
  if (t.maxRatio !== undefined && !Number.isNaN(engine.ratio))
    check(engine.ratio <= t.maxRatio, `CPU per GB ${engine.ratio.toFixed(2)}× raw undici (target ≤ ${t.maxRatio}×)`);
  if (t.exactFrames) {
    check(
      engine.framesMissing === 0 && engine.openAtStop === 0 && engine.connections === scenario.streams,
      `frames counted = frames sent, frame for frame: ${engine.framesMissing} missing over ${engine.connections} connections, ${engine.openAtStop} open at the stop (target 0 missing, one connection per stream, each ended by the server)`,
    );
  }
  if (t.framesPerEndedConnection !== undefined) {
    check(
      engine.endedMiscounted === 0 && engine.endedConnections > 0,
      `every connection the server ended counted its ${t.framesPerEndedConnection} frames: ${engine.endedMiscounted} of ${engine.endedConnections} did not (target 0)`,
    );
  }
  if (t.maxRssPerStreamKb !== undefined)
    check(engine.rssPerStreamKb <= t.maxRssPerStreamKb, `RSS per stream ${engine.rssPerStreamKb.toFixed(0)} KB (target ≤ ${t.maxRssPerStreamKb} KB)`);
  if (t.maxEventLoopP99Ms !== undefined)
    check(engine.eventLoopP99Ms < t.maxEventLoopP99Ms, `event-loop delay p99 ${engine.eventLoopP99Ms.toFixed(1)} ms (target < ${t.maxEventLoopP99Ms} ms)`);
  if (t.timesCheaperThanPeer !== undefined && peer) {
    const times = peer.cpuPerGb / engine.cpuPerGb;
    check(times >= t.timesCheaperThanPeer, `${times.toFixed(2)}× less CPU per GB than mjpeg-consumer (target ≥ ${t.timesCheaperThanPeer}×)`);
  }
  return lines;
}

export interface E2eOptions {
  scenario?: string;
  streams?: number;
  seconds?: number;
  repeat: number;
  kinds?: ConsumerKind[];
  /** Given to every consumer process: for A/B runs of V8 flags. */
  nodeFlags?: string[];
  /** CPU profiles of each consumer's measured window go here. */
  profileDir?: string;
}

export async function runEndToEnd(options: E2eOptions): Promise<string> {
  const chosen = SCENARIOS.filter((s) => options.scenario === undefined || s.name === options.scenario);
  if (chosen.length === 0) throw new Error(`unknown scenario ${options.scenario ?? ''}; choose from ${SCENARIOS.map((s) => s.name).join(', ')}`);
  const kinds = options.kinds ?? KINDS;
  const nodeFlags = options.nodeFlags ?? [];
  const out: string[] = [];
  for (const base of chosen) {
    const scenario = { ...base, streams: options.streams ?? base.streams };
    const seconds = options.seconds ?? scenario.seconds;
    const rounds: Figures[][] = [];
    for (let round = 1; round <= options.repeat; round++) {
      const rows: Row[] = [];
      // Alternating, same streams and duration for each consumer.
      for (const kind of kinds)
        rows.push(await measure(scenario, kind, seconds, nodeFlags, options.profileDir === undefined ? {} : { profileDir: options.profileDir }));
      rounds.push(figuresOf(rows, scenario.targets.framesPerEndedConnection));
      const title = `${scenario.description}, round ${round} of ${options.repeat} (${rows[0]?.result.windowSeconds.toFixed(1) ?? '?'} s window)`;
      process.stderr.write(`${formatTable(title, figuresOf(rows, scenario.targets.framesPerEndedConnection), scenario.targets)}\n\n`);
    }
    const title =
      options.repeat > 1 ? `${scenario.description}: medians of ${options.repeat} rounds of ${seconds} s` : `${scenario.description} (${seconds} s window)`;
    const figures = medians(rounds);
    out.push([formatTable(title, figures, scenario.targets), '', ...checkTargets(scenario, figures)].join('\n'));
  }
  return out.join('\n\n');
}

/**
 * Soak: the engine on 500 streams (10% reconnecting) for `minutes`, RSS and heap each minute. Memory must be
 * flat after warm-up: RSS may grow by under 5% from minute 2 to the end.
 */
export async function runSoak(minutes: number): Promise<string> {
  const scenario = { ...(SCENARIOS.find((s) => s.name === 'reconnect-500') as Scenario) };
  const row = await measure(scenario, 'engine', minutes * 60, [], { reportEveryMs: 60_000 });
  const readings = row.result.memory ?? [];
  const lines = [
    formatTable(`soak: ${scenario.description}, ${minutes} min`, figuresOf([row])),
    '',
    '| minute | RSS (MB) | heap used (MB) |',
    '|---:|---:|---:|',
    ...readings.map((r) => `| ${r.minutes.toFixed(1)} | ${(r.rssBytes / 1e6).toFixed(1)} | ${(r.heapUsedBytes / 1e6).toFixed(1)} |`),
  ];
  const fromMinute2 = readings.find((r) => r.minutes >= 1.95);
  const last = readings.at(-1);
  if (fromMinute2 && last && last !== fromMinute2) {
    const growth = last.rssBytes / fromMinute2.rssBytes - 1;
    lines.push('', `- ${growth < 0.05 ? '✓' : '✗'} RSS growth from minute 2 to the end ${(growth * 100).toFixed(1)}% (target < 5%)`);
  } else {
    lines.push('', 'RSS growth: the soak needs at least 3 minutes to compare minute 2 with the end.');
  }
  return lines.join('\n');
}
