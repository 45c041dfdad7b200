import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ViewerPacing } from '../../src/connection/viewer-pacing.js';

// The pacing's decisions on a clock the test moves: when a viewer holds its body and when it reads again. That the
// held body makes the server feel it is the integration tests' (test/integration/viewer-groups.test.ts).

let now = 0;
const clock = (): number => now;

/** A body that records whether it is held. */
function body(): { paused: boolean; pause: () => void; resume: () => void } {
  const b = {
    paused: false,
    pause: () => {
      b.paused = true;
    },
    resume: () => {
      b.paused = false;
    },
  };
  return b;
}

/** Moves the test's clock and the timers together. */
function advance(ms: number): void {
  now += ms;
  vi.advanceTimersByTime(ms);
}

beforeEach(() => {
  vi.useFakeTimers();
  now = 0;
});
afterEach(() => {
  vi.useRealTimers();
});

describe('ViewerPacing', () => {
  it('a slow viewer reads at full speed in the lead-in, then reads until it is a second ahead of its rate and holds until the rate has paid for it', () => {
    const pacing = new ViewerPacing({ group: 'slow', share: 0.5, bytesPerSecond: 10_000 }, clock);
    const b = body();
    pacing.attach(b);
    pacing.chunk(1_000_000);
    expect(b.paused).toBe(false);
    pacing.begin();
    pacing.chunk(5_000);
    // Half a second ahead at 10,000 B/s: within the burst, not held.
    expect(b.paused).toBe(false);
    pacing.chunk(10_000);
    // 15,000 bytes at 10,000 B/s: a second and a half held.
    expect(b.paused).toBe(true);
    expect(pacing.holding).toBe(true);
    advance(1_499);
    expect(b.paused).toBe(true);
    advance(1);
    expect(b.paused).toBe(false);
    // Within its budget: not held.
    advance(500);
    pacing.chunk(14_000);
    expect(b.paused).toBe(false);
    pacing.chunk(2_000);
    // 31,000 bytes in 2 s: 1.1 s ahead, held for it.
    expect(b.paused).toBe(true);
    advance(1_099);
    expect(b.paused).toBe(true);
    advance(1);
    expect(b.paused).toBe(false);
    pacing.stop();
  });

  it('a pausing viewer holds for its pause every period from the lead-in on, across a reconnection', () => {
    const pacing = new ViewerPacing({ group: 'pausing', share: 0.1, pauseMs: 2_000, everyMs: 5_000 }, clock);
    const first = body();
    pacing.attach(first);
    pacing.begin();
    expect(first.paused).toBe(true);
    advance(1_000);
    pacing.detach();
    const second = body();
    pacing.attach(second);
    // Still within the pause: the new connection is held at once.
    expect(second.paused).toBe(true);
    advance(1_000);
    expect(second.paused).toBe(false);
    advance(2_999);
    expect(second.paused).toBe(false);
    advance(1);
    expect(second.paused).toBe(true);
    pacing.stop();
  });

  it('a stuck viewer stops after its first frame once begun, and after the first frame of each new connection', () => {
    const pacing = new ViewerPacing({ group: 'stuck', share: 0.1 }, clock);
    const first = body();
    pacing.attach(first);
    pacing.frame();
    expect(first.paused).toBe(false);
    pacing.begin();
    expect(first.paused).toBe(true);
    pacing.detach();
    const second = body();
    pacing.attach(second);
    expect(second.paused).toBe(false);
    pacing.frame();
    expect(second.paused).toBe(true);
    pacing.stop();
  });

  it('leaves no timer once stopped', () => {
    const pacing = new ViewerPacing({ group: 'pausing', share: 0.1, pauseMs: 1_000, everyMs: 2_000 }, clock);
    pacing.attach(body());
    pacing.begin();
    pacing.stop();
    expect(vi.getTimerCount()).toBe(0);
  });
});
