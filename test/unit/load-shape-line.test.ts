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

  it('says how viewers arrive, stay and choose their cameras in the open model, and its cap', () => {
    expect(
      loadShapeLine(undefined, undefined, {
        model: { rates: [{ durationMs: 300_000, perSecond: 20 }], watch: { kind: 'exp', meanMs: 30_000 }, popularity: { kind: 'zipf', s: 1.2 } },
        maxStreams: 800,
      }),
    ).toBe(
      'Open model: viewers arrive at 20/s for 300 s (Poisson), each watching 30 s on average (exponentially distributed), ' +
        "cameras by Zipf's law, s = 1.2 (the first by id the most watched); at most 800 open at once (more arrivals are dropped)",
    );
    expect(
      loadShapeLine(undefined, undefined, {
        model: {
          rates: [
            { durationMs: 60_000, perSecond: 5 },
            { durationMs: 120_000, perSecond: 0.5 },
          ],
          watch: { kind: 'uniform', minMs: 10_000, maxMs: 60_000 },
          popularity: { kind: 'uniform' },
        },
        maxStreams: 50,
      }),
    ).toBe(
      'Open model: viewers arrive at 1) 5/s for 60 s, 2) 0.5/s for 120 s (Poisson), each watching 10 s to 60 s (uniformly), every camera alike; ' +
        'at most 50 open at once (more arrivals are dropped)',
    );
  });

  it('says nothing for a run with neither', () => {
    expect(loadShapeLine(undefined, undefined)).toBeUndefined();
  });
});
