import { afterEach, describe, expect, it } from 'vitest';
import { Runner } from '../../src/run/runner.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { activeCameras } from '../helpers/fleet.js';
import { testPlan, testReport } from '../helpers/run-plan.js';
import { schemaErrors } from '../helpers/report-schema.js';
import { renderSummary } from '../../src/render/summary.js';

// Reconnect storms (--storm-at) through the runner users run, against the simulated fleet over real sockets: every
// open stream is dropped at once by the client, reconnects under its backoff (or at once), and the drop is counted
// as the client's, never the server's.

let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const FPS = 20;
/** The backoff's draw, fixed: 0.999 of the ceiling, so the first retry after a storm waits 49 ms of its 50. */
const DRAW = 0.999;

describe('reconnect storms against the simulated fleet', () => {
  it('drops every open stream at each storm; each comes back, and neither the drop nor the time away is the server’s', async () => {
    const s = await startSimulator({ cameras: 4, inactive: 0, fps: FPS, frameBytes: 5_000, distinctFrames: 4 });
    sim = s;
    const storms = [
      { atMs: 1_000, immediate: false },
      { atMs: 2_000, immediate: true },
    ];
    const outcome = await new Runner(testPlan(activeCameras(s), { durationMs: 3_000, storms, random: () => DRAW })).run(new AbortController().signal);
    const report = testReport(outcome, 3_000);
    const [backoff, immediate] = report.storms ?? [];
    for (const storm of [backoff, immediate]) {
      expect(storm).toMatchObject({ viewers: 4, recovered: 4, attempts: 4, errors: {} });
      expect(storm?.recoveryAllMs).not.toBeNull();
    }
    // Under its backoff (base 50 ms, the draw fixed), no viewer was back before its wait was over.
    expect(backoff?.recoveryMs.p50).toBeGreaterThanOrEqual(Math.floor(DRAW * 50));
    for (const stream of outcome.streams) {
      expect(stream.reconnections).toBe(0);
      expect(stream.errors).toEqual({});
      expect(stream.visits.framed).toBe(3);
      // No gap across a drop: each visit's first frame records none.
      expect(stream.gaps.totalCount).toBe(stream.frames - 3);
      expect(stream.events.filter((e) => e.type === 'depart')).toHaveLength(2);
    }
    for (const stream of report.streams) expect(stream.uptime).toBeGreaterThan(0.8);
    expect(report.summary.totalReconnections).toBe(0);
    expect(schemaErrors(report)).toBe('');
    expect(renderSummary(report)).toContain('4 of 4 dropped viewers had a frame again');
    // Every frame counted was sent, and no more than a frame in flight per stream was lost to a drop.
    await new Promise((resolve) => setTimeout(resolve, 100));
    for (const stream of outcome.streams) {
      const sent = s.stats().cameras.find((c) => String(c.id) === stream.cameraId)?.framesSent ?? 0;
      expect(stream.frames).toBeLessThanOrEqual(sent);
    }
  });

  it('a stream that is not open at the storm is left alone', async () => {
    const s = await startSimulator({ cameras: 2, inactive: 0, fps: FPS, frameBytes: 5_000, distinctFrames: 4 });
    sim = s;
    // The second stream starts after the storm (a ramp-up of 2 s over 2 streams: at 0 and 1 s; the storm at 500 ms).
    const outcome = await new Runner(testPlan(activeCameras(s), { durationMs: 2_000, rampUpMs: 2_000, storms: [{ atMs: 500, immediate: true }] })).run(
      new AbortController().signal,
    );
    const [storm] = testReport(outcome, 2_000).storms ?? [];
    expect(storm).toMatchObject({ viewers: 1, recovered: 1 });
    expect(outcome.streams[1]?.visits.framed).toBe(1);
  });
});
