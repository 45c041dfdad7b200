import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { SlowClientPolicy } from '../../src/sim/options.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { parseSlowClient } from '../../src/options/simulate-options.js';
import { UsageError } from '../../src/errors.js';

// --slow-client, the ground truth for slow viewers: a viewer that stops reading (its response paused, so TCP's
// buffers fill as a slow phone's would) against each policy, over real sockets; the fleet's counters say what it
// did, and a viewer that keeps reading beside it is not hurt.

let sim: RunningSimulator | undefined;
const open: ClientRequest[] = [];
afterEach(async () => {
  for (const req of open.splice(0)) req.destroy();
  await sim?.close();
  sim = undefined;
});

/** A viewer of camera `id`'s stream: `reading` false pauses it after the headers (it never reads again). */
function viewer(url: string, reading: boolean): Promise<{ res: IncomingMessage; bytes: () => number; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, (res) => {
      let bytes = 0;
      const closed = new Promise<void>((done) => res.once('close', done));
      if (reading) res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      else res.pause();
      resolve({ res, bytes: () => bytes, closed });
    });
    req.on('error', reject);
    req.end();
    open.push(req);
  });
}

/** 2 cameras of 200 KB frames at 50 fps: 10 MB/s each, so a paused viewer fills loopback's buffers within a few seconds. */
async function fleet(slowClient: SlowClientPolicy): Promise<RunningSimulator> {
  sim = await startSimulator({ cameras: 2, inactive: 0, fps: 50, frameBytes: 200_000, distinctFrames: 2, slowClient });
  return sim;
}

const camera = (s: RunningSimulator, index: number) => s.stats().cameras[index];

/** Waits (bounded) until `done` holds, checking every 100 ms. */
async function until(done: () => boolean, ms: number): Promise<boolean> {
  const deadline = performance.now() + ms;
  while (!done()) {
    if (performance.now() >= deadline) return false;
    await sleep(100);
  }
  return true;
}

describe('--slow-client: what the fleet does for a viewer that stops reading', () => {
  it('drop (the default): skips its frames, holds only a few parts for it, never disconnects it; the reading viewer gets every frame', async () => {
    const s = await fleet({ policy: 'drop' });
    const stuck = await viewer(s.cameras[0]?.fr_url ?? '', false);
    const reader = await viewer(s.cameras[1]?.fr_url ?? '', true);
    expect(await until(() => (camera(s, 0)?.framesDropped ?? 0) > 20, 15_000)).toBe(true);
    const stuckCamera = camera(s, 0);
    expect(stuckCamera?.slowDisconnects).toBe(0);
    // Three parts of 200 KB at most beyond what the socket took (plus a part in flight).
    expect(stuckCamera?.peakQueuedBytes).toBeLessThanOrEqual(5 * 200_500);
    expect(stuck.res.destroyed).toBe(false);
    const readerCamera = camera(s, 1);
    expect(readerCamera?.framesDropped).toBe(0);
    expect(reader.bytes()).toBeGreaterThan(0);
  });

  it('queue:N: holds up to N frames for it, so the server holds far more than under drop, then skips', async () => {
    const s = await fleet({ policy: 'queue', frames: 40 });
    await viewer(s.cameras[0]?.fr_url ?? '', false);
    expect(await until(() => (camera(s, 0)?.framesDropped ?? 0) > 5, 20_000)).toBe(true);
    const stuckCamera = camera(s, 0);
    expect(stuckCamera?.peakQueuedBytes).toBeGreaterThan(30 * 200_000);
    expect(stuckCamera?.queuedBytes).toBeGreaterThan(30 * 200_000);
    expect(stuckCamera?.slowDisconnects).toBe(0);
  });

  it('disconnect:AFTER: ends its stream once it has been behind that long, and counts it', async () => {
    const s = await fleet({ policy: 'disconnect', afterMs: 500 });
    const stuck = await viewer(s.cameras[0]?.fr_url ?? '', false);
    const reader = await viewer(s.cameras[1]?.fr_url ?? '', true);
    expect(await until(() => (camera(s, 0)?.slowDisconnects ?? 0) === 1, 20_000)).toBe(true);
    // What the kernel still held reaches the viewer once it reads again; then its stream has ended.
    stuck.res.resume();
    await stuck.closed;
    expect(camera(s, 0)?.openStreams).toBe(0);
    expect(camera(s, 0)?.queuedBytes).toBe(0);
    // The viewer that reads is neither behind nor disconnected.
    expect(camera(s, 1)?.slowDisconnects).toBe(0);
    expect(reader.res.destroyed).toBe(false);
  });

  it.each([
    ['drop', { policy: 'drop' }],
    ['queue', { policy: 'queue', frames: 100 }],
    ['queue:25', { policy: 'queue', frames: 25 }],
    ['disconnect', { policy: 'disconnect', afterMs: 5_000 }],
    ['disconnect:1500ms', { policy: 'disconnect', afterMs: 1_500 }],
  ])('--slow-client %s', (text, policy) => {
    expect(parseSlowClient(text, '--slow-client')).toEqual(policy);
  });

  it.each(['', 'drop:3', 'queue:0', 'queue:x', 'disconnect:soon', 'wait'])('--slow-client %j is a usage error', (text) => {
    expect(() => parseSlowClient(text, '--slow-client')).toThrow(UsageError);
  });
});
