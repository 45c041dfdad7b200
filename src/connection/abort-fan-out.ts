// For many waits on one signal. Node's EventTarget walks its listeners on each addEventListener (to skip duplicates),
// so 10,000 streams adding and removing theirs cost O(n²) (840 ms of a 10,000-stream run's profile, when every
// connection and backoff wait listened to the run's signal; the run now tells its streams of its stop itself). One
// listener per signal fans out instead.
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
