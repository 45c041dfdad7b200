// One run of the churn benches (bench/churn.ts): `camera-load run` as a process against the simulated fleet in
// another process, watched from outside (bench/sampled-run.ts), and the figures of it they read: CPU and bytes over a
// window of the run clock, each stage's arrivals and lateness, and the report's size by part.
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
  /** Bytes of each top-level part of the report as JSON (streams, timeline, system, …). */
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
  const partBytes = Object.fromEntries(Object.entries(full).map(([key, value]) => [key, JSON.stringify(value).length]));
  return { ...sampled, label, zero: Date.parse(full.startedAt), full, reportBytes, partBytes };
}

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
