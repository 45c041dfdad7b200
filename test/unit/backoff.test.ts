import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffCeiling, backoffDelay, DEFAULT_BACKOFF } from '../../src/connection/backoff.js';

describe('backoff policy', () => {
  it.each([
    [0, 0],
    [1, 500],
    [2, 1_000],
    [3, 2_000],
    [6, 16_000],
    [7, 30_000],
    [50, 30_000],
    [5_000, 30_000],
  ])('attempt %i has ceiling %i ms with the defaults', (attempt, ceiling) => {
    expect(backoffCeiling(DEFAULT_BACKOFF, attempt)).toBe(ceiling);
  });

  it('full jitter: the delay spans [0, ceiling] with the injected random', () => {
    expect(backoffDelay(DEFAULT_BACKOFF, 3, () => 0)).toBe(0);
    expect(backoffDelay(DEFAULT_BACKOFF, 3, () => 0.5)).toBe(1_000);
    expect(backoffDelay(DEFAULT_BACKOFF, 3, () => 0.999_999)).toBe(1_999);
  });

  it('never exceeds the cap and never goes negative, for any policy and attempt', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.double({ min: 1, max: 10, noNaN: true }),
        fc.integer({ min: 1, max: 600_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.double({ min: 0, max: 0.999_999, noNaN: true }),
        (baseMs, factor, maxMs, attempt, r) => {
          const delay = backoffDelay({ baseMs, factor, maxMs }, attempt, () => r);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(maxMs);
        },
      ),
      { numRuns: 300 },
    );
  });
});
