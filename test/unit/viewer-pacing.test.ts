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
  it('a slow viewer reads at full speed in the lead-in, then holds each chunk for as long as its rate takes to pay for it', () => {
    const pacing = new ViewerPacing({ group: 'slow', share: 0.5, bytesPerSecond: 10_000 }, clock);
    const b = body();
    pacing.attach(b);
    pacing.chunk(1_000_000);
    expect(b.paused).toBe(false);
    pacing.begin();
    pacing.chunk(5_000);
    // 5,000 bytes at 10,000 B/s: half a second held.
    expect(b.paused).toBe(true);
    expect(pacing.holding).toBe(true);
    advance(499);
    expect(b.paused).toBe(true);
    advance(1);
    expect(b.paused).toBe(false);
    // Within its budget: not held.
    advance(500);
    pacing.chunk(4_000);
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
