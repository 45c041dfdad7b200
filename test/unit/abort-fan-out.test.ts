import { describe, expect, it } from 'vitest';
import { onAbort, sleepUnlessAborted } from '../../src/connection/abort-fan-out.js';

describe('onAbort: one listener on the run signal for all its connections', () => {
  it('calls each listener still registered once, with the signal aborted, and none that stopped listening', () => {
    const controller = new AbortController();
    const calls: string[] = [];
    onAbort(controller.signal, () => calls.push(`a:${String(controller.signal.aborted)}`));
    const stopB = onAbort(controller.signal, () => calls.push('b'));
    // A listener that stops another one while the abort runs through them.
    let stopD = (): void => undefined;
    onAbort(controller.signal, () => {
      calls.push('c');
      stopD();
    });
    stopD = onAbort(controller.signal, () => calls.push('d'));
    stopB();
    controller.abort();
    controller.abort();
    expect(calls).toEqual(['a:true', 'c', 'd']);
  });

  it('does not call a listener added after the abort, as addEventListener', () => {
    const controller = new AbortController();
    controller.abort();
    const calls: number[] = [];
    onAbort(controller.signal, () => calls.push(1));
    expect(calls).toEqual([]);
  });
});

describe('sleepUnlessAborted', () => {
  it('is true after the wait, false at once when the signal aborts or had', async () => {
    const controller = new AbortController();
    expect(await sleepUnlessAborted(1, controller.signal)).toBe(true);
    const waiting = sleepUnlessAborted(60_000, controller.signal);
    controller.abort();
    expect(await waiting).toBe(false);
    expect(await sleepUnlessAborted(60_000, controller.signal)).toBe(false);
  });
});
