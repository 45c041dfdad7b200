// Whole processes timed from outside, and the small statistics the whole-process benches print: shared by
// bench/process.ts and bench/max-trials.ts.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFleetProcess, type FleetProcess } from '../src/sim/fleet-process.js';

export const TIME = '/usr/bin/time';

export interface Timed {
  cpuSeconds: number;
  wallSeconds: number;
  peakRssBytes: number;
  stdout: string;
  code: number | null;
}

/** Runs `args` under /usr/bin/time; bounded by `timeoutMs` (then killed, and the figures are of a killed run). */
export function timed(args: readonly string[], timeoutMs: number, env: NodeJS.ProcessEnv = process.env): Promise<Timed> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-time-'));
  const file = join(dir, 'time');
  return new Promise((resolve, reject) => {
    const child = spawn(TIME, ['-o', file, '-f', '%U %S %e %M', ...args], { stdio: ['ignore', 'pipe', 'inherit'], env });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      try {
        const line = readFileSync(file, 'utf8').trim().split('\n').at(-1) ?? '';
        const [user, sys, wall, rssKb] = line.split(' ').map(Number);
        resolve({ cpuSeconds: (user ?? NaN) + (sys ?? NaN), wallSeconds: wall ?? NaN, peakRssBytes: (rssKb ?? NaN) * 1024, stdout, code });
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

/** `camera-load run`'s arguments for a quiet whole-process run of `streams` from a camera file, writing `report` and `log`. */
export function quietRunArgs(run: { camerasFile: string; streams: number; seconds: number; report: string; log: string }): string[] {
  const { camerasFile, streams, seconds, report, log } = run;
  return ['run', '--cameras-file', camerasFile, '--max-streams', String(streams), '--duration', String(seconds), '--quiet', '--output', report, '--log', log];
}

export const median = (values: readonly number[]): number => {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
};

export const spread = (values: readonly number[], digits = 2): string => {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  return sorted.length < 2 ? '' : ` (${(sorted[0] ?? 0).toFixed(digits)}–${(sorted.at(-1) ?? 0).toFixed(digits)})`;
};

export const check = (ok: boolean, text: string): string => `- ${ok ? '✓' : '✗'} ${text}`;

/** The machine's load average over the last minute, to print beside figures taken on a shared machine. */
export const loadAverage = (): string => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

/** The simulated fleet in its own process: `streams` cameras × `fps` × 20 KB, plus `extra` simulate flags. */
export async function withFleet<T>(streams: number, fps: number, use: (fleet: FleetProcess) => Promise<T>, extra: readonly string[] = []): Promise<T> {
  const fleet = await startFleetProcess(['--cameras', String(streams), '--inactive', '0', '--fps', String(fps), '--frame-size', '20KB', ...extra]);
  try {
    return await use(fleet);
  } finally {
    await fleet.stop();
  }
}

const LEAN_SERVER = fileURLToPath(new URL('./lean-server.js', import.meta.url));

export interface LeanServer {
  port: number;
  cpuSeconds(): number;
  framesSent(): Promise<number>;
}

/** bench/lean-server.ts in its own process, for the time of `use`. */
export async function withLeanServer<T>(fps: number, use: (server: LeanServer) => Promise<T>): Promise<T> {
  const child = spawn(process.execPath, [LEAN_SERVER, String(fps)], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error('the lean server did not start within 10 s'));
      }, 10_000);
      child.stdout.once('data', (chunk: Buffer) => {
        clearTimeout(timer);
        resolve((JSON.parse(chunk.toString().split('\n')[0] ?? '{}') as { port: number }).port);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the lean server exited with ${code}`));
      });
    });
    return await use({
      port,
      cpuSeconds: () => {
        const stat = readFileSync(`/proc/${child.pid ?? 0}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return (Number(fields[11]) + Number(fields[12])) / 100;
      },
      framesSent: async () => ((await (await fetch(`http://127.0.0.1:${port}/stats`)).json()) as { framesSent: number }).framesSent,
    });
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}
