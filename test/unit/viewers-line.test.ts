import { describe, expect, it } from 'vitest';
import { viewersLine } from '../../src/terminal/progress.js';

describe('viewersLine: what the viewer groups will do, said before the run', () => {
  it('names each group with its share and how it reads, when they begin, and the normal rest', () => {
    expect(
      viewersLine({
        behaviours: [
          { group: 'slow', share: 0.2, bytesPerSecond: 125_000 },
          { group: 'pausing', share: 0.05, pauseMs: 20_000, everyMs: 60_000 },
          { group: 'stuck', share: 0.025 },
        ],
        leadInMs: 75_000,
      }),
    ).toBe(
      "Viewer groups from 75 s (before, every viewer reads at full speed: the normal viewers' baseline): slow 20% (reads at most 1 Mbit/s, 125 kB/s), " +
        'pausing 5% (stops reading for 20 s every 60 s), stuck 2.5% (stops reading after its first frame); normal 72.5%',
    );
  });
});
