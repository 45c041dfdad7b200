import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FreshnessOptions } from '../../src/metrics/freshness.js';
import type { Report, StreamReport } from '../../src/report/report-types.js';
import { Runner } from '../../src/run/runner.js';
import { testPlan, testReport } from '../helpers/run-plan.js';
import { tempDir } from '../helpers/temp-dir.js';
import { freePort } from '../helpers/free-port.js';

// Freshness against real MJPEG servers (Debian's ffmpeg and ustreamer, installed by test/system-packages.sh), on
// 127.0.0.1: no timestamps gives no age rather than a wrong one; a still picture is counted as repeats and a
// moving one never is; ustreamer's X-Timestamp is read as seconds.

const has = (command: string): boolean => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
const FFMPEG = has('ffmpeg');
const USTREAMER = has('ustreamer');
const missing = (what: string): string => ` (skipped: ${what} is not installed; test/system-packages.sh installs it)`;

const dir = tempDir('real-mjpeg');
let children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children = [];
});

/**
 * Waits (bounded) until something listens on `port`, from /proc/net/tcp: a probe connection would take ffmpeg's
 * one client (-listen 1 serves a single connection).
 */
async function listening(port: number, child: ChildProcess, log: () => string, timeoutMs = 15_000): Promise<void> {
  const hexPort = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const until = performance.now() + timeoutMs;
  while (performance.now() < until) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}) before listening: ${log()}`);
    const tables = ['/proc/net/tcp', '/proc/net/tcp6'].filter((file) => existsSync(file)).map((file) => readFileSync(file, 'utf8'));
    // Each row: sl local_address rem_address st ...; st 0A is LISTEN.
    const rows = tables.flatMap((table) => table.split('\n').slice(1)).map((row) => row.trim().split(/\s+/));
    if (rows.some((row) => row[1]?.endsWith(hexPort) === true && row[3] === '0A')) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nothing listened on ${port} within ${timeoutMs} ms: ${log()}`);
}

function start(command: string, args: string[]): { child: ChildProcess; log: () => string } {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < 20_000) stderr += chunk.toString();
  });
  return { child, log: () => stderr };
}

/** One stream from `url` for `durationMs` through the engine; the report users get. */
async function measure(url: string, durationMs: number, freshness?: FreshnessOptions): Promise<{ stream: StreamReport; summary: Report['summary'] }> {
  const plan = testPlan([{ id: 'real', name: 'real', streamUrl: url }], {
    durationMs,
    // ustreamer without a device sends a frame a second: never a stall.
    stallTimeoutMs: 10_000,
    ...(freshness ? { freshness } : {}),
  });
  const outcome = await new Runner(plan).run(new AbortController().signal);
  const report = testReport(outcome, durationMs);
  const stream = report.streams[0];
  if (!stream) throw new Error('no stream');
  return { stream, summary: report.summary };
}

/** ffmpeg serving `input` as multipart JPEG (mpjpeg, boundary 'ffmpeg') to one client, at the input's own rate. */
async function ffmpegServer(input: string[], codec: string[]): Promise<string> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const { child, log } = start('ffmpeg', [
    '-hide_banner',
    '-loglevel',
    'error',
    '-nostdin',
    '-re',
    ...input,
    '-t',
    '30',
    ...codec,
    '-f',
    'mpjpeg',
    '-listen',
    '1',
    url,
  ]);
  await listening(port, child, log);
  return url;
}

describe.skipIf(!FFMPEG)(`ffmpeg -f mpjpeg -listen 1: a real MJPEG server without timestamps${FFMPEG ? '' : missing('ffmpeg')}`, () => {
  it('a moving test picture: frames counted, 0 repeats, and no age or delay rather than a wrong one', async () => {
    const url = await ffmpegServer(['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=10'], ['-c:v', 'mjpeg', '-q:v', '5']);
    const { stream, summary } = await measure(url, 2_500);
    const f = stream.freshness;
    const detail = JSON.stringify({ ...stream, frameGapHistogram: undefined, events: undefined });
    expect(stream.frames, detail).toBeGreaterThanOrEqual(10);
    expect(stream.corruptFrames, detail).toBe(0);
    expect(stream.reconnections, detail).toBe(0);
    expect(f.repeatedFrames, detail).toBe(0);
    expect(f.frozen).toBe(0);
    // ffmpeg stamps nothing: no source, no age, no delay; nothing counted as unreadable either.
    expect(f.timestamp).toBeNull();
    expect(f.timestampedFrames).toBe(0);
    expect(f.invalidTimestamps).toBe(0);
    expect(f.delayMs.count).toBe(0);
    expect(f.lastDelayMs).toBeNull();
    expect(f.ageRangeMs).toBeNull();
    expect(summary.freshness.ageMs).toBeNull();
    expect(summary.freshness.delayMs.count).toBe(0);
    expect(summary.freshness.timestampedStreams).toBe(0);
    // Fresh fps is fps when nothing repeats.
    expect(f.freshFps).toBe(stream.fps);
  });

  it('a still picture (the same JPEG copied into every part): every frame after the first a repeat, one FROZEN event', async () => {
    const still = join(dir, 'still.jpg');
    const made = spawnSync(
      'ffmpeg',
      ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', '-f', 'lavfi', '-i', 'testsrc=size=320x240', '-frames:v', '1', still],
      { timeout: 20_000 },
    );
    expect(made.status, made.stderr.toString()).toBe(0);
    const url = await ffmpegServer(['-loop', '1', '-framerate', '10', '-i', still], ['-c:v', 'copy']);
    const { stream, summary } = await measure(url, 2_500, { freezeTimeoutMs: 1_000 });
    const f = stream.freshness;
    const detail = JSON.stringify({ ...stream, frameGapHistogram: undefined });
    expect(stream.frames, detail).toBeGreaterThanOrEqual(10);
    expect(stream.corruptFrames, detail).toBe(0);
    expect(stream.reconnections, detail).toBe(0);
    expect(f.repeatedFrames, detail).toBe(stream.frames - 1);
    // Still for the whole run, well over a second: one FROZEN event, not one per frame.
    expect(f.frozen, detail).toBe(1);
    expect(stream.events.filter((e) => e.type === 'frozen')).toHaveLength(1);
    expect(f.freshFps).toBeLessThan(1);
    expect(f.timestamp).toBeNull();
    expect(summary.freshness.ageMs).toBeNull();
    expect(summary.freshness.streamsFrozen).toBe(1);
  });
});

describe.skipIf(!USTREAMER)(`ustreamer: a real MJPEG server that stamps X-Timestamp${USTREAMER ? '' : missing('ustreamer')}`, () => {
  // With no capture device, ustreamer still serves /stream: its NO SIGNAL picture, once a second, each part
  // stamped with X-Timestamp (seconds.micros) like its camera frames. A device path that cannot exist keeps a
  // machine's real camera out of it.
  it('without a device: its NO SIGNAL picture repeated, X-Timestamp read in seconds on this machine clock', async () => {
    const port = await freePort();
    const { child, log } = start('ustreamer', [
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--device',
      '/dev/camera-load-no-such-device',
      '--no-log-colors',
    ]);
    await listening(port, child, log);
    const { stream, summary } = await measure(`http://127.0.0.1:${port}/stream`, 4_500, { freezeTimeoutMs: 1_500 });
    const f = stream.freshness;
    const detail = JSON.stringify({ ...stream, frameGapHistogram: undefined, log: log().slice(-2_000) });
    expect(stream.frames, detail).toBeGreaterThanOrEqual(3);
    expect(stream.corruptFrames, detail).toBe(0);
    expect(f.timestamp, detail).toEqual({ header: 'X-Timestamp', unit: 's' });
    // ustreamer stamps every part, the repeats too, but only a new picture is aged: here the first one.
    expect(f.timestampedFrames, detail).toBe(stream.frames - f.repeatedFrames);
    expect(f.invalidTimestamps).toBe(0);
    expect(f.delayMs.count).toBe(f.timestampedFrames);
    // The same machine's clock on both sides: no age absurd (a wrong unit would put them decades off), none more
    // than a rounding in the future. ustreamer stamps in ms (1796322738.223000) and this process's clock is
    // performance.timeOrigin's, so an age can come out a fraction of a millisecond below 0 (seen: -0.071 ms): it
    // counts as 0, not as out of range.
    expect(f.ageRangeMs?.min, detail).toBeGreaterThan(-5);
    expect(f.ageRangeMs?.max, detail).toBeLessThan(60_000);
    expect(f.agesOutOfRange, detail).toBe(0);
    expect(summary.freshness.ageMs?.count, detail).toBe(f.timestampedFrames);
    // The picture never changes: a repeat each time, and one FROZEN event once it stood still over 1.5 s.
    expect(f.repeatedFrames, detail).toBe(stream.frames - 1);
    expect(f.frozen, detail).toBe(1);
  });
});
