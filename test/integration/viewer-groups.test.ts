import { afterEach, describe, expect, it } from 'vitest';
import { SLOW_VIEWER_BURST_MS } from '../../src/connection/viewer-pacing.js';
import type { Report } from '../../src/report/report-types.js';
import { Runner } from '../../src/run/runner.js';
import type { RunOutcome } from '../../src/metrics/run-outcome.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import type { ViewerPlan } from '../../src/viewers.js';
import type { SlowClientPolicy } from '../../src/sim/options.js';
import { activeCameras } from '../helpers/fleet.js';
import { schemaErrors } from '../helpers/report-schema.js';
import { testGroupedPlan, testReport } from '../helpers/run-plan.js';

// Slow, pausing and stuck viewers through the runner users run, against the simulated fleet over real sockets:
// each reads as its group says once the lead-in is over, none is called stalled or reconnected by camera-load for
// reading less on purpose, and the normal viewers beside them read on.

let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

/** 20 fps of 10 KB frames: 200 KB/s a stream. */
const FPS = 20;
const FRAME_BYTES = 10_000;

async function run(cameras: number, viewers: ViewerPlan, durationMs: number): Promise<{ outcome: RunOutcome; report: Report; sim: RunningSimulator }> {
  const s = await startSimulator({ cameras, inactive: 0, fps: FPS, frameBytes: FRAME_BYTES, distinctFrames: 4 });
  sim = s;
  const fleet = activeCameras(s);
  const outcome = await new Runner(testGroupedPlan(fleet, viewers, { durationMs, stallTimeoutMs: 1_000 })).run(new AbortController().signal);
  const report = testReport(outcome, durationMs, { viewers });
  return { outcome, report, sim: s };
}

const of = (outcome: RunOutcome, group: string) => outcome.streams.filter((s) => s.viewers === group);

describe('viewer groups against the simulated fleet', () => {
  it('a slow viewer reads at its rate from the lead-in on; the normal ones read the whole stream', async () => {
    const rate = 40_000;
    const { outcome, report, sim: fleet } = await run(4, { behaviours: [{ group: 'slow', share: 0.5, bytesPerSecond: rate }], leadInMs: 1_000 }, 4_000);
    const slow = of(outcome, 'slow');
    const normal = of(outcome, 'normal');
    expect(slow).toHaveLength(2);
    expect(normal).toHaveLength(2);
    for (const s of slow) {
      // The lead-in at full speed (200 KB/s), then the rate for 3 s; beyond it, the burst a slow viewer reads ahead, the chunk read before a hold
      // and what undici holds unread (16 KiB).
      expect(s.bytes).toBeLessThanOrEqual(FPS * FRAME_BYTES * 1.2 + rate * (3 + SLOW_VIEWER_BURST_MS / 1000) + 64 * 1024 + 16 * 1024);
      expect(s.stalls).toBe(0);
      expect(s.reconnections).toBe(0);
    }
    for (const s of normal) expect(s.bytes).toBeGreaterThan(FPS * FRAME_BYTES * 3);
    // Every frame read whole is counted; what a slow viewer left unread when the run stopped sat in the buffers:
    // never more than they hold (some MB on loopback), and never a frame counted that was not sent.
    await new Promise((resolve) => setTimeout(resolve, 100));
    for (const s of outcome.streams) {
      const sent = fleet.stats().cameras.find((c) => String(c.id) === s.cameraId)?.framesSent ?? 0;
      expect(s.frames).toBeLessThanOrEqual(sent);
      expect((sent - s.frames) * FRAME_BYTES).toBeLessThanOrEqual(s.viewers === 'normal' ? 2 * FRAME_BYTES : 16_000_000);
    }
    expect(report.viewerGroups?.map((g) => [g.group, g.summary.streamsPlanned])).toEqual([
      ['normal', 2],
      ['slow', 2],
    ]);
    expect(report.viewerGroups?.[1]?.behaviour).toBe('reads at most 320 kbit/s, 40 kB/s');
    expect(report.streams.every((s) => s.viewers !== undefined)).toBe(true);
    expect(schemaErrors(report)).toBe('');
  });

  it('pausing and stuck viewers hold their reading past the stall timeout: never a stall, never a reconnection', async () => {
    const viewers: ViewerPlan = {
      behaviours: [
        { group: 'pausing', share: 0.25, pauseMs: 2_000, everyMs: 2_500 },
        { group: 'stuck', share: 0.25 },
      ],
      leadInMs: 1_000,
    };
    const { outcome, report } = await run(4, viewers, 4_000);
    const [pausing] = of(outcome, 'pausing');
    const [stuck] = of(outcome, 'stuck');
    const normal = of(outcome, 'normal');
    for (const s of [pausing, stuck]) {
      expect(s?.stalls).toBe(0);
      expect(s?.reconnections).toBe(0);
      expect(s?.openAtEnd).toBe(true);
    }
    const normalFrames = Math.min(...normal.map((s) => s.frames));
    // A stuck viewer reads the lead-in's frames (about 20), then the rest of the chunk its last frame came in.
    expect(stuck?.frames ?? 0).toBeLessThan(normalFrames / 2);
    // Paused for 2 s: a gap that long, where the normal viewers saw none. (Its frames are not fewer by as much:
    // 2 s at 200 KB/s fit in loopback's buffers, and are read at once when it reads again.)
    expect(pausing?.gaps.maxValue ?? 0).toBeGreaterThanOrEqual(1_900);
    for (const s of normal) expect(s.gaps.maxValue).toBeLessThan(1_000);
    expect(normal.every((s) => s.stalls === 0 && s.reconnections === 0)).toBe(true);
    expect(report.viewerGroups?.map((g) => g.group)).toEqual(['normal', 'pausing', 'stuck']);
    expect(report.viewerGroups?.find((g) => g.group === 'normal')?.summary.fpsPerStream.min).toBeGreaterThan(FPS * 0.7);
    expect(schemaErrors(report)).toBe('');
  });
});

/**
 * A run of 2 slow viewers (at 3 MB/s, from 3 s on: the lead-in's second half, the normal viewers' baseline, must hold
 * a second of frames for each) beside 2 normal ones, of 200 KB frames at 50 fps (10 MB/s a stream): loopback's
 * buffers (some MB) fill within a second of the lead-in, and the slow viewers read past what they held within the run.
 */
async function slowAgainst(slowClient: SlowClientPolicy): Promise<{ report: Report; sim: RunningSimulator }> {
  const s = await startSimulator({ cameras: 4, inactive: 0, fps: 50, frameBytes: 200_000, distinctFrames: 2, slowClient });
  sim = s;
  const fleet = activeCameras(s);
  const viewers: ViewerPlan = { behaviours: [{ group: 'slow', share: 0.5, bytesPerSecond: 3_000_000 }], leadInMs: 3_000 };
  const outcome = await new Runner(testGroupedPlan(fleet, viewers, { durationMs: 9_000, stallTimeoutMs: 3_000 })).run(new AbortController().signal);
  const report = testReport(outcome, 9_000, { viewers });
  return { report, sim: s };
}

const group = (report: Report, name: string) => report.viewerGroups?.find((g) => g.group === name);
/** The fleet's counters for the cameras of one group's streams. */
const truth = (report: Report, s: RunningSimulator, name: string) => {
  const ids = new Set(report.streams.filter((stream) => stream.viewers === name).map((stream) => stream.cameraId));
  return s.stats().cameras.filter((c) => ids.has(String(c.id)));
};

// Each --slow-client policy told apart by camera-load's figures alone, the simulator's counters as the truth.
describe('slow viewers against each --slow-client policy of the simulated fleet', () => {
  it('drop: camera-load counts frames skipped for the slow viewers and says when the server felt them; the normal ones are not hurt', async () => {
    const { report, sim: s } = await slowAgainst({ policy: 'drop' });
    const slow = group(report, 'slow');
    const dropped = truth(report, s, 'slow').reduce((n, c) => n + c.framesDropped, 0);
    expect(dropped).toBeGreaterThan(0);
    expect(slow?.summary.freshness.skippedFrames).toBeGreaterThan(10);
    // Skips are told from capture-time jumps: never more than the fleet dropped.
    expect(slow?.summary.freshness.skippedFrames).toBeLessThanOrEqual(dropped);
    expect(slow?.fill?.felt).toBe(2);
    expect(slow?.fill?.p50Seconds).not.toBeNull();
    expect(slow?.summary.totalReconnections).toBe(0);
    expect(truth(report, s, 'slow').every((c) => c.slowDisconnects === 0)).toBe(true);
    const normal = group(report, 'normal');
    // The fleet drops nothing for them; a pacing tick of its own late by most of an interval on a loaded machine reads as one.
    expect(truth(report, s, 'normal').every((c) => c.framesDropped === 0)).toBe(true);
    expect(normal?.summary.freshness.skippedFrames).toBeLessThanOrEqual(5);
    expect(normal?.isolation?.holds).toBe(true);
    expect(schemaErrors(report)).toBe('');
  });

  it('disconnect: the slow viewers felt by their connections ending, and reconnected; the normal ones are not hurt', async () => {
    // Behind for 50 ms: at 3 MB/s a frame gets through every 67 ms, so a longer grace would never end it. (A slower
    // viewer is ended too, but sees it only once it has read what the buffers held before the end: seconds later.)
    const { report, sim: s } = await slowAgainst({ policy: 'disconnect', afterMs: 50 });
    const slow = group(report, 'slow');
    expect(truth(report, s, 'slow').reduce((n, c) => n + c.slowDisconnects, 0)).toBeGreaterThan(0);
    expect(slow?.summary.totalReconnections).toBeGreaterThan(0);
    expect(slow?.fill?.felt).toBe(2);
    expect(Object.keys(slow?.summary.errors ?? {}).length).toBeGreaterThan(0);
    expect(group(report, 'normal')?.summary.totalReconnections).toBe(0);
    expect(group(report, 'normal')?.isolation?.holds).toBe(true);
  });

  it('queue: no frame skipped and no connection ended, but the slow viewers fall behind while the fleet holds their frames', async () => {
    const { report, sim: s } = await slowAgainst({ policy: 'queue', frames: 10_000 });
    const slow = group(report, 'slow');
    expect(truth(report, s, 'slow').reduce((n, c) => Math.max(n, c.peakQueuedBytes), 0)).toBeGreaterThan(1_000_000);
    // The fleet drops none; a pacing tick of its own late by most of an interval on a loaded machine reads as one skip.
    expect(truth(report, s, 'slow').every((c) => c.framesDropped === 0)).toBe(true);
    expect(slow?.summary.freshness.skippedFrames).toBeLessThanOrEqual(5);
    expect(slow?.summary.totalReconnections).toBe(0);
    expect(slow?.summary.errors).toEqual({});
    // Behind by a second or more: what the queue and the kernel's buffers held, read at 3 MB/s.
    expect(slow?.summary.freshness.delayMs.p95).toBeGreaterThan(1_000);
  });
});
