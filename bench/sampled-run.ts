// One `camera-load run` as a process, watched from outside while it runs: its RSS and CPU from /proc every quarter
// second, the kernel's TCP memory (/proc/net/sockstat) beside them, and every few seconds the socket memory of its
// connections (ss -tm), for the viewer-group benches (bench/viewer-groups.ts).
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { GC_FLAGS } from '../src/launcher/gc-tuning.js';

const CLI = fileURLToPath(new URL('../../bin/camera-load.js', import.meta.url));
const SAMPLE_EVERY_MS = 250;
const SOCKETS_EVERY_MS = 5_000;
/** Linux's clock ticks per second (USER_HZ) and page size, as /proc reports in them. */
const TICKS_PER_SECOND = 100;
const PAGE_BYTES = 4096;

export interface ProcessSample {
  /** Wall clock, ms since the epoch: the report's times are on it too. */
  at: number;
  rssKb: number;
  cpuSeconds: number;
  /** /proc/net/sockstat's TCP mem: every TCP socket's buffers on the machine, in bytes. */
  tcpMemBytes: number;
}

export interface SocketSample {
  at: number;
  /** Summed over the run's connections (ss -tm, destination the server's port): bytes the kernel holds unread for camera-load. */
  receiveQueuedBytes: number;
  /** The same connections' receive buffer memory as the kernel accounts it (skmem r). */
  receiveAllocBytes: number;
  /** The server's side of the same connections: bytes written and not yet acknowledged or sent (skmem w). */
  serverQueuedBytes: number;
  connections: number;
}

export interface SampledRun {
  code: number | null;
  samples: ProcessSample[];
  sockets: SocketSample[];
  /** The report camera-load wrote (undefined: none). */
  report: RunReport | undefined;
}

/** The parts of a report the viewer-group benches read. */
export interface RunReport {
  startedAt: string;
  summary: { totalBytes: number; totalFrames: number; streamsOpened: number; durationSeconds: number };
  timeline: { at: number; seconds: number; bytesPerSecond: number; fps: number; openStreams: number }[];
  viewerGroups?: { group: string; summary: { totalBytes: number; totalFrames: number; streamsPlanned: number } }[];
}

function processSample(pid: number): ProcessSample | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const sockstat = readFileSync('/proc/net/sockstat', 'utf8');
    return {
      at: Date.now(),
      rssKb: Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN),
      cpuSeconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND,
      tcpMemBytes: Number(/TCP:.* mem (\d+)/.exec(sockstat)?.[1] ?? NaN) * PAGE_BYTES,
    };
  } catch {
    return undefined; // the process has exited
  }
}

const execFileAsync = promisify(execFile);

/** The connections to `port` on 127.0.0.1, both ends, from ss: what the kernel holds for each side. */
async function socketSample(port: number): Promise<SocketSample | undefined> {
  const at = Date.now();
  try {
    const { stdout } = await execFileAsync('ss', ['-tmnH', 'state', 'established', `( dport = :${port} or sport = :${port} )`], {
      maxBuffer: 64 * 1024 * 1024,
    });
    const sample = { at, receiveQueuedBytes: 0, receiveAllocBytes: 0, serverQueuedBytes: 0, connections: 0 };
    // Each socket is a line "Recv-Q Send-Q Local:Port Peer:Port" followed by its skmem:(r…,rb…,t…,tb…,f…,w…,…).
    const lines = stdout.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] ?? '';
      const head = /^\s*(\d+)\s+(\d+)\s+\S+:(\d+)\s+\S+:(\d+)/.exec(line);
      if (!head) continue;
      const skmem = /skmem:\(r(\d+),rb\d+,t\d+,tb\d+,f\d+,w(\d+)/.exec(line) ?? /skmem:\(r(\d+),rb\d+,t\d+,tb\d+,f\d+,w(\d+)/.exec(lines[i + 1] ?? '');
      const fromServer = Number(head[3]) === port;
      if (fromServer) sample.serverQueuedBytes += Number(skmem?.[2] ?? 0);
      else {
        sample.connections++;
        sample.receiveQueuedBytes += Number(head[1]);
        sample.receiveAllocBytes += Number(skmem?.[1] ?? 0);
      }
    }
    return sample;
  } catch {
    return undefined; // no ss here: the sockstat figure stands alone
  }
}

/**
 * `camera-load run ARGS` started with the garbage-collector flags on Node's command line, so that it does the work
 * itself (no relaunch): the process watched is the one that streams. `port` is the stream server's, for ss; `cli`
 * another checkout's bin/camera-load.js, for a before/after.
 */
export async function sampledRun(args: readonly string[], port: number, reportFile: string, timeoutMs: number, cli = CLI): Promise<SampledRun> {
  const child = spawn(process.execPath, [...GC_FLAGS, cli, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
  const pid = child.pid ?? 0;
  const samples: ProcessSample[] = [];
  const sockets: Promise<SocketSample | undefined>[] = [];
  const sample = (): void => {
    const s = processSample(pid);
    if (s) samples.push(s);
  };
  sample();
  const timer = setInterval(sample, SAMPLE_EVERY_MS);
  const socketTimer = setInterval(() => sockets.push(socketSample(port)), SOCKETS_EVERY_MS);
  const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', resolve);
  });
  clearInterval(timer);
  clearInterval(socketTimer);
  clearTimeout(killer);
  const report = existsSync(reportFile) ? (JSON.parse(readFileSync(reportFile, 'utf8')) as RunReport) : undefined;
  return { code, samples, sockets: (await Promise.all(sockets)).filter((s) => s !== undefined), report };
}

/**
 * A figure of the samples at wall time `at`, linearly between the two around it; past the last sample (a process
 * that ended within a second of `at`), the last.
 */
export function interpolate(samples: readonly ProcessSample[], at: number, pick: (s: ProcessSample) => number): number {
  const after = samples.findIndex((s) => s.at >= at);
  const last = samples.at(-1);
  if (after === -1) return last && at - last.at < 1000 ? pick(last) : NaN;
  if (after === 0) return pick(samples[0] as ProcessSample);
  const a = samples[after - 1] as ProcessSample;
  const b = samples[after] as ProcessSample;
  return pick(a) + ((pick(b) - pick(a)) * (at - a.at)) / (b.at - a.at);
}

/** Bytes and frames the report's timeline counted between two wall times (whole intervals within them). */
export function timelineBetween(report: RunReport, from: number, to: number): { bytes: number; frames: number; seconds: number } {
  let bytes = 0;
  let frames = 0;
  let seconds = 0;
  for (const interval of report.timeline) {
    if (interval.at < from || interval.at + interval.seconds * 1000 > to) continue;
    bytes += interval.bytesPerSecond * interval.seconds;
    frames += interval.fps * interval.seconds;
    seconds += interval.seconds;
  }
  return { bytes, frames, seconds };
}
