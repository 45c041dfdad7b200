// What a whole run costs, from start to exit: `camera-load run` as a user starts it (the launcher and the process
// it relaunches) next to a bare undici client process doing the same, against the same simulated fleet (another
// process), alternating, timed from outside by /usr/bin/time (CPU user+sys of the process and everything it
// waited for; peak RSS of the largest of them). Then the fixed cost of a run, its parts, and --version/--help.
// Run: npm run bench -- process [--streams N] [--seconds S] [--repeat R]
//      npm run bench -- connect [--streams N] [--concurrency 100,500,...] [--repeat R]: camera-load's engine against a bare
//      undici client on bench/lean-server.ts, first complete frames at 2,000 × 5 fps and 10,000 × 1 fps
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { GC_FLAGS } from '../src/launcher/gc-tuning.js';
import { DEFAULTS } from '../src/options/defaults.js';
import type { PhasesResult } from './phases.js';
import { check, loadAverage, median, quietRunArgs, spread, TIME, timed, withFleet, withLeanServer, type Timed } from './timing.js';

const CLI = fileURLToPath(new URL('../../bin/camera-load.js', import.meta.url));
const RAW = fileURLToPath(new URL('./raw-client.js', import.meta.url));
const PHASES = fileURLToPath(new URL('./phases.js', import.meta.url));

interface CliRun extends Timed {
  bytes: number;
  frames: number;
  firstFrameP50Ms: number;
  firstFrameMaxMs: number;
}

async function cameraLoad(cli: string, dir: string, camerasFile: string, streams: number, seconds: number, round: string): Promise<CliRun> {
  const report = join(dir, `report-${round}.json`);
  const args = quietRunArgs({ camerasFile, streams, seconds, report, log: join(dir, `log-${round}.log`) });
  const run = await timed([process.execPath, cli, ...args], (seconds + 60) * 1000);
  const summary = existsSync(report)
    ? (
        JSON.parse(readFileSync(report, 'utf8')) as {
          summary: { totalBytes: number; totalFrames: number; timeToFirstFrameMs: { p50: number; max: number } | null };
        }
      ).summary
    : undefined;
  return {
    ...run,
    bytes: summary?.totalBytes ?? NaN,
    frames: summary?.totalFrames ?? NaN,
    firstFrameP50Ms: summary?.timeToFirstFrameMs?.p50 ?? NaN,
    firstFrameMaxMs: summary?.timeToFirstFrameMs?.max ?? NaN,
  };
}

async function rawClient(port: number, streams: number, seconds: number): Promise<Timed & { bytes: number }> {
  const run = await timed([process.execPath, RAW, String(port), String(streams), String(seconds)], (seconds + 60) * 1000);
  const line = run.stdout.trim().split('\n').at(-1) ?? '{}';
  return { ...run, bytes: (JSON.parse(line) as { bytes?: number }).bytes ?? NaN };
}

async function phases(
  port: number,
  streams: number,
  seconds: number,
  connectConcurrency: number,
  samplerSamples: number,
  script = PHASES,
): Promise<PhasesResult> {
  const config = JSON.stringify({ port, streams, seconds, connectConcurrency, samplerSamples });
  const run = await timed([process.execPath, ...GC_FLAGS, script, config], (seconds + 90) * 1000);
  const line = run.stdout.trim().split('\n').at(-1) ?? '';
  if (run.code !== 0 || line === '') throw new Error(`the phases process exited with ${run.code}`);
  return JSON.parse(line) as PhasesResult;
}

export interface ProcessOptions {
  streams?: number;
  seconds?: number;
  repeat?: number;
  /** Another checkout's bin/camera-load.js (built), run beside this one in every round: before/after figures. */
  compare?: string;
}

interface Round {
  cl: CliRun;
  raw: Timed & { bytes: number };
  short: CliRun;
  rawShort: Timed & { bytes: number };
  other?: { cl: CliRun; short: CliRun };
}

const SHORT_SECONDS = 3;
const gb = (bytes: number): number => bytes / 1e9;

export async function runProcessBench(options: ProcessOptions): Promise<string> {
  if (!existsSync(TIME)) return `${TIME} is not installed: the whole-process bench times processes with it (apt-get install time).`;
  const streams = options.streams ?? 2000;
  const seconds = options.seconds ?? 25;
  const repeat = options.repeat ?? 3;
  const dir = mkdtempSync(join(tmpdir(), 'bench-process-'));
  try {
    return await withFleet(streams, 5, async (fleet) => {
      const camerasFile = join(dir, 'cameras.json');
      const urls = Array.from({ length: streams }, (_, i) => ({
        id: String(101 + i),
        name: `Camera ${101 + i}`,
        status: 1,
        fr_url: `http://127.0.0.1:${fleet.port}/fr/${101 + i}/stream`,
      }));
      writeFileSync(camerasFile, JSON.stringify(urls));
      const rows: Round[] = [];
      const compare = options.compare;
      for (let round = 1; round <= repeat; round++) {
        // Alternating which goes first, so a drift of the machine's speed falls on both.
        const first = round % 2 === 1;
        const raw1 = first ? undefined : await rawClient(fleet.port, streams, seconds);
        const cl = await cameraLoad(CLI, dir, camerasFile, streams, seconds, `${round}`);
        const raw = raw1 ?? (await rawClient(fleet.port, streams, seconds));
        const short = await cameraLoad(CLI, dir, camerasFile, streams, SHORT_SECONDS, `${round}-short`);
        const rawShort = await rawClient(fleet.port, streams, SHORT_SECONDS);
        const other =
          compare === undefined
            ? undefined
            : {
                cl: await cameraLoad(compare, dir, camerasFile, streams, seconds, `${round}-other`),
                short: await cameraLoad(compare, dir, camerasFile, streams, SHORT_SECONDS, `${round}-other-short`),
              };
        rows.push({ cl, raw, short, rawShort, ...(other ? { other } : {}) });
        process.stderr.write(
          `[process round ${round}/${repeat}] camera-load ${cl.cpuSeconds.toFixed(2)} CPU-s ${(cl.peakRssBytes / 1e6).toFixed(0)} MB (exit ${cl.code}); ` +
            `raw ${raw.cpuSeconds.toFixed(2)} CPU-s ${(raw.peakRssBytes / 1e6).toFixed(0)} MB; ${SHORT_SECONDS} s run ${short.cpuSeconds.toFixed(2)} CPU-s` +
            (other
              ? `; compared: ${other.cl.cpuSeconds.toFixed(2)} CPU-s ${(other.cl.peakRssBytes / 1e6).toFixed(0)} MB, ${SHORT_SECONDS} s run ${other.short.cpuSeconds.toFixed(2)} CPU-s`
              : '') +
            '\n',
        );
      }
      const parts = await phases(fleet.port, streams, SHORT_SECONDS, 100, 10);
      const info = await infoCommands(repeat);
      return [
        formatWhole(rows, streams, seconds),
        '',
        formatFixed(rows, streams, parts),
        ...(compare === undefined ? [] : ['', formatCompared(rows, streams, compare)]),
        '',
        info,
      ].join('\n');
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function formatCompared(rows: Round[], streams: number, compare: string): string {
  const pairs = rows.flatMap((r) => (r.other ? [{ ...r, other: r.other }] : []));
  const fixedOf = (long: CliRun, short: CliRun): number =>
    short.cpuSeconds - ((long.cpuSeconds - short.cpuSeconds) / gb(long.bytes - short.bytes)) * gb(short.bytes);
  const row = (label: string, pick: (r: (typeof pairs)[number]) => { cl: CliRun; short: CliRun }): string => {
    const runs = pairs.map(pick);
    const ratios = pairs.map((r) => pick(r).cl.cpuSeconds / r.raw.cpuSeconds);
    return (
      `| ${label} | ${median(runs.map((x) => x.cl.cpuSeconds)).toFixed(2)}${spread(runs.map((x) => x.cl.cpuSeconds))} | ${median(ratios).toFixed(2)}×${spread(ratios)} | ` +
      `${median(runs.map((x) => x.cl.peakRssBytes / 1e6)).toFixed(0)} | ${median(runs.map((x) => x.cl.peakRssBytes / streams / 1024)).toFixed(0)} KB | ` +
      `${median(runs.map((x) => x.short.cpuSeconds)).toFixed(2)} | ${median(runs.map((x) => fixedOf(x.cl, x.short))).toFixed(2)} | ${median(runs.map((x) => x.short.firstFrameMaxMs)).toFixed(0)} |`
    );
  };
  return [
    `**Side by side in the same rounds: this checkout and ${compare}**`,
    '',
    '| camera-load | CPU-s, long run | × raw undici | peak RSS (MB) | per stream | CPU-s, 3 s run | fixed cost (CPU-s) | 3 s run: slowest first frame (ms) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    row('compared (before)', (r) => r.other),
    row('this checkout (after)', (r) => ({ cl: r.cl, short: r.short })),
  ].join('\n');
}

function formatWhole(rows: { cl: CliRun; raw: Timed & { bytes: number } }[], streams: number, seconds: number): string {
  const ratios = rows.map((r) => r.cl.cpuSeconds / r.raw.cpuSeconds);
  const perGbRatios = rows.map((r) => r.cl.cpuSeconds / gb(r.cl.bytes) / (r.raw.cpuSeconds / gb(r.raw.bytes)));
  const clRss = rows.map((r) => r.cl.peakRssBytes / streams / 1024);
  const rawRss = rows.map((r) => r.raw.peakRssBytes / streams / 1024);
  const line = (label: string, runs: (Timed & { bytes: number })[], rss: number[]): string =>
    `| ${label} | ${median(runs.map((r) => r.cpuSeconds)).toFixed(2)}${spread(runs.map((r) => r.cpuSeconds))} | ${median(runs.map((r) => r.wallSeconds)).toFixed(1)} | ` +
    `${median(runs.map((r) => gb(r.bytes))).toFixed(2)} | ${median(runs.map((r) => r.cpuSeconds / gb(r.bytes))).toFixed(2)} | ` +
    `${median(runs.map((r) => r.peakRssBytes / 1e6)).toFixed(0)} | ${median(rss).toFixed(0)} KB |`;
  const ratio = median(ratios);
  const rss = median(clRss);
  return [
    `**Whole process: ${streams.toLocaleString('en-US')} streams × 5 fps × 20 KB for ${seconds} s, start to exit, medians of ${rows.length} rounds (min–max)**`,
    '',
    '| process | CPU-s (user+sys) | wall s | GB read | CPU-s per GB | peak RSS (MB) | peak RSS per stream |',
    '|---|---:|---:|---:|---:|---:|---:|',
    line(
      'raw undici client',
      rows.map((r) => r.raw),
      rawRss,
    ),
    line(
      'camera-load run',
      rows.map((r) => r.cl),
      clRss,
    ),
    '',
    `camera-load ÷ raw, pair by pair: CPU ${ratio.toFixed(2)}×${spread(ratios)}, CPU per GB ${median(perGbRatios).toFixed(2)}×${spread(perGbRatios)}.`,
    '',
    check(ratio <= 1.1, `whole-process CPU ${ratio.toFixed(2)}× the raw undici client (target ≤ 1.10×)`),
    check(rss <= 60, `peak RSS ${rss.toFixed(0)} KB per stream (target ≤ 60 KB)`),
  ].join('\n');
}

function formatFixed(rows: Round[], streams: number, p: PhasesResult): string {
  // The marginal cost of a GB from the long and the short run of the same round; what the short run costs beyond
  // its GB at that rate is the run's fixed cost.
  const marginal = rows.map((r) => (r.cl.cpuSeconds - r.short.cpuSeconds) / gb(r.cl.bytes - r.short.bytes));
  const fixed = rows.map((r, i) => r.short.cpuSeconds - (marginal[i] ?? NaN) * gb(r.short.bytes));
  const perGb = median(marginal);
  const fixedMedian = median(fixed);
  // The same for the raw client: what any process pays to start, open 2,000 connections and close them.
  const rawMarginal = rows.map((r) => (r.raw.cpuSeconds - r.rawShort.cpuSeconds) / gb(r.raw.bytes - r.rawShort.bytes));
  const rawFixed = rows.map((r, i) => r.rawShort.cpuSeconds - (rawMarginal[i] ?? NaN) * gb(r.rawShort.bytes));
  const streamingPerGb = p.streaming.cpuSeconds / gb(p.streaming.bytes);
  const beyond = (phase: PhasesResult['connecting']): number => phase.cpuSeconds - gb(phase.bytes) * streamingPerGb;
  const ms = (s: number): string => (s * 1000).toFixed(0);
  const partRow = (label: string, cpu: number, wall: number, note: string): string => `| ${label} | ${ms(cpu)} | ${wall.toFixed(2)} | ${note} |`;
  return [
    `**Fixed cost of a run: ${streams.toLocaleString('en-US')} streams for ${SHORT_SECONDS} s, whole process**`,
    '',
    `${SHORT_SECONDS} s run: ${median(rows.map((r) => r.short.cpuSeconds)).toFixed(2)} CPU-s${spread(rows.map((r) => r.short.cpuSeconds))}, ` +
      `${median(rows.map((r) => gb(r.short.bytes))).toFixed(2)} GB, ${median(rows.map((r) => r.short.wallSeconds)).toFixed(1)} s wall, ` +
      `first frames p50 ${median(rows.map((r) => r.short.firstFrameP50Ms)).toFixed(0)} ms, max ${median(rows.map((r) => r.short.firstFrameMaxMs)).toFixed(0)} ms. ` +
      `Marginal cost ${perGb.toFixed(2)} CPU-s per GB (long run − short run); fixed cost = short run − its GB at that rate.`,
    '',
    `The raw undici client, the same way: ${SHORT_SECONDS} s run ${median(rows.map((r) => r.rawShort.cpuSeconds)).toFixed(2)} CPU-s${spread(rows.map((r) => r.rawShort.cpuSeconds))}, ` +
      `marginal ${median(rawMarginal).toFixed(2)} CPU-s per GB, fixed cost ${median(rawFixed).toFixed(2)} CPU-s${spread(rawFixed)}: camera-load's own share of its fixed cost is ${(fixedMedian - median(rawFixed)).toFixed(2)} CPU-s.`,
    '',
    check(fixedMedian < 1, `fixed cost ${fixedMedian.toFixed(2)} CPU-s per run${spread(fixed)} (target < 1 CPU-s)`),
    '',
    `Its parts, one process running the same engine phase by phase (CPU of each phase, less its bytes at the streaming rate of ${streamingPerGb.toFixed(2)} CPU-s per GB):`,
    '',
    '| part | CPU ms | wall s | what |',
    '|---|---:|---:|---|',
    partRow(
      'start-up',
      p.startUp.cpuSeconds,
      p.startUp.wallSeconds,
      "Node and the `run` command's modules, in one process (the launcher is a second Node start: see --version below)",
    ),
    partRow(
      'connecting',
      beyond(p.connecting),
      p.connecting.wallSeconds,
      `until every stream has its first frame (p50 ${p.firstFrameMs.p50.toFixed(0)} ms, max ${p.firstFrameMs.max.toFixed(0)} ms)`,
    ),
    partRow('report building', p.reportBuild.cpuSeconds, p.reportBuild.wallSeconds, "buildReport: every stream's figures and histogram, the summary"),
    partRow('report JSON', p.reportJson.cpuSeconds, p.reportJson.wallSeconds, `JSON.stringify of the report (${(p.reportJson.bytes / 1e6).toFixed(1)} MB)`),
    partRow('teardown', beyond(p.teardown), p.teardown.wallSeconds, 'from the stop to the last stream closed and the dispatcher destroyed'),
    partRow(
      'sampler',
      p.samplerCpuSecondsPerSample * (SHORT_SECONDS / 2 + 1),
      NaN,
      `one system sample ${ms(p.samplerCpuSecondsPerSample)} ms, ${SHORT_SECONDS / 2 + 1} in a ${SHORT_SECONDS} s run`,
    ),
  ].join('\n');
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
