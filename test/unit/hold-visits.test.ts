import { describe, expect, it } from 'vitest';
import { StageWindow, StreamStages } from '../../src/metrics/stage-windows.js';
import { StreamStats } from '../../src/metrics/stream-stats.js';
import { VisitSlot, type VisitRun, type VisitSession } from '../../src/run/hold-visits.js';
import { stageSpans, type Visit } from '../../src/stages.js';

// A slot's visits in turn (src/run/hold-visits.ts): when camera-load is late closing one, the visits planned after it
// wait; those the run stops before it begins are counted as never started, with their lateness to the stop.

/** A slot whose every session is the test's. */
class TestSlot extends VisitSlot {
  constructor(
    stats: StreamStats,
    visits: readonly Visit[],
    run: VisitRun,
    private readonly sessionOf: (slot: TestSlot) => VisitSession,
  ) {
    super(stats, visits, run);
  }

  protected openSession(): VisitSession {
    return this.sessionOf(this);
  }
}

describe('VisitSlot', () => {
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
    let stopped = false;
    let slotEnded = (): void => undefined;
    const held = new Promise<void>((resolve) => (slotEnded = resolve));
    const run: VisitRun = {
      now: () => clock,
      stopped: () => stopped,
      staged: true,
      runEndMs: 20_000,
      stoppedAt: () => 100,
      slotEnded: () => {
        slotEnded();
      },
    };
    const slot = new TestSlot(stats, visits, run, (held) => ({
      start: () => {
        clock = 100;
        stopped = true;
        held.runStopped(new Error('duration reached'));
      },
      stop: () => {
        held.sessionEnded();
      },
    }));
    slot.start();
    await held;
    expect(windows.map((w) => w.arrivals)).toEqual([1, 0]);
    // The visits at 30 and 50 ms were planned before the stop; the one at 10 s was not.
    expect(windows.map((w) => w.notStarted)).toEqual([1, 1]);
    expect(windows.map((w) => w.lateness.totalCount)).toEqual([1, 1]);
    expect(windows.map((w) => w.lateness.maxValue)).toEqual([70, 50]);
  });
});
