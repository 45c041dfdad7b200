import { afterEach, describe, expect, it } from 'vitest';
import type { Camera } from '../../src/cameras/camera.js';
import { buildReport } from '../../src/report/build-report.js';
import { Runner } from '../../src/run/runner.js';
import type { SimulatorOptions } from '../../src/sim/options.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { schemaErrors } from '../helpers/report-schema.js';
import { testPlan } from '../helpers/run-plan.js';
import { activeCameras } from '../helpers/fleet.js';

let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function fleet(options: Partial<SimulatorOptions>): Promise<{ sim: RunningSimulator; cameras: Camera[] }> {
  sim = await startSimulator({ inactive: 0, frameBytes: 5_000, ...options });
  const cameras = activeCameras(sim);
  return { sim, cameras };
}

const plan = testPlan;

const report = (outcome: Awaited<ReturnType<Runner['run']>>, requested: number) =>
  buildReport({
    version: 'test',
    config: {},
    cameras: { listed: requested, active: requested, skipped: 0 },
    streamsRequested: requested,
    streamsPerCamera: 1,
    targetDurationMs: 2_000,
    outcome,
  });

describe('run engine against the simulated fleet', () => {
  it('counts exactly the frames the fleet sent (one in flight per stream at most)', async () => {
    // 10 fps: a frame in flight when the run ends is one frame, even on a busy machine.
    const { sim, cameras } = await fleet({ cameras: 6, fps: 10 });
    const outcome = await new Runner(plan(cameras)).run(new AbortController().signal);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const sent = sim.stats().cameras;
    for (const stream of outcome.streams) {
      const server = sent.find((c) => String(c.id) === stream.cameraId);
      expect(server?.framesSent).toBeGreaterThanOrEqual(stream.frames);
      expect((server?.framesSent ?? 0) - stream.frames).toBeLessThanOrEqual(server?.connections ?? 0);
      expect(stream.frames).toBeGreaterThan(15);
    }
    const r = report(outcome, 6);
    expect(r.summary.streamsOpened).toBe(6);
    expect(r.summary.totalReconnections).toBe(0);
    expect(r.summary.streamsOpenAtEnd).toBe(6);
    // 10 fps nominal; the first frame comes at once, so 2 s hold up to 21 frames (10.5 fps), plus timer jitter.
    expect(r.summary.avgFpsPerStream).toBeGreaterThan(8.5);
    expect(r.summary.avgFpsPerStream).toBeLessThanOrEqual(10.8);
    expect(r.summary.frameGapMs.p50).toBeGreaterThanOrEqual(90);
    expect(r.summary.frameGapMs.p50).toBeLessThanOrEqual(110);
    expect(r.timeline.length).toBeGreaterThanOrEqual(6);
    // No sample that is not one: every row at least half an interval long, none faster than 6 streams at 10 fps
    // allow (what the stop settles is no sliver of its own).
    for (const row of r.timeline) {
      expect(row.seconds).toBeGreaterThanOrEqual(0.125);
      expect(row.fps).toBeLessThanOrEqual(6 * 10 * 1.5);
    }
    expect(r.timeline.at(-1)?.openStreams).toBe(6);
    // The rows hold every frame but those the stop confirmed: at most one per stream.
    const inRows = r.timeline.reduce((sum, row) => sum + row.fps * row.seconds, 0);
    expect(inRows).toBeLessThanOrEqual(r.summary.totalFrames + 0.5);
    expect(inRows).toBeGreaterThanOrEqual(r.summary.totalFrames - 6 - 0.5);
  });

  it('dropped connections: every frame counted, every reconnection counted per camera', async () => {
    const { sim, cameras } = await fleet({ cameras: 4, fps: 50, faults: { dropEveryFrames: { value: 10, share: 0.5 } } });
    const outcome = await new Runner(plan(cameras)).run(new AbortController().signal);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stats = sim.stats().cameras;
    for (const stream of outcome.streams) {
      const server = stats.find((c) => String(c.id) === stream.cameraId);
      expect(stream.reconnections).toBe((server?.connections ?? 0) - 1);
      if (server?.faults.length) {
        expect(stream.reconnections).toBeGreaterThan(2);
        // Each reconnection follows exactly one ended connection (one more if the run ended during a backoff).
        const ended = Object.values(stream.errors).reduce((a, b) => a + b, 0);
        expect(ended - stream.reconnections, JSON.stringify(stream.errors)).toBeGreaterThanOrEqual(0);
        expect(ended - stream.reconnections, JSON.stringify(stream.errors)).toBeLessThanOrEqual(1);
        expect(stream.errors.ECONNRESET ?? 0, JSON.stringify(stream.errors)).toBeGreaterThanOrEqual(ended - 1);
        // Dropped connections deliver their last frame whole: only the open one can be in flight.
        expect(server.framesSent - stream.frames).toBeLessThanOrEqual(1);
      } else {
        expect(stream.reconnections).toBe(0);
      }
    }
    const r = report(outcome, 4);
    expect(r.summary.streamsWithReconnections).toBe(2);
    expect(schemaErrors(JSON.parse(JSON.stringify(r)))).toBe('');
    // The schema is strict: a report missing a field, or with one of the wrong kind, is refused.
    const broken = JSON.parse(JSON.stringify(r)) as { summary: Record<string, unknown>; streams: Record<string, unknown>[] };
    delete broken.summary.totalFrames;
    if (broken.streams[0]) broken.streams[0].fps = 'fast';
    expect(schemaErrors(broken)).toMatch(/totalFrames/);
    expect(schemaErrors(broken)).toMatch(/fps/);
  });

  it('stalls are detected by the watchdog and reconnected', async () => {
    const { cameras } = await fleet({ cameras: 1, fps: 20, faults: { stallAfterFrames: { value: 3, share: 1 } } });
    const outcome = await new Runner(plan(cameras, { stallTimeoutMs: 300, durationMs: 1_500 })).run(new AbortController().signal);
    const stream = outcome.streams[0];
    expect(stream?.stalls).toBeGreaterThanOrEqual(2);
    expect(stream?.errors.STALL).toBe(stream?.stalls);
    // Three frames per connection; the last connection may have been cut by the end of the run.
    expect(stream?.frames).toBeGreaterThanOrEqual(3 * ((stream?.attempts ?? 0) - 1));
    expect(stream?.frames).toBeLessThanOrEqual(3 * (stream?.attempts ?? 0));
  });

  it('refused streams (--max-clients) are counted by code and never open', async () => {
    const { cameras } = await fleet({ cameras: 5, maxClients: 3 });
    const outcome = await new Runner(plan(cameras, { durationMs: 1_200 })).run(new AbortController().signal);
    const r = report(outcome, 5);
    expect(r.summary.streamsOpened).toBe(3);
    expect(r.summary.errors.HTTP_503).toBeGreaterThanOrEqual(2);
    expect(r.analysis.recommendations.join(' ')).toMatch(/refused the streams beyond those that opened \(HTTP 503\/429\): it looks capped there/);
  });

  it('non-stream answers: 404, an HTML page', async () => {
    const { cameras } = await fleet({ cameras: 2, faults: { errorResponse: { value: 'html', share: 0.5 } } });
    const outcome = await new Runner(plan(cameras, { durationMs: 800 })).run(new AbortController().signal);
    const codes = outcome.streams.map((s) => Object.keys(s.errors).join());
    expect(codes).toContain('NOT_MULTIPART');
    expect(outcome.streams.filter((s) => s.opened)).toHaveLength(1);
  });

  it('an interrupt ends the run early, marked interrupted, with everything measured so far', async () => {
    const { cameras } = await fleet({ cameras: 2, fps: 20 });
    const controller = new AbortController();
    setTimeout(() => {
      controller.abort();
    }, 500);
    const started = performance.now();
    const outcome = await new Runner(plan(cameras, { durationMs: 30_000 })).run(controller.signal);
    // Far below the 30 s it was planned for; generous enough for a loaded 2-core machine.
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(outcome.interrupted).toBe(true);
    expect(outcome.streams.every((s) => s.frames > 3)).toBe(true);
  });
});

describe('parser and fleet agree under every wire-format fault', () => {
  it.each<[string, Partial<SimulatorOptions>]>([
    ['clean', {}],
    ['corrupt part every 4', { faults: { corruptEveryFrames: { value: 4, share: 1 } } }],
    ['no Content-Length', { faults: { noContentLength: { value: true, share: 1 } } }],
    ['LF-only line endings', { faults: { lfOnly: { value: true, share: 1 } } }],
    ['LF-only without Content-Length', { faults: { lfOnly: { value: true, share: 1 }, noContentLength: { value: true, share: 1 } } }],
    ['quoted boundary', { faults: { boundaryStyle: { value: 'quoted', share: 1 } } }],
    ['capitalised boundary', { faults: { boundaryStyle: { value: 'capitalised', share: 1 } } }],
    ['headers after 300 ms', { faults: { headerDelayMs: { value: 300, share: 1 } } }],
    ['drop every 7 frames, no Content-Length', { faults: { dropEveryFrames: { value: 7, share: 1 }, noContentLength: { value: true, share: 1 } } }],
  ])('%s: frames and corrupt parts match what was sent', async (_, options) => {
    const { sim, cameras } = await fleet({ cameras: 3, fps: 25, frameBytes: 8_000, ...options });
    const outcome = await new Runner(plan(cameras, { durationMs: 1_500 })).run(new AbortController().signal);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const sent = sim.stats().cameras;
    for (const stream of outcome.streams) {
      const server = sent.find((c) => String(c.id) === stream.cameraId);
      const inFlight = server?.connections ?? 0;
      expect(stream.frames).toBeGreaterThan(10);
      expect(server?.framesSent ?? 0).toBeGreaterThanOrEqual(stream.frames);
      expect((server?.framesSent ?? 0) - stream.frames).toBeLessThanOrEqual(inFlight);
      expect(server?.corruptSent ?? 0).toBeGreaterThanOrEqual(stream.parsed.counters.corruptFrames);
      expect((server?.corruptSent ?? 0) - stream.parsed.counters.corruptFrames).toBeLessThanOrEqual(inFlight);
      expect(stream.parsed.counters.truncatedParts).toBe(0);
      expect(stream.parsed.counters.emptyParts + stream.parsed.counters.nonImageParts).toBe(0);
    }
  });
});
