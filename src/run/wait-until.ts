import { setTimeout as sleep } from 'node:timers/promises';

export interface WaitOptions {
  signal: AbortSignal;
  /** Called at once and every `tickMs` while waiting, with the milliseconds left (a countdown). */
  onTick?: (remainingMs: number) => void;
  tickMs?: number;
  /** The wall clock (injected for tests). */
  now?: () => number;
}

/**
 * Waits until the wall clock reads `atMs`. The clock is read again after every sleep, so a long wait does not
 * drift and shards on different machines start within their clocks' difference of each other. Returns false
 * when `signal` aborted the wait (Ctrl+C), true when the instant came.
 */
export async function waitUntil(atMs: number, options: WaitOptions): Promise<boolean> {
  const now = options.now ?? Date.now;
  const tickMs = Math.max(1, options.tickMs ?? 10_000);
  let nextTick = now();
  for (;;) {
    if (options.signal.aborted) return false;
    const current = now();
    const remaining = atMs - current;
    if (remaining <= 0) return true;
    if (current >= nextTick) {
      options.onTick?.(remaining);
      nextTick = current + tickMs;
    }
    try {
      await sleep(Math.min(remaining, nextTick - current), undefined, { signal: options.signal });
    } catch {
      return false;
    }
  }
}
