import type { EventEmitter } from 'node:events';

// Every connection and backoff wait of a run listens to the run's one signal. Node's EventTarget walks its
// listeners on each addEventListener (to skip duplicates), so 10,000 streams adding and removing theirs cost
// O(n²) (840 ms of a 10,000-stream run's profile). One listener per signal fans out instead.
const fanOuts = new WeakMap<AbortSignal, Set<() => void>>();

/** Calls `listener` once when `signal` aborts (not if it already has, as addEventListener); returns how to stop listening. */
export function onAbort(signal: AbortSignal, listener: () => void): () => void {
  let listeners = fanOuts.get(signal);
  if (!listeners) {
    const created = new Set<() => void>();
    listeners = created;
    fanOuts.set(signal, created);
    signal.addEventListener(
      'abort',
      () => {
        for (const l of [...created]) l();
        created.clear();
      },
      { once: true },
    );
  }
  const set = listeners;
  set.add(listener);
  return () => {
    set.delete(listener);
  };
}

/** Waits `ms`: true, or false as soon as `signal` aborts (at once if it has). */
export function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      stop();
      resolve(true);
    }, ms);
    const stop = onAbort(signal, () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
}

/**
 * How one connection is aborted: an AbortController's `abort(reason)`, and as its `signal` the members undici's
 * request() reads of an EventEmitter signal (`aborted`, `reason`, `once`/`on` and `removeListener` for 'abort':
 * lib/api/api-request.js and addAbortListener in lib/core/util.js). Not an AbortSignal: Node 20 builds an EventTarget
 * for each controller (12 µs a connection in the profile of a 10,000-stream start). Not an EventEmitter either: its
 * state, and the wrapper its `once` makes, were 0.4 KB a connection at 10,000 streams.
 */
export class ConnectionAbort {
  aborted = false;
  reason: unknown = undefined;
  /** Who listens: one request at a time (a 401's answer is a second request, once the first body is read). */
  private listener: (() => void) | undefined;
  private more: (() => void)[] | undefined;

  /** What undici is given as a request's signal. */
  get signal(): EventEmitter {
    // The members undici reads are here (see the class's note); the rest of EventEmitter's are never called.
    return this as unknown as EventEmitter;
  }

  on(event: string, listener: () => void): this {
    if (event !== 'abort') return this;
    if (this.listener === undefined) this.listener = listener;
    else (this.more ??= []).push(listener);
    return this;
  }

  /** 'abort' comes once: listening once is listening. */
  once(event: string, listener: () => void): this {
    return this.on(event, listener);
  }

  removeListener(event: string, listener: () => void): this {
    if (event !== 'abort') return this;
    if (this.listener === listener) this.listener = undefined;
    else if (this.more !== undefined) {
      const at = this.more.indexOf(listener);
      if (at !== -1) this.more.splice(at, 1);
    }
    return this;
  }

  abort(reason?: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason ?? new DOMException('This operation was aborted', 'AbortError');
    const { listener, more } = this;
    this.listener = undefined;
    this.more = undefined;
    listener?.();
    if (more !== undefined) for (const l of more) l();
  }
}
