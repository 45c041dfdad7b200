import { request, type IncomingMessage } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { startSimulator } from '../src/sim/simulator.js';

// A slow viewer as the server feels it (issue 29): one stream at 200 KB/s (25 fps × 8 KB) read at 100 KB/s by a
// reader that pauses and resumes its response, against the simulator with a queue it never fills
// (--slow-client queue), so its queued bytes show the moment the server starts to hold what the viewer did not take.
// The fill time is how long the kernel's buffers (the server's send buffer, the reader's receive buffer) hide the
// slow reader; the bytes in flight then are what they held.

const STREAM_BYTES_PER_SECOND = 25 * 8_000;
const READ_BYTES_PER_SECOND = 100_000;
/** The server holds this much beyond its socket before the queue counts as felt: a part and a half. */
const FELT_BYTES = 12_000;

interface Sample {
  atMs: number;
  sent: number;
  read: number;
  queued: number;
}

/** Reads `res` at `rate` bytes per second: pauses when ahead of the budget, resumes when the budget allows. */
function pacedReader(res: IncomingMessage, rate: number, checkMs: number): { read: () => number; stop: () => void } {
  let read = 0;
  const started = performance.now();
  res.on('data', (chunk: Buffer) => {
    read += chunk.length;
    if (read > ((performance.now() - started) / 1000) * rate) res.pause();
  });
  const timer = setInterval(() => {
    if (res.isPaused() && read <= ((performance.now() - started) / 1000) * rate) res.resume();
  }, checkMs);
  return {
    read: () => read,
    stop: () => {
      clearInterval(timer);
    },
  };
}

async function measure(seconds: number, checkMs: number): Promise<Sample[]> {
  const sim = await startSimulator({
    cameras: 1,
    inactive: 0,
    fps: 25,
    frameBytes: 8_000,
    distinctFrames: 2,
    slowClient: { policy: 'queue', frames: 100_000 },
  });
  const url = sim.cameras[0]?.fr_url ?? '';
  const res = await new Promise<IncomingMessage>((resolve, reject) => request(url, resolve).on('error', reject).end());
  const reader = pacedReader(res, READ_BYTES_PER_SECOND, checkMs);
  const samples: Sample[] = [];
  const started = performance.now();
  for (let i = 0; i < seconds * 2; i++) {
    await sleep(500);
    const camera = sim.stats().cameras[0];
    samples.push({ atMs: performance.now() - started, sent: camera?.bytesSent ?? 0, read: reader.read(), queued: camera?.queuedBytes ?? 0 });
  }
  reader.stop();
  res.destroy();
  await sim.close();
  return samples;
}

function describe(samples: readonly Sample[], checkMs: number): string {
  const felt = samples.find((s) => s.queued > FELT_BYTES);
  const last = samples.at(-1);
  const kb = (bytes: number): string => `${Math.round(bytes / 1000).toLocaleString('en-US')} KB`;
  const feltText = felt === undefined ? `not within ${((last?.atMs ?? 0) / 1000).toFixed(0)} s` : `${(felt.atMs / 1000).toFixed(1)} s`;
  const inFlight = felt === undefined ? (last ? last.sent - last.read : 0) : felt.sent - felt.read - felt.queued;
  const rate = last ? (last.read / last.atMs) * 1000 : 0;
  return `| ${checkMs} ms | ${feltText} | ${kb(inFlight)} | ${kb(last?.queued ?? 0)} | ${kb(rate)}/s |`;
}

/** `npm run bench -- slow-reader [--seconds S]`: the fill time of one paced reader, for two pacing granularities. */
export async function runSlowReaderBench(seconds = 60): Promise<string> {
  const rows: string[] = [];
  for (const checkMs of [10, 100]) rows.push(describe(await measure(seconds, checkMs), checkMs));
  return [
    `One stream at ${STREAM_BYTES_PER_SECOND / 1000} KB/s read at ${READ_BYTES_PER_SECOND / 1000} KB/s (pause/resume), ${seconds} s, loopback`,
    '| resume check | server felt it after | held by the kernel then | queued at the server at the end | read rate |',
    '|---|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
}
