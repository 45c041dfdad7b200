import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Freshness } from '../../src/metrics/freshness.js';
import { percentiles } from '../../src/metrics/gap-histogram.js';
import { MjpegParser } from '../../src/mjpeg/mjpeg-parser.js';
import { buildFrameImages, MIN_FRAME_BYTES } from '../../src/sim/frame-images.js';

/** Nearest-rank percentiles of plain numbers: what the histogram must agree with. */
function exact(values: number[]): { p50: number; p95: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number): number => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
  return { p50: at(50), p95: at(95), max: sorted.at(-1) ?? 0 };
}

describe('Freshness: queueing delay from capture times', () => {
  it('delay is each age less the smallest, even when the smallest comes late', () => {
    const f = new Freshness();
    const ages = [40, 35, 60, 20, 25, 1020];
    ages.forEach((age, i) => f.frame(1000 + i, i, i * 200, age));
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
        ages.forEach((age, i) => f.frame(100, i, i * 10, age));
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
      fc.array(fc.integer({ min: 0, max: 5_000 }).map((a) => 1.7e12 + a), { minLength: 1, maxLength: 20 }),
    );
    fc.assert(
      fc.property(clock, (ages) => {
        const f = new Freshness();
        ages.forEach((a, i) => f.frame(100, i, i * 10, a));
        const read = f.rawAges();
        const inRange = ages.filter((a) => a >= -1_000 && a <= 3_600_000).map((a) => Math.max(0, a));
        expect(f.agesOutOfRange).toBe(ages.length - inRange.length);
        // Beyond 2 s from the first frame's age a bucket is 2 ms wide or more: an age within a bucket of −1 s may
        // fall on either side of it.
        const onTheEdge = ages.filter((a) => Math.abs(a + 1_000) <= 8).length;
        expect(Math.abs(read.totalCount - inRange.length)).toBeLessThanOrEqual(onTheEdge);
        if (inRange.length > 0 && read.totalCount === inRange.length) {
          const p = percentiles(read);
          const want = exact(inRange);
          // HdrHistogram reads a bucket's top: 1 ms wide below 2,048 ms, 1/1024 of the value above; and the shift from
          // the first frame's age keeps the width of the bucket the relative age fell in.
          const spread = Math.max(...ages.map((a) => Math.abs(a - (ages[0] ?? 0))));
          const tolerance = Math.max(want.p50 < 2_048 ? 0 : want.p50 / 1024, spread < 2_048 ? 0 : spread / 1024 + 1);
          expect(Math.abs(p.p50 - want.p50)).toBeLessThanOrEqual(tolerance);
          expect(p.max).toBe(want.max);
        }
      }),
    );
  });

  it('a camera clock that jumps by over an hour: the ages after the jump are counted, never read back wrong', () => {
    const f = new Freshness();
    f.frame(100, 1, 0, 1.7e12);
    f.frame(100, 2, 200, 40);
    f.frame(100, 3, 400, 1.7e12 + 200);
    expect(f.agesOutOfRange).toBe(2);
    // The one in-range age came after the jump: left out, not shifted into a wrong figure.
    expect(f.rawAges().totalCount).toBe(0);
  });

  it('a steady rise is a trend in ms per second; a flat delay is none', () => {
    const rising = new Freshness();
    const flat = new Freshness();
    for (let i = 0; i <= 50; i++) {
      rising.frame(100, i, i * 200, 30 + i * 20); // +100 ms per second
      flat.frame(100, i, i * 200, 30 + (i % 3));
    }
    expect(rising.trend()?.msPerSecond).toBeCloseTo(100, 6);
    expect(rising.trend()?.r2).toBeCloseTo(1, 6);
    expect(rising.trend()?.seconds).toBe(10);
    expect(Math.abs(flat.trend()?.msPerSecond ?? 1)).toBeLessThan(0.5);
  });

  it('frames without a capture time leave the delay unmeasured', () => {
    const f = new Freshness();
    for (let i = 0; i < 10; i++) f.frame(100, i, i * 200, Number.NaN);
    expect(f.timestamped).toBe(0);
    expect(f.finalDelayMs).toBeNull();
    expect(f.trend()).toBeNull();
    expect(f.delays().totalCount).toBe(0);
  });

  it('raw ages outside −1 s..1 h (a camera clock not synced, or counting from its own start) are counted, not recorded', () => {
    const f = new Freshness();
    f.frame(100, 1, 0, -1_250);
    f.frame(100, 2, 200, 1.7e12);
    f.frame(100, 3, 400, 30);
    // A camera clock a little ahead: its ages count as 0, not as out of range.
    f.frame(100, 4, 600, -5);
    const ages = f.rawAges();
    expect(f.agesOutOfRange).toBe(2);
    expect(ages.totalCount).toBe(2);
    expect(percentiles(ages).p50).toBe(0);
    expect(f.minAgeMs).toBe(-1_250);
  });

  it('a repeated picture is not aged: its old capture time is the freeze, not a queue', () => {
    const f = new Freshness();
    f.frame(100, 1, 0, 20);
    for (let i = 1; i <= 10; i++) f.frame(100, 1, i * 200, 20 + i * 200);
    f.frame(100, 2, 2_200, 21);
    expect(f.timestamped).toBe(2);
    expect(f.repeated).toBe(10);
    expect(percentiles(f.delays()).max).toBe(1);
  });
});

describe('Freshness: repeated pictures and FROZEN', () => {
  it('counts byte-identical frames and one FROZEN event per freeze longer than the timeout', () => {
    const f = new Freshness({ freezeTimeoutMs: 1_000 });
    const events: number[] = [];
    let t = 0;
    const send = (fingerprint: number, frames: number): void => {
      for (let i = 0; i < frames; i++, t += 200) if (f.frame(500, fingerprint, t, Number.NaN)) events.push(t);
    };
    send(1, 1);
    send(2, 1);
    send(2, 10); // the picture of t=200 until t=2,200: frozen over 1 s at t=1,400
    send(3, 1);
    send(3, 3); // 600 ms: not frozen
    expect(f.repeated).toBe(13);
    expect(f.frozen).toBe(1);
    expect(events).toEqual([1_400]);
    expect(f.longestFreezeMs).toBe(2_000);
  });

  it('a new connection starts afresh: its first frame is no repeat, and the downtime no freeze', () => {
    const f = new Freshness({ freezeTimeoutMs: 1_000 });
    f.frame(500, 7, 0, Number.NaN);
    f.connectionStarted();
    expect(f.frame(500, 7, 5_000, Number.NaN)).toBe(false);
    expect(f.repeated).toBe(0);
    f.frame(500, 7, 5_200, Number.NaN);
    expect(f.repeated).toBe(1);
    expect(f.frozen).toBe(0);
  });

  it('same fingerprint but another length is a new picture; unfingerprinted frames never repeat', () => {
    const f = new Freshness();
    f.frame(500, 7, 0, Number.NaN);
    f.frame(501, 7, 200, Number.NaN);
    f.frame(501, -1, 400, Number.NaN);
    f.frame(501, -1, 600, Number.NaN);
    expect(f.repeated).toBe(0);
  });
});

/** The fingerprints the parser gives a multipart body of these frames. */
function fingerprints(frames: readonly Buffer[]): number[] {
  const seen: number[] = [];
  const parser = new MjpegParser({ boundary: 'frame', onFrame: (_size, _at, fingerprint) => seen.push(fingerprint) });
  for (const frame of frames) {
    parser.push(Buffer.from(`--frame\r\nContent-Type: image/jpeg\r\nContent-Length: ${frame.length}\r\n\r\n`, 'latin1'));
    parser.push(frame);
    parser.push(Buffer.from('\r\n', 'latin1'));
  }
  parser.end();
  return seen;
}

describe('the simulator\'s distinct frames are never taken for repeats', () => {
  // Every frame of a set has the same length, so the fingerprint alone must tell them apart.
  it.each([
    [MIN_FRAME_BYTES, 729],
    [5_000, 729],
    [30_000, 60],
  ])('%i-byte frames, a set of %i: pairwise distinct fingerprints', (targetBytes, count) => {
    const frames = buildFrameImages({ count, targetBytes, seed: 1 });
    const seen = fingerprints(frames);
    expect(seen).toHaveLength(count);
    expect(new Set(seen).size).toBe(count);
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
