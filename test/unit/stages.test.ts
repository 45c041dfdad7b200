import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { peakTarget, slotVisits, stageIndexAt, stageSpans, stagesDurationMs, targetAt, type Stage, type StageSpan, type Visit } from '../../src/stages.js';

// The schedule --stages runs by (issue 30): which stream slot is open when. The runner opens and closes slots by
// slotVisits; the streams open at any instant must be the target then, rounded up, as k6's ramping stages have it.

/** Stages as --stages parses them: whole milliseconds (0 allowed: a step), targets of a few slots. */
const stagesArb = fc
  .array(fc.record({ durationMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 5_000 })), target: fc.integer({ min: 0, max: 12 }) }), {
    minLength: 1,
    maxLength: 8,
  })
  .filter((stages) => stagesDurationMs(stages) > 0);

/** Every instant a slot's state can change: where a ramp passes a whole number, and every step. */
function crossings(spans: readonly StageSpan[]): number[] {
  const at: number[] = [];
  for (const { fromMs, toMs, fromTarget: a, toTarget: b } of spans) {
    at.push(fromMs, toMs);
    for (let k = Math.min(a, b); k <= Math.max(a, b) && a !== b; k++) at.push(fromMs + ((toMs - fromMs) * (k - a)) / (b - a));
  }
  return at;
}

const openAt = (visits: readonly Visit[], atMs: number): boolean => visits.some((v) => v.fromMs <= atMs && atMs < v.toMs);

const allVisits = (stages: readonly Stage[]): Visit[][] => {
  const spans = stageSpans(stages);
  return Array.from({ length: peakTarget(stages) }, (_, slot) => slotVisits(spans, slot));
};

describe('slotVisits: the stream slots open over the stages', () => {
  it('the slots open at any instant away from a crossing are the target then, rounded up', () => {
    fc.assert(
      fc.property(stagesArb, fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), (stages, share) => {
        const spans = stageSpans(stages);
        const atMs = share * stagesDurationMs(stages);
        fc.pre(crossings(spans).every((c) => Math.abs(c - atMs) > 1e-6));
        const open = allVisits(stages).filter((visits) => openAt(visits, atMs)).length;
        expect(open).toBe(Math.ceil(targetAt(spans, atMs)));
      }),
      { numRuns: 500 },
    );
  });

  it("each slot's visits are disjoint, in order, not empty and within the run; two never touch (the viewer never left)", () => {
    fc.assert(
      fc.property(stagesArb, (stages) => {
        const endMs = stagesDurationMs(stages);
        for (const visits of allVisits(stages)) {
          for (const [i, v] of visits.entries()) {
            expect(v.fromMs).toBeGreaterThanOrEqual(0);
            expect(v.toMs).toBeLessThanOrEqual(endMs);
            expect(v.fromMs).toBeLessThan(v.toMs);
            const next = visits[i + 1];
            if (next) expect(next.fromMs).toBeGreaterThan(v.toMs);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('a lower slot is open whenever a higher one is (the highest slot closes first, as k6 stops its highest VUs first)', () => {
    fc.assert(
      fc.property(stagesArb, fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), (stages, share) => {
        const atMs = share * stagesDurationMs(stages);
        const open = allVisits(stages).map((visits) => openAt(visits, atMs));
        expect(open).toEqual([...open].sort((a, b) => Number(b) - Number(a)));
      }),
      { numRuns: 300 },
    );
  });

  it('a slot closed by one stage and opened by the next at the same instant has one visit', () => {
    // 8 → 2 over [2 s, 3 s], then 2 → 6 over [3 s, 4 s]: slot 2 closes and opens at 3 s, slots 3 to 5 leave and come back.
    const spans = stageSpans([
      { durationMs: 2_000, target: 8 },
      { durationMs: 1_000, target: 2 },
      { durationMs: 1_000, target: 6 },
    ]);
    expect(slotVisits(spans, 2)).toEqual([{ fromMs: 500, toMs: 4_000 }]);
    expect(slotVisits(spans, 5)).toEqual([
      { fromMs: 1_250, toMs: 2_500 },
      { fromMs: 3_750, toMs: 4_000 },
    ]);
    expect(slotVisits(spans, 7)).toEqual([{ fromMs: 1_750, toMs: 2_000 + 1_000 / 6 }]);
    // The same through a step (a stage of no duration) at the same instant.
    const stepped = stageSpans([
      { durationMs: 1_000, target: 4 },
      { durationMs: 0, target: 1 },
      { durationMs: 0, target: 4 },
      { durationMs: 1_000, target: 4 },
    ]);
    for (let slot = 0; slot < 4; slot++) expect(slotVisits(stepped, slot)).toEqual([{ fromMs: slot * 250, toMs: 2_000 }]);
  });

  it('a ramp opens slot 0 at once and slot i when the target passes i; the last stage holds its slots to the end', () => {
    const spans = stageSpans([{ durationMs: 30_000, target: 100 }]);
    expect(slotVisits(spans, 0)).toEqual([{ fromMs: 0, toMs: 30_000 }]);
    expect(slotVisits(spans, 99)[0]?.fromMs).toBeCloseTo(29_700, 6);
    expect(slotVisits(spans, 100)).toEqual([]);
  });
});

describe('the stages on the run clock', () => {
  it('spans follow one another from 0, each from the target before', () => {
    fc.assert(
      fc.property(stagesArb, (stages) => {
        const spans = stageSpans(stages);
        expect(spans.map((s) => s.number)).toEqual(stages.map((_, i) => i + 1));
        expect(spans[0]?.fromMs).toBe(0);
        expect(spans.at(-1)?.toMs).toBe(stagesDurationMs(stages));
        for (const [i, span] of spans.entries()) {
          expect(span.toMs - span.fromMs).toBe(stages[i]?.durationMs);
          expect(span.fromTarget).toBe(i === 0 ? 0 : stages[i - 1]?.target);
          if (i > 0) expect(span.fromMs).toBe(spans[i - 1]?.toMs);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('targetAt is each stage’s line between its targets; stageIndexAt takes [from, to), the last from its start on', () => {
    const spans = stageSpans([
      { durationMs: 1_000, target: 10 },
      { durationMs: 2_000, target: 10 },
      { durationMs: 1_000, target: 0 },
    ]);
    expect([0, 500, 1_000, 2_999, 3_500, 4_000, 9_000].map((t) => targetAt(spans, t))).toEqual([0, 5, 10, 10, 5, 0, 0]);
    expect([0, 999, 1_000, 3_000, 4_000, 9_000].map((t) => stageIndexAt(spans, t))).toEqual([0, 0, 1, 2, 2, 2]);
  });
});
