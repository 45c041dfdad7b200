import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Visits } from '../../src/metrics/visits.js';

// A stream slot's visits under --stages (issue 30): the time away on purpose is not the server's, so neither fps
// nor uptime counts it. fps runs from each visit's first frame to its departure (or the end); uptime from the
// first request to the end, less the time from each departure to the next arrival.

/** One visit of a slot: it arrives, maybe has a first frame `firstFrameAfterMs` later, and stays `stayMs`. */
interface VisitPlan {
  awayBeforeMs: number;
  stayMs: number;
  firstFrameAfterMs: number | null;
}

const visitArb: fc.Arbitrary<VisitPlan> = fc
  .record({
    awayBeforeMs: fc.integer({ min: 1, max: 10_000 }),
    stayMs: fc.integer({ min: 1, max: 10_000 }),
    firstFrameShare: fc.option(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), { nil: null }),
  })
  .map(({ awayBeforeMs, stayMs, firstFrameShare }) => ({
    awayBeforeMs,
    stayMs,
    firstFrameAfterMs: firstFrameShare === null ? null : Math.floor(firstFrameShare * stayMs),
  }));

/** Plays the visits on a Visits as the runner and the stream do; the last stays to the run's end unless `leftAtEnd`. */
function play(plans: readonly VisitPlan[], leftAtEnd: boolean, tailMs: number) {
  const visits = new Visits();
  let at = 0;
  let firstFrameAt: number | undefined;
  let expectedFpsMs = 0;
  let expectedWatchedMs = 0;
  for (const [i, plan] of plans.entries()) {
    if (i > 0) at += plan.awayBeforeMs;
    visits.arrived(at);
    const arrivedAt = at;
    const last = i === plans.length - 1;
    const leaves = !last || leftAtEnd;
    const frameAt = plan.firstFrameAfterMs === null ? undefined : arrivedAt + plan.firstFrameAfterMs;
    if (frameAt !== undefined) {
      visits.firstFrame(frameAt);
      firstFrameAt ??= frameAt;
    }
    at += plan.stayMs;
    if (leaves) visits.departed(at, firstFrameAt !== undefined);
    // Watched to the departure, or on to the end for the visit still open then.
    const until = leaves ? at : at + tailMs;
    expectedWatchedMs += until - arrivedAt;
    if (frameAt !== undefined) expectedFpsMs += until - frameAt;
  }
  const endMs = at + tailMs;
  return { visits, endMs, firstFrameAt, expectedFpsMs, expectedWatchedMs };
}

describe('Visits: fps and uptime leave out the time away', () => {
  it('a stream that leaves and comes back: fps over each visit from its first frame, uptime over its visits', () => {
    const visits = new Visits();
    visits.arrived(0);
    visits.firstFrame(100);
    visits.departed(1_000, true);
    visits.arrived(3_000);
    visits.firstFrame(3_200);
    // Watched 0 → 1,000 and 3,000 → 5,000; frames counted from 100 → 1,000 and 3,200 → 5,000.
    expect(visits.watchedMs(0, 5_000)).toBe(3_000);
    expect(visits.fpsWindowMs(100, 5_000)).toBe(2_700);
    expect([visits.arrivals, visits.departures, visits.framed]).toEqual([2, 1, 2]);
  });

  it('a visit with no frame adds nothing to the fps window, and the time away runs on through it', () => {
    const visits = new Visits();
    visits.arrived(0);
    visits.firstFrame(100);
    visits.departed(1_000, true);
    visits.arrived(2_000);
    visits.departed(3_000, true);
    visits.arrived(4_000);
    visits.firstFrame(4_500);
    expect(visits.fpsWindowMs(100, 5_000)).toBe(900 + 500);
    expect(visits.watchedMs(0, 5_000)).toBe(1_000 + 1_000 + 1_000);
  });

  it('away at the run’s end: neither figure counts the time since the departure', () => {
    const visits = new Visits();
    visits.arrived(0);
    visits.firstFrame(50);
    visits.departed(2_000, true);
    expect(visits.watchedMs(0, 10_000)).toBe(2_000);
    expect(visits.fpsWindowMs(50, 10_000)).toBe(1_950);
  });

  it('a slot never closed has one visit, and the figures of a run without stages', () => {
    const visits = new Visits();
    visits.arrived(0);
    visits.firstFrame(40);
    expect(visits.watchedMs(10, 5_000)).toBe(4_990);
    expect(visits.fpsWindowMs(40, 5_000)).toBe(4_960);
  });

  it('for any visits: fps over the visits from their first frames, uptime over the visits, the time away in neither', () => {
    fc.assert(
      fc.property(fc.array(visitArb, { minLength: 1, maxLength: 6 }), fc.boolean(), fc.integer({ min: 0, max: 5_000 }), (plans, leftAtEnd, tailMs) => {
        const { visits, endMs, firstFrameAt, expectedFpsMs, expectedWatchedMs } = play(plans, leftAtEnd, tailMs);
        expect(visits.watchedMs(0, endMs)).toBe(expectedWatchedMs);
        if (firstFrameAt !== undefined) expect(visits.fpsWindowMs(firstFrameAt, endMs)).toBe(expectedFpsMs);
        expect(visits.arrivals).toBe(plans.length);
        expect(visits.departures).toBe(plans.length - (leftAtEnd ? 0 : 1));
        expect(visits.framed).toBe(plans.filter((p) => p.firstFrameAfterMs !== null).length);
      }),
      { numRuns: 500 },
    );
  });
});
