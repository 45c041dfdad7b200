import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameSkips, ServerFelt } from '../../src/metrics/frame-skips.js';

// Frames the server skipped, told from capture times alone: a camera at a steady rate with timer jitter, some of whose
// pictures never reach the viewer. `picture(at, age)` takes the receive time and the age (receive − capture).

/** Feeds captures taken every `periodMs` (jittered) to `skips`, leaving out those `dropped` says; received 5 ms later. */
function feed(skips: FrameSkips, count: number, periodMs: number, jitter: (i: number) => number, dropped: (i: number) => boolean): void {
  for (let i = 0; i < count; i++) {
    if (dropped(i)) continue;
    const captured = i * periodMs + jitter(i);
    skips.picture(captured + 5, 5);
  }
}

describe('FrameSkips', () => {
  it('counts each picture left out once the usual interval is known, whatever the jitter (each capture within an eighth of an interval of its time)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 20, max: 1_000 }),
        fc.array(fc.double({ min: -0.12, max: 0.12, noNaN: true }), { minLength: 200, maxLength: 200 }),
        fc.uniqueArray(fc.integer({ min: 20, max: 198 }), { maxLength: 40 }),
        (period, jitters, drops) => {
          const skips = new FrameSkips();
          const left = new Set(drops);
          feed(
            skips,
            200,
            period,
            (i) => (jitters[i] ?? 0) * period,
            (i) => left.has(i),
          );
          expect(skips.known).toBe(true);
          expect(skips.skipped).toBe(left.size);
        },
      ),
    );
  });

  it('knows nothing before 15 intervals, and counts no skip before it does', () => {
    const skips = new FrameSkips();
    feed(
      skips,
      15,
      100,
      () => 0,
      (i) => i === 7,
    );
    expect(skips.known).toBe(false);
    expect(skips.skipped).toBe(0);
  });

  it("does not read a reconnection's outage as skipped pictures, nor a repeat's unchanged capture time", () => {
    const skips = new FrameSkips();
    feed(
      skips,
      30,
      100,
      () => 0,
      () => false,
    );
    skips.picture(2_905, 5);
    skips.picture(2_905, 5);
    skips.newConnection();
    skips.picture(10_005, 5);
    skips.picture(10_105, 5);
    expect(skips.skipped).toBe(0);
  });
});

describe('ServerFelt', () => {
  it('marks a group viewer felt at the first skip after the groups began, when the picture after it was taken', () => {
    const felt = new ServerFelt(true);
    felt.groupsBeganAt = 2_000;
    for (let i = 0; i < 40; i++) felt.feltPicture(i * 50 + 5, 5, 0);
    expect(felt.at).toBeUndefined();
    // Pictures 40-43 left out; picture 44 arrives 800 ms after it was taken (behind the buffers).
    felt.feltPicture(44 * 50 + 800, 800, 795);
    expect(felt.skipped).toBe(4);
    expect(felt.at).toBe(44 * 50 + 5);
  });

  it('marks nothing for a normal viewer, nor before the groups began', () => {
    const normal = new ServerFelt(false);
    normal.groupsBeganAt = 0;
    normal.ended(100);
    expect(normal.at).toBeUndefined();
    const early = new ServerFelt(true);
    early.ended(100);
    expect(early.at).toBeUndefined();
    early.groupsBeganAt = 200;
    early.ended(300);
    expect(early.at).toBe(300);
  });
});
