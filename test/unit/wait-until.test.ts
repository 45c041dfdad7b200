import { describe, expect, it } from 'vitest';
import { waitUntil } from '../../src/run/wait-until.js';

describe('waitUntil: the wall-clock wait before --start-at', () => {
  it('returns at the instant, not before, with a countdown tick at once and then every tickMs', async () => {
    const at = Date.now() + 250;
    const ticks: number[] = [];
    const ok = await waitUntil(at, { signal: new AbortController().signal, tickMs: 100, onTick: (left) => ticks.push(left) });
    const late = Date.now() - at;
    expect(ok).toBe(true);
    expect(late).toBeGreaterThanOrEqual(0);
    expect(late).toBeLessThan(50);
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    expect(ticks.length).toBeLessThanOrEqual(4);
    expect(ticks[0]).toBeGreaterThan(200);
    for (let i = 1; i < ticks.length; i++) expect(ticks[i]).toBeLessThan(ticks[i - 1] as number);
  });

  it('an instant already past returns at once, with no tick', async () => {
    const ticks: number[] = [];
    expect(await waitUntil(Date.now() - 1_000, { signal: new AbortController().signal, onTick: (left) => ticks.push(left) })).toBe(true);
    expect(ticks).toEqual([]);
  });

  it('reads the injected clock again after each sleep: a clock that jumps ahead ends the wait early', async () => {
    let offset = 0;
    const clock = (): number => Date.now() + offset;
    const at = clock() + 60_000;
    setTimeout(() => (offset = 60_000), 50);
    const started = Date.now();
    expect(await waitUntil(at, { signal: new AbortController().signal, tickMs: 20, now: clock })).toBe(true);
    // Far below the 60 s waited for, with room for a loaded machine.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('Ctrl+C (the signal) ends the wait at once with false', async () => {
    const controller = new AbortController();
    setTimeout(() => {
      controller.abort();
    }, 50);
    const started = Date.now();
    expect(await waitUntil(Date.now() + 60_000, { signal: controller.signal })).toBe(false);
    // Far below the 60 s waited for, with room for a loaded machine.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await waitUntil(Date.now() + 60_000, { signal: controller.signal })).toBe(false);
  });
});
