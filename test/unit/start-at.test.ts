import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseStartAt, START_LATE_TOLERANCE_MS, START_MAX_AHEAD_MS, StartAtError } from '../../src/options/start-at.js';

// The clock is passed in: local 2026-12-03 14:00:00.000 in whatever zone the tests run.
const now = new Date(2026, 11, 3, 14, 0, 0, 0);
const local = (h: number, m: number, s = 0, day = 3): number => new Date(2026, 11, day, h, m, s).getTime();

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof StartAtError ? error.code : `not a StartAtError: ${String(error)}`;
  }
}

describe('--start-at: text and the clock -> the instant', () => {
  it.each([
    ['14:30', local(14, 30)],
    ['14:30:15', local(14, 30, 15)],
    [' 9:05 ', null],
    ['23:59:59', local(23, 59, 59)],
    // A start a moment ago (clocks of two hosts differ) still starts, at once.
    ['13:59:56', local(13, 59, 56)],
    ['14:00', local(14, 0)],
    ['2026-12-03T14:30:00Z', Date.UTC(2026, 11, 3, 14, 30)],
    ['2026-12-03T14:30:00.250Z', Date.UTC(2026, 11, 3, 14, 30, 0, 250)],
    ['2026-12-03T14:30Z', Date.UTC(2026, 11, 3, 14, 30)],
    ['2026-12-03T15:30:00+01:00', Date.UTC(2026, 11, 3, 14, 30)],
    ['2026-12-03T09:30:00-0500', Date.UTC(2026, 11, 3, 14, 30)],
    ['2026-12-03t14:30:00z', Date.UTC(2026, 11, 3, 14, 30)],
    // Without an offset, ISO 8601 means local time.
    ['2026-12-03T14:30:00', local(14, 30)],
    ['2026-12-03 14:30', local(14, 30)],
    ['2026-12-04T13:59:00', local(13, 59, 0, 4)],
  ])('%s', (text, expected) => {
    if (expected === null) expect(codeOf(() => parseStartAt(text, now))).toBe('ERR_START_PASSED');
    else expect(parseStartAt(text, now)).toBe(expected);
  });

  it.each([
    // Past by more than the tolerance: never a silent late start, and a clock time never means tomorrow.
    ['13:59:54', 'ERR_START_PASSED'],
    ['00:00', 'ERR_START_PASSED'],
    ['2026-12-03T13:00:00Z', 'ERR_START_PASSED'],
    ['2025-12-03T14:30:00Z', 'ERR_START_PASSED'],
    // More than a day ahead: a wrong date or zone.
    ['2026-12-04T14:00:01', 'ERR_START_TOO_FAR'],
    ['2027-01-01T00:00:00Z', 'ERR_START_TOO_FAR'],
    ['', 'ERR_BAD_START_AT'],
    ['now', 'ERR_BAD_START_AT'],
    ['+5m', 'ERR_BAD_START_AT'],
    ['24:00', 'ERR_BAD_START_AT'],
    ['14:60', 'ERR_BAD_START_AT'],
    ['14:30:60', 'ERR_BAD_START_AT'],
    ['1430', 'ERR_BAD_START_AT'],
    ['14:3', 'ERR_BAD_START_AT'],
    ['2026-12-03', 'ERR_BAD_START_AT'],
    ['2026-02-30T10:00:00Z', 'ERR_BAD_START_AT'],
    ['2026-13-01T10:00:00Z', 'ERR_BAD_START_AT'],
    ['2026-12-03T14:30:00+25:00', 'ERR_BAD_START_AT'],
    ['2026-12-03T14:30:00 UTC', 'ERR_BAD_START_AT'],
    ['1796308200000', 'ERR_BAD_START_AT'],
  ])('%s is refused with %s', (text, code) => {
    expect(codeOf(() => parseStartAt(text, now))).toBe(code);
  });

  it('the message carries the code and the exit code is 2 (usage)', () => {
    try {
      parseStartAt('13:00', now);
      expect.unreachable();
    } catch (error) {
      expect((error as StartAtError).exitCode).toBe(2);
      expect((error as Error).message).toContain('ERR_START_PASSED');
    }
  });

  it('any instant from 5 s ago to 24 h ahead, written in UTC, reads back to the millisecond; outside, a code', () => {
    fc.assert(
      fc.property(fc.integer({ min: -2 * START_LATE_TOLERANCE_MS, max: START_MAX_AHEAD_MS + 60_000 }), (offset) => {
        const at = now.getTime() + offset;
        const text = new Date(at).toISOString();
        if (offset < -START_LATE_TOLERANCE_MS) expect(codeOf(() => parseStartAt(text, now))).toBe('ERR_START_PASSED');
        else if (offset > START_MAX_AHEAD_MS) expect(codeOf(() => parseStartAt(text, now))).toBe('ERR_START_TOO_FAR');
        else expect(parseStartAt(text, now)).toBe(at);
      }),
      { numRuns: 300 },
    );
  });
});
