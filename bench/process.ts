// What a whole run costs, from start to exit, against a bare undici client as one writes it, in two scenarios: 2,000
// streams × 5 fps × 20 KB for 25 s and 10,000 × 1 fps × 20 KB for 20 s, each from bench/lean-server.ts in its own
// process. `camera-load run` is started as a user starts it (the launcher and the process it relaunches with the V8
// flags, --cameras-file, quiet, a report file); bench/raw-client.ts as a bare `node raw-client.js PORT STREAMS
// SECONDS`, and with camera-load's GC_FLAGS for information. Alternating order, every round printed, the issue's
// targets (issue 32) as checks on the medians of the rounds' pair ratios; timed from outside by /usr/bin/time (CPU
// user+sys of the process and everything it waited for; peak RSS of the largest of them). Then the fixed cost of a
// run (2,000 streams for 3 s, less its streaming) beside the bare client's, its parts, and --version/--help.
// Run: npm run bench -- process [--scenario 2000|10000] [--seconds S] [--repeat R] [--no-flagged-baseline]
//      [--compare OTHER/bin/camera-load.js]
//      npm run bench -- connect [--streams N] [--concurrency 100,500,...] [--repeat R]: camera-load's engine against a bare
//      undici client on bench/lean-server.ts, first complete frames at 2,000 × 5 fps and 10,000 × 1 fps
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GC_FLAGS } from '../src/launcher/gc-tuning.js';
import { DEFAULTS } from '../src/options/defaults.js';
import { CLI, phases, PHASES, RAW } from './process-clients.js';
import { formatFixed } from './process-fixed.js';
import { formatScenario } from './process-format.js';
import { runScenario, SCENARIOS } from './process-rounds.js';
import { check, loadAverage, median, spread, TIME, timed, withLeanServer, type Timed } from './timing.js';

export interface ProcessOptions {
  /** One scenario only, by its streams: 2000 or 10000 (default: both). */
  scenario?: number;
  /** The long runs' length instead of each scenario's (25 s, 20 s). */
  seconds?: number;
  repeat?: number;
  /** The bare client started with GC_FLAGS too, a second baseline for information (default: on). */
  flagged?: boolean;
  /** Another checkout's bin/camera-load.js (built), run beside this one in every round: before/after figures. */
  compare?: string;
}

export async function runProcessBench(options: ProcessOptions): Promise<string> {
  if (!existsSync(TIME)) return `${TIME} is not installed: the whole-process bench times processes with it (apt-get install time).`;
  const scenarios = SCENARIOS.filter((s) => options.scenario === undefined || s.streams === options.scenario);
  if (scenarios.length === 0) throw new Error(`process: --scenario takes ${SCENARIOS.map((s) => s.streams).join(' or ')}`);
  const repeat = options.repeat ?? 3;
  if (!(repeat >= 1)) throw new Error('process: --repeat takes a whole number of rounds, at least 1');
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'bench-process-'));
  const out: string[] = [];
  try {
    for (const scenario of scenarios) {
      const result = await runScenario(
        scenario,
        {
          repeat,
          flagged: options.flagged ?? true,
          ...(options.seconds === undefined ? {} : { seconds: options.seconds }),
          ...(options.compare === undefined ? {} : { compare: options.compare }),
        },
        dir,
      );
      out.push(formatScenario(result), '');
      if (scenario.fixedCost) out.push(formatFixed(result), '');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  out.push(
    await infoCommands(repeat),
    '',
    `The bench took ${((performance.now() - started) / 60_000).toFixed(1)} min; load average at the end: ${loadAverage()}.`,
  );
  return out.join('\n');
}

/** `--version` and `--help` as a user starts them, `n` runs each. */
async function infoCommands(n: number): Promise<string> {
  const lines = ['| command | CPU-s (user+sys) | peak RSS (MB) |', '|---|---:|---:|'];
  const checks: string[] = [];
  for (const arg of ['--version', '--help']) {
    const runs: Timed[] = [];
    for (let i = 0; i < Math.max(3, n); i++) runs.push(await timed([process.execPath, CLI, arg], 30_000));
    const cpu = median(runs.map((r) => r.cpuSeconds));
    const rss = median(runs.map((r) => r.peakRssBytes / 1e6));
    lines.push(`| camera-load ${arg} | ${cpu.toFixed(2)}${spread(runs.map((r) => r.cpuSeconds))} | ${rss.toFixed(0)} |`);
    checks.push(check(cpu < 0.15 && rss < 60, `${arg}: ${cpu.toFixed(2)} CPU-s, ${rss.toFixed(0)} MB (targets < 0.15 CPU-s, < 60 MB)`));
  }
  return ['**Start-up: --version and --help**', '', ...lines, '', ...checks].join('\n');
}

const CONNECT_SECONDS = 8;

interface FirstFrames {
  p50: number;
  p95: number;
  max: number;
  missing: number;
}

interface RawConnect {
  firstByteMs: FirstFrames;
  firstFrameMs: FirstFrames;
  /** CPU from the process's start until every stream had its first frame (NaN: not all had). */
  allCpuSeconds: number;
  peakRssBytes: number;
}

export interface ConnectOptions {
  /** One scale only: this many streams (at 1 fps from 10,000 streams, else 5 fps). */
  streams?: number;
  /** --connect-concurrency levels of the engine, each beside the raw client in every round (default: the default). */
  concurrency?: number[];
  repeat?: number;
  /** Another checkout's bin/camera-load.js, built with its benches (dist-bench): its engine too, at its own default. */
  compare?: string;
}

interface ConnectRun {
  label: string;
  firstFrameMs: FirstFrames;
  /** Client CPU until every stream had its first frame (the engine: the connecting phase). */
  cpuSeconds: number;
  serverCpuSeconds: number;
  /** Engine only: frames counted, and frames the server sent meanwhile. */
  frames?: { counted: number; sent: number };
}

/**
 * Time to first complete frame, camera-load's engine (bench/phases.ts) against a bare undici client (one request()
 * per stream, all at once), on the same lean server (bench/lean-server.ts) in the same rounds, alternating: 2,000
 * streams × 5 fps and 10,000 × 1 fps, 20 KB frames; both timed from the run's start (time zero) to each stream's
 * first complete frame. With --concurrency, one engine row per --connect-concurrency level.
 */
export async function runConnectBench(options: ConnectOptions): Promise<string> {
  const scales =
    options.streams === undefined
      ? [
          { streams: 2000, fps: 5 },
          { streams: 10_000, fps: 1 },
        ]
      : [{ streams: options.streams, fps: options.streams >= 10_000 ? 1 : 5 }];
  const levels = options.concurrency ?? [Number(DEFAULTS.connectConcurrency)];
  const repeat = options.repeat ?? 3;
  const compareRoot = options.compare === undefined ? undefined : dirname(dirname(options.compare));
  const compare =
    compareRoot === undefined
      ? undefined
      : {
          phases: join(compareRoot, 'dist-bench', 'bench', 'phases.js'),
          level: Number(
            ((await import(pathToFileURL(join(compareRoot, 'dist', 'options', 'defaults.js')).href)) as { DEFAULTS: { connectConcurrency: string } }).DEFAULTS
              .connectConcurrency,
          ),
        };
  const out: string[] = [];
  for (const { streams, fps } of scales) {
    const runs = new Map<string, ConnectRun[]>();
    const rawRuns: ConnectRun[] = [];
    await withLeanServer(fps, async (server) => {
      const rawRun = async (): Promise<ConnectRun> => {
        const cpuFrom = server.cpuSeconds();
        const run = await timed(
          [process.execPath, ...GC_FLAGS, RAW, String(server.port), String(streams), String(CONNECT_SECONDS)],
          (CONNECT_SECONDS + 60) * 1000,
        );
        const result = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as RawConnect;
        return { label: 'raw', firstFrameMs: result.firstFrameMs, cpuSeconds: result.allCpuSeconds, serverCpuSeconds: server.cpuSeconds() - cpuFrom };
      };
      const engineRun = async (level: number, script = PHASES): Promise<ConnectRun> => {
        const cpuFrom = server.cpuSeconds();
        const sentFrom = await server.framesSent();
        const result = await phases(server.port, streams, CONNECT_SECONDS, level, 0, script);
        const sent = (await server.framesSent()) - sentFrom;
        return {
          label: String(level),
          firstFrameMs: result.firstFrameMs,
          cpuSeconds: result.connecting.cpuSeconds,
          serverCpuSeconds: server.cpuSeconds() - cpuFrom,
          frames: { counted: result.framesCounted, sent },
        };
      };
      // A warm-up, not counted: the server's first thousands of connections run its code cold.
      await timed([process.execPath, RAW, String(server.port), String(Math.min(streams, 2000)), '1'], 60_000);
      const kinds = ['raw', ...levels.map(String), ...(compare ? ['compare'] : [])];
      for (let round = 0; round < repeat; round++) {
        // A different kind first in each round, so that a drift of the machine's load falls on all of them.
        const order = kinds.map((_, i) => kinds[(i + round) % kinds.length] ?? 'raw');
        for (const kind of order) {
          const run =
            kind === 'raw' ? await rawRun() : kind === 'compare' && compare ? await engineRun(compare.level, compare.phases) : await engineRun(Number(kind));
          if (kind === 'raw') rawRuns.push(run);
          else runs.set(kind, [...(runs.get(kind) ?? []), run]);
          process.stderr.write(
            `[connect ${streams} × ${fps} fps, round ${round + 1}/${repeat}] ${kind === 'raw' ? 'raw undici' : kind === 'compare' ? `compared checkout, --connect-concurrency ${compare?.level ?? ''}` : `camera-load --connect-concurrency ${kind}`}: ` +
              `first frame p50 ${run.firstFrameMs.p50.toFixed(0)} ms, max ${run.firstFrameMs.max.toFixed(0)} ms, missing ${run.firstFrameMs.missing}; load ${loadAverage()}\n`,
          );
        }
      }
    });
    const med = (list: ConnectRun[], pick: (r: ConnectRun) => number): number => median(list.map(pick));
    const ratio = (list: ConnectRun[], pick: (f: FirstFrames) => number): number[] =>
      list.map((r, i) => pick(r.firstFrameMs) / pick(rawRuns[i]?.firstFrameMs ?? r.firstFrameMs));
    const row = (label: string, list: ConnectRun[]): string => {
      const p50Ratio = ratio(list, (f) => f.p50);
      const maxRatio = ratio(list, (f) => f.max);
      const frames = list.flatMap((r) => (r.frames ? [r.frames] : []));
      return (
        `| ${label} | ${med(list, (r) => r.firstFrameMs.p50).toFixed(0)}${spread(
          list.map((r) => r.firstFrameMs.p50),
          0,
        )} | ${med(list, (r) => r.firstFrameMs.p95).toFixed(0)} | ` +
        `${med(list, (r) => r.firstFrameMs.max).toFixed(0)}${spread(
          list.map((r) => r.firstFrameMs.max),
          0,
        )} | ${med(list, (r) => r.firstFrameMs.missing).toFixed(0)} | ` +
        `${label.startsWith('raw') ? '1' : `${median(p50Ratio).toFixed(2)}${spread(p50Ratio)}`} | ${label.startsWith('raw') ? '1' : `${median(maxRatio).toFixed(2)}${spread(maxRatio)}`} | ` +
        `${med(list, (r) => r.cpuSeconds).toFixed(2)} | ${med(list, (r) => r.serverCpuSeconds).toFixed(2)} | ` +
        `${frames.length === 0 ? '' : `${median(frames.map((f) => f.counted))} / ${median(frames.map((f) => f.sent))}`} |`
      );
    };
    const worst = levels.map((level) => {
      const list = runs.get(String(level)) ?? [];
      return { level, p50: median(ratio(list, (f) => f.p50)), max: median(ratio(list, (f) => f.max)) };
    });
    out.push(
      `**${streams.toLocaleString('en-US')} streams × ${fps} fps × 20 KB (bench/lean-server.ts): first complete frame from time zero, medians of ${repeat} round(s) (min–max); ratios pair by pair within a round**`,
      '',
      '| client | first frame p50 (ms) | p95 | max | missing | p50 ÷ raw | max ÷ raw | client CPU-s to the last first frame | server CPU-s (run) | frames counted / sent (in flight at the stop: not counted) |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
      row('raw undici, one request() per stream, all at once', rawRuns),
      ...levels.map((level) => row(`camera-load engine, --connect-concurrency ${level}`, runs.get(String(level)) ?? [])),
      ...(compare && options.compare !== undefined
        ? [row(`compared: ${options.compare}, --connect-concurrency ${compare.level} (its default)`, runs.get('compare') ?? [])]
        : []),
      '',
      ...worst.map(({ level, p50, max }) =>
        check(p50 <= 1.2 && max <= 1.2, `--connect-concurrency ${level}: p50 ${p50.toFixed(2)}×, max ${max.toFixed(2)}× the raw client's (target ≤ 1.2×)`),
      ),
      '',
      `Load average after: ${loadAverage()}.`,
      '',
    );
  }
  return out.join('\n');
}
