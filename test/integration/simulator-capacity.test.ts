import { setTimeout as sleep } from 'node:timers/promises';
import { connect } from 'node:net';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { captureStream, partArrivalTimes, splitSimulatorParts } from '../helpers/read-stream.js';

let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const urls = (s: RunningSimulator): string[] => s.cameras.filter((c) => c.status === 1).map((c) => c.fr_url ?? '');

function measuredFps(captured: Awaited<ReturnType<typeof captureStream>>): number {
  const times = partArrivalTimes(captured, splitSimulatorParts(captured.body));
  return (times.length - 1) / (((times.at(-1) ?? 0) - (times[0] ?? 0)) / 1000);
}

describe('capacity model', () => {
  it('--max-clients: the stream beyond N concurrent clients gets 503 with Retry-After', async () => {
    sim = await startSimulator({ cameras: 5, inactive: 0, maxClients: 3, frameBytes: 2_000 });
    const streamUrls = urls(sim);
    const open = await Promise.all(streamUrls.slice(0, 3).map((url) => request(url)));
    expect(open.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    const refused = await request(streamUrls[3] ?? '');
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    await refused.body.dump();
    expect(sim.stats().totals.rejected).toBe(1);

    // Capacity frees up as soon as a client leaves.
    open[0]?.body.destroy();
    await sleep(100);
    const again = await request(streamUrls[4] ?? '');
    expect(again.statusCode).toBe(200);
    again.body.destroy();
    for (const r of open) r.body.destroy();
    expect(sim.stats().peakOpenStreams).toBe(3);
  });

  it('--bandwidth: above the budget every stream slows in proportion; below it, full rate', async () => {
    // 4 streams × 10 fps × ~20 KB = ~800 KB/s of demand against a 400 KB/s budget: ~5 fps each.
    sim = await startSimulator({ cameras: 4, inactive: 0, fps: 10, frameBytes: 20_000, bandwidthBytesPerSecond: 400_000 });
    const captures = await Promise.all(urls(sim).map((url) => captureStream(url, { ms: 3_200 })));
    for (const captured of captures) {
      const fps = measuredFps(captured);
      expect(fps).toBeGreaterThan(4.5);
      expect(fps).toBeLessThan(5.5);
    }
    const totalBytes = sim.stats().totals.bytesSent;
    expect(totalBytes / 3.2).toBeLessThan(400_000 * 1.1);
  });

  it('--bandwidth: a single stream under the budget keeps its full frame rate', async () => {
    sim = await startSimulator({ cameras: 1, inactive: 0, fps: 10, frameBytes: 20_000, bandwidthBytesPerSecond: 400_000 });
    const captured = await captureStream(urls(sim)[0] ?? '', { ms: 2_200 });
    const fps = measuredFps(captured);
    expect(fps).toBeGreaterThan(9.5);
    expect(fps).toBeLessThan(10.5);
    expect(sim.stats().bandwidthScale).toBe(1);
  });

  it('drops frames for a client that stops reading instead of buffering them, and counts the drops', async () => {
    sim = await startSimulator({ cameras: 1, inactive: 0, fps: 100, frameBytes: 200_000, distinctFrames: 2 });
    const url = new URL(urls(sim)[0] ?? '');
    const socket = connect(Number(url.port), url.hostname);
    socket.write(`GET ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\n\r\n`);
    socket.pause();
    await sleep(2_000);
    const camera = sim.stats().cameras[0];
    socket.destroy();
    expect(camera?.framesDropped).toBeGreaterThan(50);
    // What was written is bounded by the socket buffers, not by time × rate (200 frames × 200 KB = 40 MB).
    expect((camera?.framesSent ?? 0) * 200_000).toBeLessThan(20_000_000);
  });
});
