import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Freshness } from '../../src/metrics/freshness.js';
import { percentiles } from '../../src/metrics/gap-histogram.js';
import { StreamStats } from '../../src/metrics/stream-stats.js';
import { freshnessHistograms, streamFreshness } from '../../src/report/freshness-report.js';
import type { StreamFreshness } from '../../src/report/report-types.js';
import { MjpegParser } from '../../src/mjpeg/mjpeg-parser.js';
import { PartBody } from '../../src/mjpeg/part-body.js';
import { buildFrameImages, MIN_FRAME_BYTES } from '../../src/sim/frame-images.js';

/** Nearest-rank percentiles of plain numbers: what the histogram must agree with. */
function exact(values: number[]): { p50: number; p95: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number): number => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
  return { p50: at(50), p95: at(95), max: sorted.at(-1) ?? 0 };
}

/** A stream's freshness as the report states it, after new pictures of these raw ages, 10 ms apart. */
function agesOf(ages: readonly number[]): StreamFreshness {
  const stats = new StreamStats(0, '1', 'one', 'http://127.0.0.1/');
  ages.forEach((age, i) => {
    stats.frame(100, i * 10, false, age);
  });
  return streamFreshness(stats, 1, freshnessHistograms(stats));
}

describe('Freshness: queueing delay from capture times', () => {
  it('delay is each age less the smallest, even when the smallest comes late', () => {
    const f = new Freshness();
    const ages = [40, 35, 60, 20, 25, 1020];
    ages.forEach((age, i) => {
      f.age(i * 200, age);
    });
    const p = percentiles(f.delays());
    expect(p.count).toBe(6);
    expect(p.max).toBe(1000);
    expect(f.finalDelayMs).toBe(1000);
    expect(f.minAgeMs).toBe(20);
    expect(exact(ages.map((a) => a - 20))).toEqual({ p50: p.p50, p95: p.p95, max: p.max });
  });

  it('any ages: the histogram of delays holds the exact delays to its precision (1 ms below 2 s)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5_000, max: 60_000 }), { minLength: 1, maxLength: 200 }), (ages) => {
        const f = new Freshness();
        ages.forEach((age, i) => {
          f.age(i * 10, age);
        });
        const min = Math.min(...ages);
        const delays = ages.map((a) => a - min);
        const p = percentiles(f.delays());
        const want = exact(delays);
        expect(p.count).toBe(ages.length);
        expect(p.max).toBe(want.max);
        // A bucket of HdrHistogram (3 digits) is 1 ms wide below 2,048 and 1/1024 of its value above; the shift
        // by the minimum keeps the width of the bucket the relative age (age − the first frame's) fell in.
        const widest = Math.max(...ages.map((a) => Math.abs(a - (ages[0] ?? 0))), want.max);
        for (const key of ['p50', 'p95'] as const) expect(Math.abs(p[key] - want[key])).toBeLessThanOrEqual(widest < 2048 ? 0 : widest / 1024);
      }),
    );
  });

  it('any ages of one clock: the raw ages read back are those in −1 s..1 h (negative as 0), the rest counted out of range', () => {
    // One camera clock: ages near this machine's, or all far off (a clock counting from the camera's start).
    const clock = fc.oneof(
      fc.array(fc.oneof(fc.integer({ min: -3_000, max: 5_000 }), fc.integer({ min: -1_001, max: -999 })), { minLength: 1, maxLength: 100 }),
      fc.array(
        fc.integer({ min: 0, max: 5_000 }).map((a) => 1.7e12 + a),
        { minLength: 1, maxLength: 20 },
      ),
    );
    fc.assert(
      fc.property(clock, (ages) => {
        const read = agesOf(ages);
        const inRange = ages.filter((a) => a >= -1_000 && a <= 3_600_000).map((a) => Math.max(0, a));
        expect(read.agesOutOfRange).toBe(ages.length - inRange.length);
        // Beyond 2 s from the first frame's age a bucket is 2 ms wide or more: an age within a bucket of −1 s may
        // fall on either side of it (and the smallest age is rounded to the ms).
        const onTheEdge = ages.filter((a) => Math.abs(a + 1_000) <= 8).length;
        expect(Math.abs(read.ageMs.count - inRange.length)).toBeLessThanOrEqual(onTheEdge);
        if (inRange.length > 0 && read.ageMs.count === inRange.length) {
          const p = read.ageMs;
          const want = exact(inRange);
          // HdrHistogram reads a bucket's top: 1 ms wide below 2,048 ms, 1/1024 of the value above; and the ages are
          // read back from the delays (each age less the smallest), so an age keeps the width of its delay's bucket
          // (fast-check found ages −1,518 and 531: a delay of 2,049 ms, in a bucket 2 ms wide).
          const spread = Math.max(...ages) - Math.min(...ages);
          const tolerance = Math.max(want.p50 < 2_048 ? 0 : want.p50 / 1024, spread < 2_048 ? 0 : spread / 1024 + 1);
          expect(Math.abs(p.p50 - want.p50)).toBeLessThanOrEqual(tolerance);
          expect(p.max).toBe(want.max);
        }
      }),
    );
  });

  it('a camera clock that jumps by over an hour: named, the ages out of range counted, no delay, age or trend read from it', () => {
    const read = agesOf([1.7e12, 40, 1.7e12 + 200]);
    expect(read.clock).toBe('jumped');
    expect(read.agesOutOfRange).toBe(2);
    expect(read.ageMs.count).toBe(0);
    expect(read.delayMs.count).toBe(0);
    expect(read.delayHistogram).toBe('');
    expect([read.lastDelayMs, read.delayTrendMsPerSecond, read.growingDelay]).toEqual([null, null, false]);
    expect(read.ageRangeMs).toEqual({ min: 40, max: 1.7e12 + 200 });
  });

  it('a capture time that stands still while the pictures change is a stuck clock, not a queue that never drains', () => {
    const stats = new StreamStats(0, '1', 'one', 'http://127.0.0.1/');
    // 5 fps for 10 s, every new picture stamped with the same capture time: its age rises 1 s per second.
    for (let i = 0; i <= 50; i++) stats.frame(100, i * 200, false, 30 + i * 200);
    const read = streamFreshness(stats, 10_000, freshnessHistograms(stats));
    expect(read.clock).toBe('stuck');
    expect(read.growingDelay).toBe(false);
    expect(read.delayMs.count).toBe(0);
    // A real queue rises by less than the time that passes: it stays a queue.
    const queue = new StreamStats(1, '2', 'two', 'http://127.0.0.1/');
    for (let i = 0; i <= 50; i++) queue.frame(100, i * 200, false, 30 + i * 100);
    const queued = streamFreshness(queue, 10_000, freshnessHistograms(queue));
    expect(queued.clock).toBeNull();
    expect(queued.growingDelay).toBe(true);
  });

  it('a steady rise is a trend in ms per second; a flat delay is none', () => {
    const rising = new Freshness();
    const flat = new Freshness();
    for (let i = 0; i <= 50; i++) {
      rising.age(i * 200, 30 + i * 20); // +100 ms per second
      flat.age(i * 200, 30 + (i % 3));
    }
    expect(rising.trend()?.msPerSecond).toBeCloseTo(100, 6);
    expect(rising.trend()?.r2).toBeCloseTo(1, 6);
    expect(rising.trend()?.seconds).toBe(10);
    expect(Math.abs(flat.trend()?.msPerSecond ?? 1)).toBeLessThan(0.5);
  });

  it('frames without a capture time leave the delay unmeasured', () => {
    const stats = new StreamStats(0, '1', 'one', 'http://127.0.0.1/');
    for (let i = 0; i < 10; i++) stats.frame(100, i * 200, false, Number.NaN);
    const f = stats.freshness;
    expect(f.timestamped).toBe(0);
    expect(f.finalDelayMs).toBeNull();
    expect(f.trend()).toBeNull();
    expect(f.delays().totalCount).toBe(0);
  });

  it('raw ages outside −1 s..1 h (a camera clock not synced, or counting from its own start) are counted, not recorded', () => {
    // A camera clock a little ahead (−5 ms): its age counts as 0, not as out of range.
    const read = agesOf([-1_250, -1_100, 30, -5]);
    expect(read.agesOutOfRange).toBe(2);
    expect(read.ageMs).toMatchObject({ count: 2, p50: 0, max: 30 });
    expect(read.ageRangeMs?.min).toBe(-1_250);
  });

  it('a repeated picture is not aged: its old capture time is the freeze, not a queue', () => {
    const stats = new StreamStats(0, '1', 'one', 'http://127.0.0.1/');
    stats.frame(100, 0, false, 20);
    for (let i = 1; i <= 10; i++) stats.frame(100, i * 200, true, 20 + i * 200);
    stats.frame(100, 2_200, false, 21);
    expect(stats.freshness.timestamped).toBe(2);
    expect(stats.freshness.repeated).toBe(10);
    expect(percentiles(stats.freshness.delays()).max).toBe(1);
  });
});

describe('repeated pictures and FROZEN', () => {
  it('counts the repeats the parser tells, and one FROZEN event per freeze longer than the timeout', () => {
    const stats = new StreamStats(0, '1', 'one', 'http://127.0.0.1/', { freezeTimeoutMs: 1_000 });
    const events: number[] = [];
    stats.onEvent = (_s, event) => {
      if (event.type === 'frozen') events.push(event.t);
    };
    let t = 0;
    const send = (repeats: number): void => {
      stats.frame(500, t, false);
      for (let i = 0; i < repeats; i++) stats.frame(500, (t += 200), true);
      t += 200;
    };
    send(0);
    send(10); // the picture of t=200 until t=2,200: frozen over 1 s at t=1,400
    send(3); // 600 ms: not frozen
    const f = stats.freshness;
    expect(f.repeated).toBe(13);
    expect(f.frozen).toBe(1);
    expect(events).toEqual([1_400]);
    expect(f.longestFreezeMs).toBe(2_000);
  });

  it('the parser tells a repeat by length and fingerprint, per connection: a reconnection starts afresh', () => {
    const part = (jpeg: string): Buffer => Buffer.from(`--frame\r\nContent-Type: image/jpeg\r\n\r\n${jpeg}\r\n`, 'latin1');
    const A = '\xff\xd8picture A\xff\xd9';
    const longerA = '\xff\xd8 picture A\xff\xd9';
    const repeats = (parts: Buffer[]): boolean[] => {
      const seen: boolean[] = [];
      const parser = new MjpegParser({ boundary: 'frame', onFrame: (_size, _at, repeated) => seen.push(repeated) });
      for (const p of parts) parser.push(p);
      parser.end();
      return seen;
    };
    expect(repeats([part(A), part(A), part(longerA), part(longerA)])).toEqual([false, true, false, true]);
    // A new connection is a new parser: its first frame repeats nothing, whatever came before the drop.
    expect(repeats([part(A)])).toEqual([false]);
  });
});

/** The fingerprint of each frame, read whole as a part's body (as the parser keeps it). */
function fingerprints(frames: readonly Buffer[]): number[] {
  const body = new PartBody('--frame'.length, () => 0);
  return frames.map((frame) => {
    body.reset();
    body.add(frame, 0, frame.length);
    return body.fingerprint();
  });
}

/** Whether each frame repeated the one before, sent in this order with their lengths. */
function repeatsOf(frames: readonly Buffer[]): boolean[] {
  const seen: boolean[] = [];
  const parser = new MjpegParser({ boundary: 'frame', onFrame: (_size, _at, repeated) => seen.push(repeated) });
  for (const frame of frames) {
    parser.push(Buffer.from(`--frame\r\nContent-Type: image/jpeg\r\nContent-Length: ${frame.length}\r\n\r\n`, 'latin1'));
    parser.push(frame);
    parser.push(Buffer.from('\r\n', 'latin1'));
  }
  parser.push(Buffer.from('--frame--\r\n', 'latin1'));
  parser.end();
  return seen;
}

describe("the simulator's distinct frames are never taken for repeats", () => {
  // Every frame of a set has the same length, so the fingerprint alone must tell them apart: pairwise distinct
  // fingerprints, and through the parser, a set sent in order and then backwards has no repeat but the turn.
  it.each([
    [MIN_FRAME_BYTES, 729],
    [5_000, 729],
    [30_000, 60],
  ])('%i-byte frames, a set of %i: pairwise distinct fingerprints', (targetBytes, count) => {
    const frames = buildFrameImages({ count, targetBytes, seed: 1 });
    const seen = fingerprints(frames);
    expect(seen).toHaveLength(count);
    expect(new Set(seen).size).toBe(count);
    const repeats = repeatsOf([...frames, ...[...frames].reverse()]);
    expect(repeats).toHaveLength(2 * count);
    expect(repeats.flatMap((repeated, i) => (repeated ? [i] : []))).toEqual([count]);
  });
});

describe('defaults', () => {
  it('a plan without freshness options freezes after the CLI default', async () => {
    const { DEFAULT_FRESHNESS } = await import('../../src/metrics/freshness.js');
    const { DEFAULTS } = await import('../../src/options/defaults.js');
    const { parseDuration } = await import('../../src/options/units.js');
    expect(DEFAULT_FRESHNESS.freezeTimeoutMs).toBe(parseDuration(DEFAULTS.freezeTimeout, '--freeze-timeout'));
  });
});
