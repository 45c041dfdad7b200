import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LevelBisection } from '../../src/max/level-bisection.js';
import { judgeTrial, DEFAULT_CRITERIA, type TrialMeasure } from '../../src/max/stability.js';

function search(start: number, min: number, precision: number, stableUpTo: number): { answer: number | undefined; levels: number[] } {
  const s = new LevelBisection(start, min, precision);
  const levels: number[] = [];
  for (let level = s.next(); level !== undefined && levels.length < 100; level = s.next()) {
    levels.push(level);
    s.record(level, level <= stableUpTo);
  }
  return { answer: s.answer, levels };
}

describe('capacity search', () => {
  it.each([
    [50, 1, 1, 23, 23],
    [50, 1, 1, 50, 50],
    [50, 1, 1, 1, 1],
    [50, 1, 1, 0, undefined],
    [64, 8, 1, 3, undefined],
    [100, 1, 5, 37, 37],
  ])('start %i, min %i, precision %i, stable up to %i -> %s', (start, min, precision, stableUpTo, answer) => {
    const result = search(start, min, precision, stableUpTo);
    if (answer === undefined) {
      expect(result.answer).toBeUndefined();
    } else {
      expect(result.answer).toBeLessThanOrEqual(answer);
      expect(answer - (result.answer ?? -Infinity)).toBeLessThan(precision);
    }
  });

  it('one trial when the start level holds', () => {
    expect(search(50, 1, 1, 1000).levels).toEqual([50]);
  });

  it('for any fleet: exact with precision 1, never repeats a level, at most ⌈log2(start)⌉ + 3 trials', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 0, max: 6000 }), (start, stableUpTo) => {
        const { answer, levels } = search(start, 1, 1, stableUpTo);
        expect(answer).toBe(stableUpTo === 0 ? undefined : Math.min(start, stableUpTo));
        expect(new Set(levels).size).toBe(levels.length);
        expect(levels.length).toBeLessThanOrEqual(Math.ceil(Math.log2(start)) + 3);
      }),
      { numRuns: 500, seed: 3 },
    );
  });

  it('within the precision for any precision', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 2000 }), fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 1, max: 50 }), (start, stableUpTo, precision) => {
        const { answer } = search(start, 1, precision, stableUpTo);
        const truth = Math.min(start, stableUpTo);
        expect(answer).toBeDefined();
        expect(answer).toBeLessThanOrEqual(truth);
        expect(truth - (answer ?? 0)).toBeLessThan(precision);
      }),
      { numRuns: 300, seed: 4 },
    );
  });
});

describe('stability criteria', () => {
  const trial = (overrides: Partial<TrialMeasure>): TrialMeasure => ({ level: 10, opened: 10, reconnections: 0, stalls: 0, fpsPerStream: 5, ...overrides });
  it.each([
    ['all good, no reference yet', trial({}), DEFAULT_CRITERIA, undefined, true, []],
    ['a stream never opened', trial({ opened: 9 }), DEFAULT_CRITERIA, undefined, false, ['1 of 10 streams never opened']],
    ['a reconnection', trial({ reconnections: 1 }), DEFAULT_CRITERIA, undefined, false, ['1 reconnections and 0 stalls (tolerance 0)']],
    ['a stall', trial({ stalls: 1 }), DEFAULT_CRITERIA, undefined, false, ['0 reconnections and 1 stalls (tolerance 0)']],
    ['within the tolerance', trial({ reconnections: 1, stalls: 1 }), { ...DEFAULT_CRITERIA, maxReconnects: 2 }, undefined, true, []],
    ['fps at 90% of the reference', trial({ fpsPerStream: 4.5 }), DEFAULT_CRITERIA, 5, true, []],
    ['fps below 90% of the reference', trial({ fpsPerStream: 4.4 }), DEFAULT_CRITERIA, 5, false, ['4.40 fps per stream, below 4.50']],
    ['absolute floor wins over the reference', trial({ fpsPerStream: 4.4 }), { ...DEFAULT_CRITERIA, minFps: 4 }, 5, true, []],
    [
      'absolute floor applies without a reference',
      trial({ fpsPerStream: 3 }),
      { ...DEFAULT_CRITERIA, minFps: 4 },
      undefined,
      false,
      ['3.00 fps per stream, below 4.00'],
    ],
  ] as const)('%s', (_, t, criteria, reference, stable, reasons) => {
    const verdict = judgeTrial(t, criteria, reference);
    expect(verdict.stable).toBe(stable);
    expect(verdict.reasons).toEqual(reasons);
  });
});
