import { describe, expect, it } from 'vitest';
import { StallWatchdog, type Watched } from '../../src/connection/stall-watchdog.js';

function connection(): Watched & { progress: { frames: number }; stalls: number; isHeld: boolean } {
  const c = {
    progress: { frames: 0 },
    stalls: 0,
    isHeld: false,
    held: () => c.isHeld,
    stall: () => {
      c.stalls++;
    },
  };
  return c;
}

describe('StallWatchdog', () => {
  it('ends a connection that completed no frame for the timeout, and only that one', () => {
    let now = 0;
    const watchdog = new StallWatchdog(1_000, () => now, 250);
    const quiet = connection();
    const busy = connection();
    watchdog.watch(quiet);
    watchdog.watch(busy);
    for (let t = 250; t <= 2_000; t += 250) {
      now = t;
      busy.progress.frames += 1;
      watchdog.check();
      if (t < 1_000) expect(quiet.stalls).toBe(0);
    }
    expect(quiet.stalls).toBe(1);
    expect(busy.stalls).toBe(0);
    watchdog.stop();
  });

  it('counts the timeout from the check that last saw a frame complete', () => {
    let now = 0;
    const watchdog = new StallWatchdog(1_000, () => now, 250);
    const c = connection();
    watchdog.watch(c);
    now = 900;
    c.progress.frames = 1;
    watchdog.check();
    now = 1_800;
    watchdog.check();
    expect(c.stalls).toBe(0);
    now = 1_900;
    watchdog.check();
    expect(c.stalls).toBe(1);
    // Declared once: a stalled connection leaves the watch list.
    now = 5_000;
    watchdog.check();
    expect(c.stalls).toBe(1);
    watchdog.stop();
  });

  it('does not count the time a viewer holds its reading on purpose: the timeout runs from its release', () => {
    let now = 0;
    const watchdog = new StallWatchdog(1_000, () => now, 250);
    const c = connection();
    watchdog.watch(c);
    c.isHeld = true;
    for (now = 250; now <= 5_000; now += 250) watchdog.check();
    expect(c.stalls).toBe(0);
    c.isHeld = false;
    now = 5_900;
    watchdog.check();
    expect(c.stalls).toBe(0);
    now = 6_000;
    watchdog.check();
    expect(c.stalls).toBe(1);
    watchdog.stop();
  });

  it('forgets a connection once unwatched', () => {
    let now = 0;
    const watchdog = new StallWatchdog(100, () => now, 50);
    const c = connection();
    watchdog.watch(c);
    watchdog.unwatch(c);
    now = 1_000;
    watchdog.check();
    expect(c.stalls).toBe(0);
  });

  it('runs its own timer: a silent connection is ended within the timeout plus two check periods', async () => {
    const watchdog = new StallWatchdog(200, () => performance.now(), 50);
    const started = performance.now();
    const stalledAt = await new Promise<number>((resolve) => {
      watchdog.watch({
        progress: { frames: 0 },
        held: () => false,
        stall: () => {
          resolve(performance.now());
        },
      });
    });
    watchdog.stop();
    expect(stalledAt - started).toBeGreaterThanOrEqual(199);
    expect(stalledAt - started).toBeLessThan(200 + 2 * 50 + 200);
  });
});
