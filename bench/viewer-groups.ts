// What slow, pausing and stuck viewers (issue 29) cost camera-load itself, as a user runs it: `camera-load run`
// against the simulated fleet in another process (its default --slow-client drop: a viewer whose socket is full
// misses frames, and the simulator holds nothing for it), beside the same run without viewer groups, watched from
// outside (bench/sampled-run.ts).
// Run: npm run bench -- stuck-viewers [--streams N] [--seconds S] [--repeat R]
//      npm run bench -- slow-viewers-cpu [--streams N] [--seconds S] [--repeat R]
//      npm run bench -- paced-reader [--streams N] [--seconds S] [--repeat R]
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FleetProcess } from '../src/sim/fleet-process.js';
import { interpolate, sampledRun, timelineBetween, type SampledRun, type SocketSample } from './sampled-run.js';
import { check, loadAverage, median, quietRunArgs, spread, withFleet } from './timing.js';

const FPS = 5;
/** The fleet's frames (withFleet: 20 KB); a stream's byte rate is 5 × 20 KB and its part headers, about 100.6 KB/s. */
const STREAM_BYTES_PER_SECOND = FPS * 20_000;
const LEAD_IN_SECONDS = 10;
/** From the groups' start, what the CPU window leaves out: the slow viewers' first holds, the stuck ones' last reads. */
const SETTLE_SECONDS = 2;

export interface ViewerBenchOptions {
  streams?: number;
  seconds?: number;
  repeat?: number;
}

interface Run extends SampledRun {
  label: string;
  /** Wall clock (ms) of the run clock's 0, the groups' start and the planned end. */
  zero: number;
  begin: number;
  end: number;
}

const fleetPid = (fleet: FleetProcess): number => fleet.child.pid ?? 0;
const rssKbOf = (pid: number): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);

/** A fleet of `streams` cameras and their camera file, for the time of `use`. */
async function withCameras<T>(streams: number, use: (fleet: FleetProcess, camerasFile: string, dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-viewers-'));
  try {
    // drop is the simulator's default, named so that the figures say which: a stuck viewer costs it no memory.
    return await withFleet(
      streams,
      FPS,
      async (fleet) => {
        const camerasFile = join(dir, 'cameras.json');
        const cameras = Array.from({ length: streams }, (_, i) => ({
          id: String(101 + i),
          name: `Camera ${101 + i}`,
          status: 1,
          fr_url: `http://127.0.0.1:${fleet.port}/fr/${101 + i}/stream`,
        }));
        writeFileSync(camerasFile, JSON.stringify(cameras));
        return await use(fleet, camerasFile, dir);
      },
      ['--slow-client', 'drop'],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One whole run of `streams` for `seconds` after a lead-in of LEAD_IN_SECONDS; `groups` are its viewer flags (none: the baseline). */
async function run(fleet: FleetProcess, camerasFile: string, dir: string, label: string, streams: number, seconds: number, groups: string[]): Promise<Run> {
  const report = join(dir, `report-${label}.json`);
  const total = LEAD_IN_SECONDS + seconds;
  const args = [
    ...quietRunArgs({ camerasFile, streams, seconds: total, report, log: join(dir, `log-${label}.log`) }),
    ...(groups.length > 0 ? ['--lead-in', String(LEAD_IN_SECONDS), ...groups] : []),
  ];
  const sampled = await sampledRun(args, fleet.port, report, (total + 90) * 1000);
  // Exit 4 (not valid: a client late or saturated on a shared machine) still measured what it cost; no report is a failure.
  if (!sampled.report) throw new Error(`${label}: camera-load run exited with ${sampled.code} and wrote no report`);
  if (sampled.code !== 0) process.stderr.write(`[${label}] camera-load run exited with ${sampled.code}\n`);
  const zero = Date.parse(sampled.report.startedAt);
  rmSync(report, { force: true });
  return { ...sampled, label, zero, begin: zero + LEAD_IN_SECONDS * 1000, end: zero + total * 1000 };
}

const nearest = (sockets: readonly SocketSample[], at: number): SocketSample | undefined =>
  [...sockets].sort((a, b) => Math.abs(a.at - at) - Math.abs(b.at - at))[0];
const mb = (bytes: number): string => (bytes / 1e6).toFixed(1);

/**
 * `stuck-viewers`: every stream stuck once the groups begin (`--stuck-viewers 100%`: each reads its first frame of
 * the connection, then holds its body), against the same streams read normally. camera-load's RSS from the groups'
 * start to the run's planned end, per stuck viewer; the kernel's socket memory apart.
 */
export async function runStuckViewersBench(options: ViewerBenchOptions): Promise<string> {
  const streams = options.streams ?? 1000;
  const seconds = options.seconds ?? 60;
  const repeat = options.repeat ?? 1;
  return withCameras(streams, async (fleet, camerasFile, dir) => {
    const rows: { stuck: Run; normal: Run; fleetKb: [number, number] }[] = [];
    for (let round = 1; round <= repeat; round++) {
      const fleetBefore = rssKbOf(fleetPid(fleet));
      const pair: Partial<Record<'stuck' | 'normal', Run>> = {};
      for (const kind of round % 2 === 1 ? (['stuck', 'normal'] as const) : (['normal', 'stuck'] as const)) {
        pair[kind] = await run(fleet, camerasFile, dir, `${kind}-${round}`, streams, seconds, kind === 'stuck' ? ['--stuck-viewers', '100%'] : []);
      }
      const { stuck, normal } = pair as Record<'stuck' | 'normal', Run>;
      rows.push({ stuck, normal, fleetKb: [fleetBefore, rssKbOf(fleetPid(fleet))] });
      process.stderr.write(`[stuck-viewers round ${round}/${repeat}] load ${loadAverage()}\n`);
    }
    const line = (r: Run, fleetKb: [number, number]): { text: string; perViewerKb: number; peakPerViewerKb: number } => {
      const inWindow = r.samples.filter((s) => s.at >= r.begin && s.at <= r.end);
      const atBegin = interpolate(r.samples, r.begin, (s) => s.rssKb);
      // The last sample before the planned end: after it the stop closes the connections and the report is built.
      const last = inWindow.at(-1);
      const atEnd = last?.rssKb ?? NaN;
      const peak = Math.max(...inWindow.map((s) => s.rssKb));
      const tcpBegin = interpolate(r.samples, r.begin, (s) => s.tcpMemBytes);
      const tcpEnd = last?.tcpMemBytes ?? NaN;
      const socketsEnd = nearest(r.sockets, r.end - 2_500);
      const after = r.report ? timelineBetween(r.report, r.begin, r.end) : { bytes: NaN };
      const perViewerKb = (atEnd - atBegin) / streams;
      const peakPerViewerKb = (peak - atBegin) / streams;
      return {
        perViewerKb,
        peakPerViewerKb,
        text:
          `| ${r.label} | ${(atBegin / 1024).toFixed(0)} | ${(atEnd / 1024).toFixed(0)} | ${(peak / 1024).toFixed(0)} | ${perViewerKb.toFixed(1)} | ${peakPerViewerKb.toFixed(1)} | ` +
          `${(after.bytes / streams / 1000).toFixed(0)} KB | ${mb(tcpBegin)} → ${mb(tcpEnd)} | ${socketsEnd ? `${mb(socketsEnd.receiveQueuedBytes)} / ${mb(socketsEnd.serverQueuedBytes)}` : 'n/a'} | ` +
          `${(fleetKb[0] / 1024).toFixed(0)} → ${(fleetKb[1] / 1024).toFixed(0)} |`,
      };
    };
    const stuckLines = rows.map((r) => line(r.stuck, r.fleetKb));
    const growth = median(stuckLines.map((l) => l.perViewerKb));
    const peakGrowth = median(stuckLines.map((l) => l.peakPerViewerKb));
    return [
      `**${streams.toLocaleString('en-US')} streams × ${FPS} fps × 20 KB, a lead-in of ${LEAD_IN_SECONDS} s, then ${seconds} s with every viewer stuck (--stuck-viewers 100%) or all reading (no groups); simulator --slow-client drop**`,
      '',
      "RSS in MB (VmRSS every 250 ms) at the groups' start, at the planned end, and its peak between; growth per stream in KB; bytes read per stream after the start (the report's timeline); " +
        "the machine's TCP memory (/proc/net/sockstat, every socket on it), and at the end the bytes queued in the kernel for camera-load to read / at the server for it to send (ss -tm, this run's connections, MB); the simulator's RSS over the round.",
      '',
      '| run | RSS at the start | at the end | peak | growth per stream, end | peak | read per stream after the start | kernel TCP memory (MB) | kernel queues at the end: to read / to send (MB) | simulator RSS (MB) |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
      ...rows.flatMap((r, i) => [stuckLines[i]?.text ?? '', line(r.normal, r.fleetKb).text]),
      '',
      check(
        growth <= 20,
        `RSS growth ${growth.toFixed(1)} KB per stuck viewer from the groups' start to the end${spread(
          stuckLines.map((l) => l.perViewerKb),
          1,
        )} (target ≤ 20 KB; peak ${peakGrowth.toFixed(1)} KB)`,
      ),
      '',
      `Load average after: ${loadAverage()}.`,
    ].join('\n');
  });
}

interface CpuFigures {
  cpuSecondsPerGb: number;
  cpuUsPerFrame: number;
  fpsPerStream: number;
  wholeCpuSecondsPerGb: number;
}

/** CPU over the window from SETTLE_SECONDS after the groups' start to 1 s before the planned end, per GB and per frame. */
function cpuFigures(r: Run, streams: number): CpuFigures {
  const from = r.begin + SETTLE_SECONDS * 1000;
  const to = r.end - 1000;
  const counted = r.report ? timelineBetween(r.report, from, to) : { bytes: NaN, frames: NaN, seconds: NaN };
  const cpu =
    interpolate(r.samples, counted.seconds > 0 ? from + counted.seconds * 1000 : to, (s) => s.cpuSeconds) - interpolate(r.samples, from, (s) => s.cpuSeconds);
  const last = r.samples.at(-1);
  return {
    cpuSecondsPerGb: cpu / (counted.bytes / 1e9),
    cpuUsPerFrame: (cpu / counted.frames) * 1e6,
    fpsPerStream: counted.frames / counted.seconds / streams,
    wholeCpuSecondsPerGb: (last?.cpuSeconds ?? NaN) / ((r.report?.summary.totalBytes ?? NaN) / 1e9),
  };
}

interface CpuBench {
  name: string;
  /** The viewer flags of the measured run. */
  groups: string[];
  what: string;
  /** The largest ratio of the measured run's CPU (per `by`) to the baseline's that meets the target. */
  target: number;
  by: 'GB' | 'frame';
}

/** Rounds of the measured run and the baseline, alternating which goes first; the medians and the ratios pair by pair. */
async function runCpuBench(bench: CpuBench, options: ViewerBenchOptions): Promise<string> {
  const streams = options.streams ?? 2000;
  const seconds = options.seconds ?? 20;
  const repeat = options.repeat ?? 3;
  return withCameras(streams, async (fleet, camerasFile, dir) => {
    const rounds: { groups: CpuFigures; normal: CpuFigures }[] = [];
    for (let round = 1; round <= repeat; round++) {
      const figures: Partial<Record<'groups' | 'normal', CpuFigures>> = {};
      for (const kind of round % 2 === 1 ? (['groups', 'normal'] as const) : (['normal', 'groups'] as const)) {
        const r = await run(fleet, camerasFile, dir, `${bench.name}-${kind}-${round}`, streams, seconds, kind === 'groups' ? bench.groups : []);
        figures[kind] = cpuFigures(r, streams);
      }
      const { groups, normal } = figures as Record<'groups' | 'normal', CpuFigures>;
      rounds.push({ groups, normal });
      process.stderr.write(
        `[${bench.name} round ${round}/${repeat}] ${bench.groups.join(' ')}: ${groups.cpuSecondsPerGb.toFixed(2)} CPU-s/GB, ${groups.cpuUsPerFrame.toFixed(1)} µs/frame; ` +
          `no groups: ${normal.cpuSecondsPerGb.toFixed(2)} CPU-s/GB, ${normal.cpuUsPerFrame.toFixed(1)} µs/frame; load ${loadAverage()}\n`,
      );
    }
    const row = (label: string, list: CpuFigures[]): string =>
      `| ${label} | ${median(list.map((f) => f.fpsPerStream)).toFixed(2)} | ${median(list.map((f) => f.cpuSecondsPerGb)).toFixed(2)}${spread(list.map((f) => f.cpuSecondsPerGb))} | ` +
      `${median(list.map((f) => f.cpuUsPerFrame)).toFixed(1)}${spread(
        list.map((f) => f.cpuUsPerFrame),
        1,
      )} | ${median(list.map((f) => f.wholeCpuSecondsPerGb)).toFixed(2)} |`;
    const ratiosPerGb = rounds.map((r) => r.groups.cpuSecondsPerGb / r.normal.cpuSecondsPerGb);
    const ratiosPerFrame = rounds.map((r) => r.groups.cpuUsPerFrame / r.normal.cpuUsPerFrame);
    const judged = median(bench.by === 'GB' ? ratiosPerGb : ratiosPerFrame);
    return [
      `**${streams.toLocaleString('en-US')} streams × ${FPS} fps × 20 KB (about ${STREAM_BYTES_PER_SECOND / 1000} KB/s each), ${bench.what}; a lead-in of ${LEAD_IN_SECONDS} s, then ${seconds} s; ` +
        `CPU of camera-load (utime + stime, /proc) from ${SETTLE_SECONDS} s after the groups' start to 1 s before the end, bytes and frames from the report's timeline over the same seconds; medians of ${repeat} alternating rounds (min–max)**`,
      '',
      '| run | fps per stream | CPU-s per GB | CPU µs per frame | whole run: CPU-s per GB |',
      '|---|---:|---:|---:|---:|',
      row(
        bench.groups.join(' '),
        rounds.map((r) => r.groups),
      ),
      row(
        'no groups',
        rounds.map((r) => r.normal),
      ),
      '',
      `Pair by pair: CPU per GB ${median(ratiosPerGb).toFixed(3)}×${spread(ratiosPerGb, 3)}, CPU per frame ${median(ratiosPerFrame).toFixed(3)}×${spread(ratiosPerFrame, 3)}.`,
      '',
      check(judged <= bench.target, `CPU per ${bench.by} ${judged.toFixed(3)}× the run without groups (target ≤ ${bench.target}×)`),
      '',
      `Load average after: ${loadAverage()}.`,
    ].join('\n');
  });
}

/** `slow-viewers-cpu`: 20% of the streams read at half their stream's rate; CPU per GB against no groups (target 1.1×). */
export const runSlowViewersCpuBench = (options: ViewerBenchOptions): Promise<string> =>
  runCpuBench(
    {
      name: 'slow-viewers-cpu',
      groups: ['--slow-viewers', `20%@${STREAM_BYTES_PER_SECOND / 2 / 1000}KB/s`],
      what: "20% slow viewers at half the stream's rate (limited: held by pause and resume) against none",
      target: 1.1,
      by: 'GB',
    },
    options,
  );

/**
 * `paced-reader`: every stream paced at 1.25× its stream's rate: each chunk goes through the pacing (a clock read,
 * the budget's arithmetic, a hold whenever it runs ahead) but the rate never limits it. CPU per frame against no
 * groups (target: no more).
 */
export const runPacedReaderBench = (options: ViewerBenchOptions): Promise<string> =>
  runCpuBench(
    {
      name: 'paced-reader',
      groups: ['--slow-viewers', `100%@${(STREAM_BYTES_PER_SECOND * 1.25) / 1000}KB/s`],
      what: "every viewer paced at 1.25× its stream's rate (paced, not limited) against none",
      target: 1.0,
      by: 'frame',
    },
    options,
  );
