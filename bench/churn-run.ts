// One run of the churn benches (bench/churn.ts): `camera-load run` as a process against the simulated fleet in
// another process, watched from outside (bench/sampled-run.ts), and the figures of it they read: CPU and bytes over a
// window of the run clock, RSS at an instant, and the report's size by part and per hour of the same churn.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Report } from '../src/report/report-types.js';
import type { FleetProcess } from '../src/sim/fleet-process.js';
import { interpolate, sampledRun, type SampledRun } from './sampled-run.js';
import { withFleet } from './timing.js';

/** The fleet's frames: 5 fps × 20 KB (withFleet), about 100 KB/s a viewer, as the viewer-group benches stream. */
export const FPS = 5;

export interface Cameras {
  fleet: FleetProcess;
  camerasFile: string;
  dir: string;
}

/** A fleet of `count` cameras and their camera file, for the time of `use`. */
export async function withCameras<T>(count: number, use: (cameras: Cameras) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-churn-'));
  try {
    return await withFleet(count, FPS, async (fleet) => {
      const camerasFile = join(dir, 'cameras.json');
      const list = Array.from({ length: count }, (_, i) => ({
        id: String(101 + i),
        name: `Camera ${101 + i}`,
        status: 1,
        fr_url: `http://127.0.0.1:${fleet.port}/fr/${101 + i}/stream`,
      }));
      writeFileSync(camerasFile, JSON.stringify(list));
      return await use({ fleet, camerasFile, dir });
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface ChurnRun extends SampledRun {
  label: string;
  /** Wall clock (ms) of the run clock's 0. */
  zero: number;
  full: Report;
  reportBytes: number;
  /** Bytes of each top-level part of the report as the file holds it (streams, timeline, system, …). */
  partBytes: Record<string, number>;
}

/** `camera-load run` with `flags` (its load shape: --max-streams and --duration or a staged --arrival-rate), lasting about `seconds`. */
export async function churnRun(cameras: Cameras, label: string, seconds: number, flags: readonly string[]): Promise<ChurnRun> {
  const report = join(cameras.dir, `report-${label}.json`);
  const args = ['run', '--cameras-file', cameras.camerasFile, '--quiet', '--output', report, '--log', join(cameras.dir, `log-${label}.log`), ...flags];
  const sampled = await sampledRun(args, cameras.fleet.port, report, (seconds + 120) * 1000);
  // Exit 4 (not valid: a client late or saturated on a shared machine) still measured what it cost; no report is a failure.
  if (!sampled.report) throw new Error(`${label}: camera-load run exited with ${sampled.code} and wrote no report`);
  if (sampled.code !== 0) process.stderr.write(`[${label}] camera-load run exited with ${sampled.code}\n`);
  const full = sampled.report as unknown as Report;
  const reportBytes = statSync(report).size;
  rmSync(report, { force: true });
  const partBytes = Object.fromEntries(Object.entries(full).map(([key, value]) => [key, indentedBytes(value, 1)]));
  return { ...sampled, label, zero: Date.parse(full.startedAt), full, reportBytes, partBytes };
}

/** Bytes of `value` in the report file (JSON indented by 2, run-outputs.ts) at nesting `depth`: each of its lines indented 2 × depth more. */
const indentedBytes = (value: unknown, depth: number): number => {
  const text = JSON.stringify(value, null, 2);
  return Buffer.byteLength(text) + (text.split('\n').length - 1) * 2 * depth;
};

export interface Window {
  cpuSeconds: number;
  bytes: number;
  frames: number;
  seconds: number;
}

/**
 * CPU (utime + stime, sampled every 250 ms) and the timeline's bytes and frames over the whole timeline rows between
 * `fromSeconds` and `toSeconds` on the run clock: the CPU over exactly those rows' span, so bytes and CPU share it.
 */
export function windowOf(run: ChurnRun, fromSeconds: number, toSeconds: number): Window {
  const rows = run.full.timeline.filter((row) => row.t >= fromSeconds && row.t + row.seconds <= toSeconds);
  const first = rows[0];
  const last = rows.at(-1);
  if (!first || !last) return { cpuSeconds: NaN, bytes: NaN, frames: NaN, seconds: NaN };
  const cpuAt = (at: number): number => interpolate(run.samples, at, (s) => s.cpuSeconds);
  return {
    cpuSeconds: cpuAt(last.at + last.seconds * 1000) - cpuAt(first.at),
    bytes: rows.reduce((sum, row) => sum + row.bytesPerSecond * row.seconds, 0),
    frames: rows.reduce((sum, row) => sum + row.fps * row.seconds, 0),
    seconds: rows.reduce((sum, row) => sum + row.seconds, 0),
  };
}

/** RSS (KB) at `seconds` on the run clock, between the samples around it. */
export const rssKbAt = (run: ChurnRun, seconds: number): number => interpolate(run.samples, run.zero + seconds * 1000, (s) => s.rssKb);

/** Least-squares slope of (x, y) pairs. */
export function slope(points: readonly [number, number][]): number {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return sxy / sxx;
}

/** Timeline rows kept at most (src/metrics/timeline.ts: older rows are coarsened past it); system samples, one per 2 s, are not bounded. */
const TIMELINE_MAX_ROWS = 3600;
const SYSTEM_SAMPLES_PER_HOUR = 1800;
/** A stream's events kept at most (src/metrics/stream-events.ts). */
const MAX_EVENTS = 40;

/**
 * The report's size by part, and extrapolated to an hour of the same churn: streams[] one entry per slot (the plan's
 * slots for an hour, each with its events at their cap), the timeline at its most rows, the system samples one per 2 s.
 */
export function reportSize(run: ChurnRun, seconds: number, slots: { run: number; hour: number }): string[] {
  const kb = (bytes: number): string => `${(bytes / 1000).toFixed(0)} KB`;
  const { streams, timeline, system } = run.full;
  const part = (key: string): number => run.partBytes[key] ?? NaN;
  const events = streams.reduce((sum, s) => sum + s.events.length, 0);
  // Each event at its depth in the file: report, streams[], a stream, its events[].
  const perEvent = streams.reduce((sum, s) => sum + indentedBytes(s.events, 3), 0) / Math.max(1, events);
  const perStreamAtCap = (part('streams') - events * perEvent) / streams.length + MAX_EVENTS * perEvent;
  const perRow = part('timeline') / timeline.length;
  const perSample = part('system') / Math.max(1, system.samples.length);
  const rest = run.reportBytes - part('timeline') - part('system') - part('streams');
  const hour = rest + perStreamAtCap * slots.hour + perRow * TIMELINE_MAX_ROWS + perSample * SYSTEM_SAMPLES_PER_HOUR;
  return [
    `Report: ${kb(run.reportBytes)} after ${seconds} s: streams[] ${kb(part('streams'))} (${streams.length.toLocaleString('en-US')} slots, the plan's ${slots.run.toLocaleString('en-US')}; ` +
      `${(events / streams.length).toFixed(1)} events each, at most ${MAX_EVENTS}, ${perEvent.toFixed(0)} bytes an event), timeline ${kb(part('timeline'))} (${timeline.length} rows), ` +
      `system ${kb(part('system'))} (${system.samples.length} samples), stages ${kb(part('stages'))}, the rest ${kb(rest)}.`,
    `Per hour of the same churn: about ${(hour / 1e6).toFixed(1)} MB: streams[] ${kb(perStreamAtCap * slots.hour)} (the plan's ${slots.hour.toLocaleString('en-US')} slots for an hour, ` +
      `${kb(perStreamAtCap)} each with ${MAX_EVENTS} events), timeline ${kb(perRow * TIMELINE_MAX_ROWS)} (${TIMELINE_MAX_ROWS} rows, its most), system ${kb(perSample * SYSTEM_SAMPLES_PER_HOUR)} ` +
      `(${SYSTEM_SAMPLES_PER_HOUR} samples). Past the first hour the system samples grow by as much an hour; streams[] only as slots are added.`,
  ];
}
