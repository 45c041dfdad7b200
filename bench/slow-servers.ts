import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Report, ViewerGroupReport } from '../src/report/report-types.js';
import { REAL_SERVERS, rssBytes, type RealServer } from './real-servers.js';

// Slow and stuck viewers against real MJPEG servers (issue 29), through the CLI users run: how each server treats a
// viewer that reads less than its stream, told from camera-load's report alone, with the server's RSS beside it.

const CLI = fileURLToPath(new URL('../../bin/camera-load.js', import.meta.url));
/** The slow viewer's rate: well under every stream here (1–5 MB/s), so its deficit fills the buffers in seconds. */
const SLOW_RATE = '1Mbps';

export interface ServerRun {
  server: string;
  streams: number;
  report: Report | null;
  /** Server RSS when the groups began and its largest after, bytes. */
  rssAtLeadIn: number | null;
  rssMax: number | null;
  facts: string;
  error?: string;
}

/** A free port on 127.0.0.1, and the one after it (motion's source) is most likely free too. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

/** camera-load run against `url`: one slow viewer and one stuck (or a single slow one), the rest normal. */
async function runCli(
  url: string,
  streams: number,
  seconds: number,
  leadIn: number,
  dir: string,
  pid: number,
): Promise<Omit<ServerRun, 'server' | 'streams' | 'facts'>> {
  const output = join(dir, `report-${pid}.json`);
  const viewers =
    streams === 1 ? ['--slow-viewers', `100%@${SLOW_RATE}`] : ['--slow-viewers', `${100 / streams}%@${SLOW_RATE}`, '--stuck-viewers', `${100 / streams}%`];
  // prettier-ignore
  const args = [CLI, 'run', '--url', url, '--max-streams', String(streams), '--streams-per-camera', String(streams), '--duration', `${seconds}s`,
    '--lead-in', `${leadIn}s`, ...viewers, '--output', output, '--log', join(dir, `log-${pid}.log`), '--quiet'];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const started = performance.now();
  let rssAtLeadIn: number | null = null;
  let rssMax: number | null = null;
  const state = { done: false };
  void exited.then(() => (state.done = true));
  while (!state.done) {
    const rss = rssBytes(pid);
    const at = (performance.now() - started) / 1000;
    // The CLI's own start (about 0.3 s) puts its run clock a little behind this one.
    if (rss !== null && at <= leadIn + 0.5) rssAtLeadIn = rss;
    if (rss !== null && at > leadIn) rssMax = Math.max(rssMax ?? 0, rss);
    await sleep(250);
  }
  try {
    return { report: JSON.parse(readFileSync(output, 'utf8')) as Report, rssAtLeadIn, rssMax };
  } catch {
    return { report: null, rssAtLeadIn, rssMax, error: `camera-load wrote no report (exit ${String(await exited)}): ${firstError(stderr)}` };
  }
}

/** The line that names a crash (e.g. undici's AssertionError), not the whole stack. */
const firstError = (stderr: string): string => (/^\w*Error.*$/m.exec(stderr)?.[0] ?? stderr.slice(-300)).replaceAll('|', '/');

async function measureServer(server: RealServer, seconds: number, leadIn: number, dir: string): Promise<ServerRun> {
  const base = { server: server.name, streams: server.streams, rssAtLeadIn: null, rssMax: null, facts: '' };
  let started;
  try {
    started = await server.start(dir, await freePort());
  } catch (error) {
    return { ...base, report: null, error: `could not start: ${(error as Error).message}` };
  }
  try {
    const run = await runCli(started.url, server.streams, seconds, leadIn, dir, started.pid);
    return { ...base, ...run, facts: started.facts() };
  } finally {
    await started.stop();
  }
}

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;
const errorsOf = (g: ViewerGroupReport): string =>
  Object.entries(g.summary.errors)
    .map(([code, n]) => `${code} ×${n}`)
    .join(', ');

/**
 * Pure: what the server did to one slow or stuck group, from the report (and the server's RSS growth, bytes):
 * disconnects (its connections ended), drops (frames skipped for it, told by capture times), queues (its delay
 * grew, or the server's memory did, without skips), or nothing camera-load can see.
 */
export function classify(group: ViewerGroupReport, normal: ViewerGroupReport | undefined, rssGrowth: number | null): string {
  const said: string[] = [];
  const ended = errorsOf(group);
  const skipped = group.summary.freshness.skippedFrames;
  const delay = group.summary.freshness.delayMs;
  if (group.summary.totalReconnections > 0 || ended !== '')
    said.push(`disconnects (${ended === '' ? `${group.summary.totalReconnections} reconnections` : ended})`);
  if (skipped !== null && skipped !== undefined && skipped > 0) said.push(`drops (${skipped} frames skipped)`);
  else if (delay.count > 0 && delay.p95 > 1_000) said.push(`queues (delay p95 ${Math.round(delay.p95)} ms, no skips)`);
  else if (rssGrowth !== null && rssGrowth > 20e6) said.push(`queues (server +${mb(rssGrowth)})`);
  if (said.length === 0) {
    const noTimes = (group.fill?.skipsKnown ?? 0) < (group.fill?.of ?? 0);
    // camera-load times new pictures only: a picture that never changes (ustreamer's blank) tells no skip either.
    said.push(
      noTimes
        ? 'no sign: skips not told (no capture times, or the same picture), no connection ended, server memory flat'
        : 'no sign: no skip, no connection ended',
    );
  }
  if (normal?.isolation?.holds === false) said.push('stalls everyone');
  return said.join('; ');
}

function rows(run: ServerRun): string[] {
  if (!run.report) return [`| ${run.server} | — | not measured: ${run.error ?? 'no report'} | | | | | | |`];
  const groups = run.report.viewerGroups ?? [];
  const normal = groups.find((g) => g.group === 'normal');
  const growth = run.rssAtLeadIn !== null && run.rssMax !== null ? run.rssMax - run.rssAtLeadIn : null;
  const iso = normal?.isolation;
  const isolation =
    normal === undefined || normal.summary.streamsPlanned === 0
      ? 'no normal viewer'
      : iso?.holds === true
        ? 'holds'
        : iso?.holds === false
          ? 'fails'
          : 'not judged';
  const fpsChange = iso?.fpsChangePct === null || iso?.fpsChangePct === undefined ? '—' : `${iso.fpsChangePct > 0 ? '+' : ''}${iso.fpsChangePct.toFixed(1)}%`;
  const rss = run.rssAtLeadIn === null || growth === null ? '—' : `${mb(run.rssAtLeadIn)} → +${mb(Math.max(0, growth))}`;
  return groups
    .filter((g) => g.group !== 'normal')
    .map((g) => {
      const fill = g.fill;
      const felt = fill === undefined ? '—' : `${fill.felt}/${fill.of}${fill.felt > 0 ? ` at ${fill.maxSeconds ?? '?'} s` : ''}`;
      const skipped = g.summary.freshness.skippedFrames ?? '— (no times)';
      const facts = run.facts === '' ? '' : ` (server: ${run.facts})`;
      return `| ${run.server} | ${g.group} (${g.behaviour}) | ${classify(g, normal, growth)}${facts} | ${felt} | ${skipped} | ${g.summary.avgFpsPerStream.toFixed(2)} | ${isolation} | ${fpsChange} | ${rss} |`;
    });
}

/** `npm run bench -- slow-servers [--seconds S]`: each real server on this machine with slow and stuck viewers. */
export async function runSlowServersBench(seconds = 60): Promise<string> {
  // ustreamer sends 1 picture a second and a stream's usual interval is learnt from 15: the lead-in is 20 s at least.
  const leadIn = Math.max(20, Math.round(seconds / 4));
  if (seconds <= leadIn + 5) throw new Error(`slow-servers needs --seconds above ${leadIn + 5} (the lead-in is ${leadIn} s)`);
  const dir = mkdtempSync(join(tmpdir(), 'slow-servers-'));
  const runs: ServerRun[] = [];
  const skipped: string[] = [];
  try {
    for (const server of REAL_SERVERS) {
      const missing = server.missing();
      if (missing !== undefined) skipped.push(`- ${server.name}: skipped, ${missing}`);
      else runs.push(await measureServer(server, seconds, leadIn, dir));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return [
    `${seconds} s a server, lead-in ${leadIn} s; slow viewers read at most ${SLOW_RATE}; 10 viewers (1 slow, 1 stuck, 8 normal) where the server serves several, loopback`,
    '| server | viewer | what the server did to it | felt (of, when after its start) | skipped frames | its fps | normal viewers | normal fps p5 change | server RSS at lead-in → growth |',
    '|---|---|---|---:|---:|---:|---|---:|---:|',
    ...runs.flatMap(rows),
    ...(skipped.length > 0 ? ['', ...skipped] : []),
  ].join('\n');
}
