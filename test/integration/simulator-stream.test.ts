import jpeg from 'jpeg-js';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import type { SimulatorOptions } from '../../src/sim/options.js';
import { captureStream, isJpeg, partArrivalTimes, splitSimulatorParts } from '../helpers/read-stream.js';

let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function start(options: Partial<SimulatorOptions>): Promise<RunningSimulator> {
  sim = await startSimulator({ inactive: 0, ...options });
  return sim;
}

function streamUrls(s: RunningSimulator): string[] {
  return s.cameras.filter((c) => c.status === 1).map((c) => c.fr_url ?? '');
}

describe('simulated MJPEG streams', () => {
  it('sends multipart/x-mixed-replace parts byte for byte in the documented format, with decodable JPEGs', async () => {
    const s = await start({ cameras: 1, fps: 20, frameBytes: 20_000 });
    const captured = await captureStream(streamUrls(s)[0] ?? '', { ms: 600 });
    expect(captured.statusCode).toBe(200);
    expect(captured.headers['content-type']).toBe('multipart/x-mixed-replace; boundary=frame');
    const parts = splitSimulatorParts(captured.body);
    expect(parts.length).toBeGreaterThanOrEqual(5);
    // Rebuild the exact bytes of the complete parts and compare with what arrived.
    const expected = Buffer.concat(
      parts.map((p) =>
        Buffer.concat([
          Buffer.from(`--frame\r\nContent-Type: image/jpeg\r\nContent-Length: ${p.body.length}\r\n` + `X-Timestamp: ${p.headers['x-timestamp'] ?? ''}\r\n\r\n`),
          p.body,
          Buffer.from('\r\n'),
        ]),
      ),
    );
    expect(captured.body.subarray(0, expected.length).equals(expected)).toBe(true);
    for (const part of parts) {
      expect(Object.keys(part.headers)).toEqual(['content-type', 'content-length', 'x-timestamp']);
      expect(part.headers['x-timestamp']).toMatch(/^\d+\.\d{6}$/);
      expect(part.body.length).toBe(20_000);
      expect(isJpeg(part.body)).toBe(true);
      const image = jpeg.decode(part.body, { useTArray: true });
      expect(image.width).toBeGreaterThan(0);
      expect(image.height).toBeGreaterThan(0);
    }
    // Distinct images, not one frame repeated.
    expect(new Set(parts.map((p) => p.body.toString('base64'))).size).toBeGreaterThan(1);
  });

  it('keeps the frame rate within 5% over 5 s, and __stats matches what the clients received', async () => {
    const s = await start({ cameras: 4, fps: 10, frameBytes: 10_000 });
    const captures = await Promise.all(streamUrls(s).map((url) => captureStream(url, { ms: 5_200 })));
    for (const captured of captures) {
      const times = partArrivalTimes(captured, splitSimulatorParts(captured.body));
      const span = ((times.at(-1) ?? 0) - (times[0] ?? 0)) / 1000;
      expect(span).toBeGreaterThan(4.5);
      const fps = (times.length - 1) / span;
      expect(fps).toBeGreaterThan(9.5);
      expect(fps).toBeLessThan(10.5);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stats = s.stats();
    const received = captures.reduce((sum, c) => sum + splitSimulatorParts(c.body).length, 0);
    // Each client stopped mid-stream: at most one part per connection was still in flight.
    expect(stats.totals.framesSent).toBeGreaterThanOrEqual(received);
    expect(stats.totals.framesSent).toBeLessThanOrEqual(received + captures.length);
    expect(stats.totals.connections).toBe(4);
    expect(stats.peakOpenStreams).toBe(4);
  });
});
