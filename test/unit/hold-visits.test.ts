import { describe, expect, it } from 'vitest';
import { StageWindow, StreamStages } from '../../src/metrics/stage-windows.js';
import { StreamStats } from '../../src/metrics/stream-stats.js';
import { holdVisits } from '../../src/run/hold-visits.js';
import { stageSpans, type Visit } from '../../src/stages.js';

// A slot's visits in turn (src/run/hold-visits.ts): when camera-load is late closing one, the visits planned after it
// wait; those the run stops before it begins are counted as never started, with their lateness to the stop.

describe('holdVisits', () => {
  it('counts the visits planned before the stop that a late close kept from beginning, with their lateness', async () => {
    const visits: Visit[] = [
      { fromMs: 0, toMs: 20 },
      { fromMs: 30, toMs: 40 },
      { fromMs: 50, toMs: 60 },
      { fromMs: 10_000, toMs: 20_000 },
    ];
    const windows = stageSpans([
      { durationMs: 45, target: 1 },
      { durationMs: 20_000, target: 1 },
    ]).map((span) => new StageWindow(span));
    const stats = new StreamStats(0, 'cam', 'cam', 'http://127.0.0.1/');
    stats.stages = new StreamStages(windows, visits);
    // The run's clock is the test's: the stop comes at 100 ms, while the first visit's session is still closing.
    let clock = 0;
    const stop = new AbortController();
    const held = holdVisits(stats, visits, {
      now: () => clock,
      stop: stop.signal,
      staged: true,
      runEndMs: 20_000,
      stoppedAt: () => 100,
      session: () => {
        clock = 100;
        stop.abort(new Error('duration reached'));
        return Promise.resolve();
      },
    });
    await held;
    expect(windows.map((w) => w.arrivals)).toEqual([1, 0]);
    // The visits at 30 and 50 ms were planned before the stop; the one at 10 s was not.
    expect(windows.map((w) => w.notStarted)).toEqual([1, 1]);
    expect(windows.map((w) => w.lateness.totalCount)).toEqual([1, 1]);
    expect(windows.map((w) => w.lateness.maxValue)).toEqual([70, 50]);
  });
});
