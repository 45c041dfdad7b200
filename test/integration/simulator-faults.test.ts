import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import type { SimulatorFaults, SimulatorOptions } from '../../src/sim/options.js';
import { captureStream, isJpeg, splitSimulatorParts } from '../helpers/read-stream.js';

let sims: RunningSimulator[] = [];
afterEach(async () => {
  await Promise.all(sims.map((s) => s.close()));
  sims = [];
});

async function start(faults: SimulatorFaults, options: Partial<SimulatorOptions> = {}): Promise<RunningSimulator> {
  const sim = await startSimulator({ cameras: 1, inactive: 0, fps: 50, frameBytes: 5_000, faults, ...options });
  sims.push(sim);
  return sim;
}
const firstUrl = (s: RunningSimulator): string => s.cameras[0]?.fr_url ?? '';
const all = 1;

describe('fault injection', () => {
  it('drop every N frames: the connection closes right after the Nth frame, which arrives whole', async () => {
    const sim = await start({ dropEveryFrames: { value: 5, share: all } });
    const captured = await captureStream(firstUrl(sim), { ms: 2_000 });
    expect(captured.outcome).toBe('error');
    const parts = splitSimulatorParts(captured.body);
    expect(parts).toHaveLength(5);
    expect(parts.every((p) => isJpeg(p.body))).toBe(true);
    const camera = sim.stats().cameras[0];
    expect(camera?.framesSent).toBe(5);
    expect(camera?.serverDrops).toBe(1);
    expect(camera?.openStreams).toBe(0);
  });

  it('stall after N frames: N frames, then silence on an open connection', async () => {
    const sim = await start({ stallAfterFrames: { value: 3, share: all } });
    const captured = await captureStream(firstUrl(sim), { ms: 1_000 });
    expect(captured.outcome).toBe('aborted');
    expect(splitSimulatorParts(captured.body)).toHaveLength(3);
    expect(sim.stats().cameras[0]?.framesSent).toBe(3);
    expect(captured.chunks.at(-1)?.at ?? 0).toBeLessThan(captured.startedAt + 500);
  });

  it('stall after 0 frames: headers, then nothing', async () => {
    const sim = await start({ stallAfterFrames: { value: 0, share: all } });
    const captured = await captureStream(firstUrl(sim), { ms: 500 });
    expect(captured.statusCode).toBe(200);
    expect(captured.body.length).toBe(0);
  });

  it.each([
    [503, 'application/json'],
    [404, 'application/json'],
  ] as const)('respond with %i', async (status, type) => {
    const sim = await start({ errorResponse: { value: status, share: all } });
    const captured = await captureStream(firstUrl(sim), { ms: 1_000 });
    expect(captured.statusCode).toBe(status);
    expect(captured.headers['content-type']).toBe(type);
    if (status === 503) expect(captured.headers['retry-after']).toBe('5');
    expect(captured.outcome).toBe('ended');
  });

  it('respond with a 200 HTML page', async () => {
    const sim = await start({ errorResponse: { value: 'html', share: all } });
    const captured = await captureStream(firstUrl(sim), { ms: 1_000 });
    expect(captured.statusCode).toBe(200);
    expect(captured.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(captured.body.toString()).toContain('<html>');
    expect(sim.stats().cameras[0]?.framesSent).toBe(0);
  });

  it('delays the response headers', async () => {
    const sim = await start({ headerDelayMs: { value: 400, share: all } });
    const captured = await captureStream(firstUrl(sim), { ms: 1_000 });
    expect(captured.statusCode).toBe(200);
    expect(captured.headersAt - captured.startedAt).toBeGreaterThanOrEqual(390);
  });

  it('a corrupt (non-JPEG) part every N frames', async () => {
    const sim = await start({ corruptEveryFrames: { value: 3, share: all } });
    const captured = await captureStream(firstUrl(sim), { ms: 400 });
    const parts = splitSimulatorParts(captured.body);
    expect(parts.length).toBeGreaterThanOrEqual(9);
    parts.forEach((part, i) => {
      expect(isJpeg(part.body)).toBe((i + 1) % 3 !== 0);
      expect(part.headers['content-type']).toBe('image/jpeg');
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const camera = sim.stats().cameras[0];
    expect(camera?.corruptSent).toBe(Math.floor(((camera?.framesSent ?? 0) + (camera?.corruptSent ?? 0)) / 3));
  });

  it('parts without Content-Length', async () => {
    const sim = await start({ noContentLength: { value: true, share: all } });
    const captured = await captureStream(firstUrl(sim), { ms: 300 });
    const parts = splitSimulatorParts(captured.body);
    expect(parts.length).toBeGreaterThanOrEqual(3);
    for (const part of parts) {
      expect(Object.keys(part.headers)).toEqual(['content-type', 'x-timestamp']);
      expect(isJpeg(part.body)).toBe(true);
    }
  });

  it('LF-only line endings', async () => {
    const sim = await start({ lfOnly: { value: true, share: all } });
    const captured = await captureStream(firstUrl(sim), { ms: 300 });
    expect(captured.body.subarray(0, 100).toString('latin1')).toMatch(/^--frame\nContent-Type: image\/jpeg\nContent-Length: \d+\nX-Timestamp: \d+\.\d{6}\n\n/);
    const parts = splitSimulatorParts(captured.body, '\n');
    expect(parts.length).toBeGreaterThanOrEqual(3);
    expect(parts.every((p) => isJpeg(p.body))).toBe(true);
  });

  it.each([
    ['quoted', 'multipart/x-mixed-replace; boundary="frame"'],
    ['capitalised', 'Multipart/X-Mixed-Replace; Boundary=frame'],
  ] as const)('%s boundary parameter', async (style, header) => {
    const sim = await start({ boundaryStyle: { value: style, share: all } });
    const captured = await captureStream(firstUrl(sim), { ms: 200 });
    expect(captured.headers['content-type']).toBe(header);
    expect(splitSimulatorParts(captured.body).length).toBeGreaterThanOrEqual(1);
  });

  it('applies a fault to exactly its share of cameras, the same ones under the same seed', async () => {
    const faults: SimulatorFaults = { dropEveryFrames: { value: 5, share: 0.3 }, noContentLength: { value: true, share: 0.5 } };
    const faulted = async (seed: number) => {
      const sim = await start(faults, { cameras: 10, seed });
      const cameras = sim.stats().cameras;
      return {
        drop: cameras.filter((c) => c.faults.includes('drop-every:5')).map((c) => c.id),
        noLength: cameras.filter((c) => c.faults.includes('no-content-length')).map((c) => c.id),
      };
    };
    const a = await faulted(7);
    expect(a.drop).toHaveLength(3);
    expect(a.noLength).toHaveLength(5);
    expect(await faulted(7)).toEqual(a);
    const others = await Promise.all([8, 9, 10].map(faulted));
    expect(others.some((o) => o.drop.join() !== a.drop.join())).toBe(true);
  });

  it('faulty and clean cameras side by side: only the chosen ones misbehave', async () => {
    const sim = await start({ errorResponse: { value: 503, share: 0.5 } }, { cameras: 4 });
    const statuses = await Promise.all(sim.cameras.map(async (c) => (await captureStream(c.fr_url ?? '', { ms: 150 })).statusCode));
    expect(statuses.filter((s) => s === 503)).toHaveLength(2);
    expect(statuses.filter((s) => s === 200)).toHaveLength(2);
  });
});
