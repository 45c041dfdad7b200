import { describe, expect, it } from 'vitest';
import { loadShapeLine } from '../../src/terminal/progress.js';

describe('loadShapeLine: the load over time, said before the run', () => {
  it('names each stage as a ramp or a hold, and each storm', () => {
    expect(
      loadShapeLine(
        [
          { durationMs: 30_000, target: 100 },
          { durationMs: 120_000, target: 100 },
          { durationMs: 60_000, target: 0 },
        ],
        [
          { atMs: 90_000, immediate: false },
          { atMs: 150_000, immediate: true },
        ],
      ),
    ).toBe(
      'Stages: 1) 0→100 streams over 30 s, 2) hold 100 for 120 s, 3) 100→0 streams over 60 s; ' +
        'reconnect storms at 90 s, 150 s (immediate): every open stream dropped by camera-load and reconnected',
    );
  });

  it('says nothing for a run with neither', () => {
    expect(loadShapeLine(undefined, undefined)).toBeUndefined();
  });
});
