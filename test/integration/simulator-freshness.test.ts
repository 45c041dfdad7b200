import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import type { SimulatorOptions } from '../../src/sim/options.js';
import { captureStream, isJpeg, partArrivalTimes, splitSimulatorParts, type CapturedStream } from '../helpers/read-stream.js';

let sims: RunningSimulator[] = [];
afterEach(async () => {
  await Promise.all(sims.map((s) => s.close()));
  sims = [];
});

async function start(options: Partial<SimulatorOptions>): Promise<RunningSimulator> {
  const sim = await startSimulator({ cameras: 1, inactive: 0, fps: 50, frameBytes: 5_000, ...options });
  sims.push(sim);
  return sim;
}

interface ReceivedFrame {
  body: Buffer;
  stampText: string;
  /** Receive time − X-Timestamp in ms; the simulator runs in this process, so the clocks are the same. */
  ageMs: number;
}

/** Each complete part with its X-Timestamp and age; the arrival time is when its last byte had arrived. */
function receivedFrames(captured: CapturedStream): ReceivedFrame[] {
  const parts = splitSimulatorParts(captured.body);
  const arrivals = partArrivalTimes(captured, parts);
  return parts.map((part, i) => {
    const stampText = part.headers['x-timestamp'] ?? '';
    const arrivedEpochMs = performance.timeOrigin + (arrivals[i] ?? NaN);
    return { body: part.body, stampText, ageMs: arrivedEpochMs - Number(stampText) * 1000 };
  });
}

const quantile = (values: readonly number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
};

describe('frame freshness: X-Timestamp, freeze and lag', () => {
  it('stamps every part with its capture time: seconds.micros, monotonic, a few ms before it arrives', async () => {
    const sim = await start({});
    const frames = receivedFrames(await captureStream(sim.cameras[0]?.fr_url ?? '', { ms: 600 }));
    expect(frames.length).toBeGreaterThanOrEqual(20);
    for (const frame of frames) expect(frame.stampText).toMatch(/^\d{10}\.\d{6}$/);
    const stamps = frames.map((f) => Number(f.stampText));
    // Parts written in one catch-up tick share a capture time, so non-decreasing, and increasing overall.
    for (let i = 1; i < stamps.length; i++) expect(stamps[i]).toBeGreaterThanOrEqual(stamps[i - 1] ?? Infinity);
    expect((stamps.at(-1) ?? 0) - (stamps[0] ?? 0)).toBeGreaterThan(0.3);
    const ages = frames.map((f) => f.ageMs);
    // Never before the capture (a microsecond of rounding aside), and fresh without lag: what is left is this
    // process's own event-loop lateness, which a busy CI machine stretches to tens of ms (a lagged stream: 150).
    expect(Math.min(...ages)).toBeGreaterThan(-0.01);
    expect(quantile(ages, 0.5)).toBeLessThan(20);
    expect(quantile(ages, 0.9)).toBeLessThan(50);
    expect(sim.stats().totals).toMatchObject({ framesRepeated: 0, framesDelayed: 0, lagDelayMaxMs: 0 });
  });

  it('freeze re-sends the last frame byte for byte with its X-Timestamp, counted exactly in __stats', async () => {
    // Stalling after 40 parts makes the count exact: every part sent arrives before the client stops.
    const sim = await start({
      faults: { freeze: { value: { freshFrames: 5, repeatFrames: 4 }, share: 1 }, stallAfterFrames: { value: 40, share: 1 } },
    });
    const frames = receivedFrames(await captureStream(sim.cameras[0]?.fr_url ?? '', { ms: 1_300 }));
    expect(frames).toHaveLength(40);
    expect(frames.every((f) => isJpeg(f.body))).toBe(true);
    let repeated = 0;
    for (let i = 1; i < frames.length; i++) {
      const [previous, frame] = [frames[i - 1], frames[i]];
      if (!previous || !frame?.body.equals(previous.body)) continue;
      repeated++;
      expect(frame.stampText).toBe(previous.stampText);
    }
    // Cycles of 5 fresh + 4 repeats: 4 whole cycles (16 repeats), then 4 fresh frames.
    expect(repeated).toBe(16);
    const camera = sim.stats().cameras[0];
    expect(camera?.framesRepeated).toBe(repeated);
    expect(camera?.framesSent).toBe(40);
    expect(camera?.faults).toContain('freeze:5:4');
    expect(sim.stats().totals.framesRepeated).toBe(repeated);
    // A frozen picture grows old: the last repeat is at least 3 frame periods older than when it arrived.
    expect(frames[35]?.ageMs).toBeGreaterThan(3 * 20 - 5);
  });

  it('lag delays a share of streams increasingly; the age measured matches the delay __stats reports', async () => {
    const sim = await start({
      cameras: 2,
      faults: {
        lag: { value: { stepMsPerSecond: 200, maxMs: 150 }, share: 0.5 },
        stallAfterFrames: { value: 50, share: 1 },
      },
    });
    const captures = await Promise.all(sim.cameras.map((c) => captureStream(c.fr_url ?? '', { ms: 1_600 })));
    const stats = sim.stats();
    const lagged = stats.cameras.findIndex((c) => c.faults.includes('lag:200ms/s:150ms'));
    expect(lagged).not.toBe(-1);
    const clean = 1 - lagged;

    const laggedFrames = receivedFrames(captures[lagged] as CapturedStream);
    const laggedStats = stats.cameras[lagged];
    expect(laggedFrames).toHaveLength(50);
    expect(laggedStats?.framesSent).toBe(50);
    // Only the first few ms of the stream had a delay under a millisecond.
    expect(laggedStats?.framesDelayed).toBeGreaterThanOrEqual(45);
    const ages = laggedFrames.map((f) => f.ageMs);
    // The queue grows: from fresh to the cap (150 ms, reached after 0.75 s of the 1 s stream).
    expect(ages[0]).toBeLessThan(40);
    expect(ages.at(-1)).toBeGreaterThan(140);
    // The cap was reached; how far past it a frame went is the timers' lateness on a busy machine, which the
    // simulator counts too: the match below is the check, not a bound on lateness.
    expect(laggedStats?.lagDelayMaxMs).toBeGreaterThanOrEqual(150);
    // What the client measures is what the simulator says it added, never less (a frame cannot arrive before it
    // is sent), and more only by this process's event-loop lateness in reading it: a few ms on an idle machine,
    // up to tens on a busy CI machine (a 5 ms bound failed there at 5.8 ms), against a lag of 150 ms.
    const lateness = (measured: number, added: number | undefined): number => measured - (added ?? NaN);
    const readLateness = [lateness(Math.max(...ages), laggedStats?.lagDelayMaxMs), lateness(ages.at(-1) ?? NaN, laggedStats?.lagDelayLastMs)];
    for (const late of readLateness) {
      expect(late).toBeGreaterThan(-1);
      expect(late).toBeLessThan(40);
    }
    const measuredSum = ages.filter((a) => a >= 1).reduce((sum, a) => sum + a, 0);
    const sumLateness = lateness(measuredSum, laggedStats?.lagDelaySumMs);
    expect(sumLateness).toBeGreaterThan(-50);
    expect(sumLateness).toBeLessThan(40 * 50);

    const cleanFrames = receivedFrames(captures[clean] as CapturedStream);
    expect(cleanFrames).toHaveLength(50);
    expect(
      quantile(
        cleanFrames.map((f) => f.ageMs),
        0.9,
      ),
    ).toBeLessThan(50);
    expect(stats.cameras[clean]).toMatchObject({ framesDelayed: 0, lagDelaySumMs: 0, lagDelayMaxMs: 0 });
    expect(stats.totals.framesDelayed).toBe(laggedStats?.framesDelayed);
    expect(stats.totals.lagDelayMaxMs).toBe(laggedStats?.lagDelayMaxMs);
  });
});
