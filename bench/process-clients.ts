// The processes the whole-process bench (bench/process.ts) times from outside: `camera-load run` as a user starts
// it, the bare undici client (bench/raw-client.ts) with and without camera-load's V8 flags, and the engine phase by
// phase (bench/phases.ts); each against bench/lean-server.ts in its own process.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GC_FLAGS } from '../src/launcher/gc-tuning.js';
import { streamUrls, type PhasesResult } from './phases.js';
import { quietRunArgs, timed, type LeanServer, type Timed } from './timing.js';

export const CLI = fileURLToPath(new URL('../../bin/camera-load.js', import.meta.url));
export const RAW = fileURLToPath(new URL('./raw-client.js', import.meta.url));
export const PHASES = fileURLToPath(new URL('./phases.js', import.meta.url));

/** Who ran: camera-load, another checkout's camera-load (--compare), the bare undici client, and it with GC_FLAGS. */
export type ClientKind = 'camera-load' | 'compared' | 'bare' | 'bare+flags';

export interface ClientRun extends Timed {
  kind: ClientKind;
  bytes: number;
  /** camera-load only: frames its report counted, and frames the server wrote from the process's start to its exit. */
  frames?: { counted: number; sent: number };
  firstFrameP50Ms?: number;
  firstFrameMaxMs?: number;
  /** A camera-load run that wrote no report: where its log was kept (the run's folder is removed at the end). */
  keptLog?: string;
  /** The lean server's CPU over the run. */
  serverCpuSeconds?: number;
}

/** The cameras of a run, as `--cameras-file` reads them: cameras 101, 102, … of the lean server. */
export function writeCamerasFile(path: string, port: number, streams: number): void {
  const cameras = streamUrls(port, streams).map((url, i) => ({ id: String(101 + i), name: `Camera ${101 + i}`, status: 1, fr_url: url }));
  writeFileSync(path, JSON.stringify(cameras));
}

interface ReportSummary {
  totalBytes: number;
  totalFrames: number;
  timeToFirstFrameMs: { p50: number; max: number } | null;
}

/** `camera-load run` (`cli`: a bin/camera-load.js), quiet, writing its report into `dir`: the launcher and the process it starts. */
export async function cameraLoadRun(
  kind: ClientKind,
  cli: string,
  run: { dir: string; camerasFile: string; streams: number; seconds: number; tag: string },
  server: LeanServer,
): Promise<ClientRun> {
  const report = join(run.dir, `report-${run.tag}.json`);
  const args = quietRunArgs({ camerasFile: run.camerasFile, streams: run.streams, seconds: run.seconds, report, log: join(run.dir, `log-${run.tag}.log`) });
  const sentFrom = await server.framesSent();
  const timing = await timed([process.execPath, cli, ...args], (run.seconds + 60) * 1000);
  const sent = (await server.framesSent()) - sentFrom;
  const summary = existsSync(report) ? (JSON.parse(readFileSync(report, 'utf8')) as { summary: ReportSummary }).summary : undefined;
  return {
    ...timing,
    ...(summary ? {} : { keptLog: keepLog(join(run.dir, `log-${run.tag}.log`), run.tag) }),
    kind,
    bytes: summary?.totalBytes ?? NaN,
    frames: { counted: summary?.totalFrames ?? NaN, sent },
    firstFrameP50Ms: summary?.timeToFirstFrameMs?.p50 ?? NaN,
    firstFrameMaxMs: summary?.timeToFirstFrameMs?.max ?? NaN,
  };
}

function keepLog(log: string, tag: string): string {
  const kept = join(tmpdir(), 'bench-process-logs');
  mkdirSync(kept, { recursive: true });
  const path = join(kept, `${new Date().toISOString().replace(/[:.]/g, '-')}-${tag}.log`);
  if (existsSync(log)) copyFileSync(log, path);
  return existsSync(log) ? path : `(no log written at ${log})`;
}

/** bench/raw-client.ts as one writes and starts it (`node raw-client.js PORT STREAMS SECONDS`), or with camera-load's GC_FLAGS. */
export async function bareRun(kind: 'bare' | 'bare+flags', port: number, streams: number, seconds: number): Promise<ClientRun> {
  const flags = kind === 'bare' ? [] : GC_FLAGS;
  const timing = await timed([process.execPath, ...flags, RAW, String(port), String(streams), String(seconds)], (seconds + 60) * 1000);
  const line = timing.stdout.trim().split('\n').at(-1) ?? '';
  const bytes = line.startsWith('{') ? ((JSON.parse(line) as { bytes?: number }).bytes ?? NaN) : NaN;
  return { ...timing, kind, bytes };
}

/** camera-load's engine in one process, phase by phase (bench/phases.ts, or another checkout's), with the flags `run` relaunches Node with. */
export async function phases(
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
