// End-to-end cost of counting frames: a raw undici drain, camera-load's own engine, and the npm
// mjpeg-consumer, each in its own process, against the same simulated fleet (another process), alternating.
// Run: npm run bench -- e2e [--scenario NAME] [--streams N] [--seconds S] [--repeat R] [--soak 10m]
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { startFleetProcess } from '../src/sim/fleet-process.js';
import type { ConsumerConfig, ConsumerKind, ConsumerResult } from './consumer.js';

// Compiled with the rest of the benchmark (npm run bench): consumers run as plain Node, no loader in between.
const CONSUMER = fileURLToPath(new URL('./consumer.js', import.meta.url));
const KINDS: ConsumerKind[] = ['raw', 'engine', 'mjpeg-consumer'];

export interface Scenario {
  name: string;
  description: string;
  streams: number;
  fleetArgs: string[];
  seconds: number;
}

export const SCENARIOS: Scenario[] = [
  { name: 'streams-2000', description: '2,000 streams × 5 fps × 20 KB', streams: 2000, fleetArgs: ['--fps', '5', '--frame-size', '20KB'], seconds: 10 },
  { name: 'fixed-480', description: '8 streams × 100 KB at 600 fps (480 MB/s)', streams: 8, fleetArgs: ['--fps', '600', '--frame-size', '100KB'], seconds: 8 },
  { name: 'max-speed', description: '8 streams × 100 KB, maximum speed, with Content-Length', streams: 8, fleetArgs: ['--max-speed', '--frame-size', '100KB'], seconds: 8 },
  {
    name: 'max-speed-no-length',
    description: '8 streams × 100 KB, maximum speed, without Content-Length',
    streams: 8,
    fleetArgs: ['--max-speed', '--frame-size', '100KB', '--without-content-length'],
    seconds: 8,
  },
  {
    name: 'reconnect-500',
    description: '500 streams × 5 fps × 20 KB, 10% dropped every 50 frames',
    streams: 500,
    fleetArgs: ['--fps', '5', '--frame-size', '20KB', '--drop-every', '50@10%'],
    seconds: 10,
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

function runConsumer(config: ConsumerConfig): Promise<ConsumerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CONSUMER, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), config.warmUpMs + config.windowMs + 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || line === '') reject(new Error(`${config.kind} consumer exited with ${code}`));
      else resolve(JSON.parse(line) as ConsumerResult);
    });
  });
}

async function measure(scenario: Scenario, kind: ConsumerKind, seconds: number, reportEveryMs?: number): Promise<Row> {
  const fleet = await startFleetProcess(['--cameras', String(scenario.streams), '--inactive', '0', ...scenario.fleetArgs]);
  try {
    const urls = Array.from({ length: scenario.streams }, (_, i) => `http://127.0.0.1:${fleet.port}/fr/${101 + i}/stream`);
    const result = await runConsumer({ kind, urls, warmUpMs: 3_000, windowMs: seconds * 1000, ...(reportEveryMs ? { reportEveryMs } : {}) });
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

function formatTable(scenario: Scenario, rows: Row[]): string {
  const raw = rows.find((r) => r.kind === 'raw');
  const rawCost = raw ? raw.result.cpuSeconds / gb(raw.result.bytes) : NaN;
  const lines = [
    `${scenario.description} (${rows[0]?.result.windowSeconds.toFixed(1) ?? '?'} s window)`,
    '| consumer | MB/s | CPU-s per GB | × raw undici | frames counted / sent | fleet skipped (slow reader) | RSS per stream | event-loop p99 | GC (count, ms) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const row of rows) {
    const r = row.result;
    const cost = r.cpuSeconds / gb(r.bytes);
    const counted = row.kind === 'raw' ? '—' : (r.framesTotal / row.framesSent).toFixed(4);
    lines.push(
      `| ${row.kind === 'engine' ? 'camera-load engine' : row.kind === 'raw' ? 'raw undici drain' : 'npm mjpeg-consumer'} | ` +
        `${(r.bytes / r.windowSeconds / 1e6).toFixed(1)} | ${cost.toFixed(2)} | ${raw ? `${(cost / rawCost).toFixed(2)}×` : '—'} | ${counted} | ${row.framesDropped} | ` +
        `${((r.peakRssBytes - r.baselineRssBytes) / r.streams / 1024).toFixed(0)} KB | ${r.eventLoopP99Ms.toFixed(1)} ms | ${r.gcCount}, ${r.gcMs.toFixed(0)} |`,
    );
  }
  const engine = rows.find((r) => r.kind === 'engine');
  if (engine) {
    const missing = engine.framesSent - engine.result.framesTotal;
    lines.push('', `camera-load counted ${engine.result.framesTotal} of ${engine.framesSent} frames sent (${missing} in flight over ${engine.connections} connections).`);
  }
  return lines.join('\n');
}

export interface E2eOptions {
  scenario?: string;
  streams?: number;
  seconds?: number;
  repeat: number;
}

export async function runEndToEnd(options: E2eOptions): Promise<string> {
  const chosen = SCENARIOS.filter((s) => options.scenario === undefined || s.name === options.scenario);
  if (chosen.length === 0) throw new Error(`unknown scenario ${options.scenario ?? ''}; choose from ${SCENARIOS.map((s) => s.name).join(', ')}`);
  const out: string[] = [];
  for (const base of chosen) {
    const scenario = { ...base, streams: options.streams ?? base.streams };
    const seconds = options.seconds ?? scenario.seconds;
    for (let round = 1; round <= options.repeat; round++) {
      const rows: Row[] = [];
      // Alternating, same streams and duration for each consumer.
      for (const kind of KINDS) rows.push(await measure(scenario, kind, seconds));
      const table = formatTable(scenario, rows);
      process.stderr.write(`${table}\n\n`);
      out.push(options.repeat > 1 ? `round ${round}: ${table}` : table);
    }
  }
  return out.join('\n\n');
}

/** Soak: the engine on 500 streams for `minutes`, RSS and heap each minute (printed by the consumer). */
export async function runSoak(minutes: number): Promise<string> {
  const scenario = { ...(SCENARIOS.find((s) => s.name === 'reconnect-500') as Scenario) };
  const row = await measure(scenario, 'engine', minutes * 60, 60_000);
  return formatTable({ ...scenario, description: `soak: ${scenario.description}, ${minutes} min` }, [row]);
}
