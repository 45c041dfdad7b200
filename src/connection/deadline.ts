/**
 * A signal that aborts when `parent` does or when `ms` have passed. Built from a plain timer on purpose:
 * AbortSignal.any holds its sources weakly, and an AbortSignal.timeout referenced only from there can be
 * garbage-collected before it fires (seen here: a simulator that never stopped).
 */
export function deadline(parent: AbortSignal | undefined, ms: number | undefined): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onParent = (): void => {
    controller.abort(parent?.reason);
  };
  if (parent?.aborted) onParent();
  else parent?.addEventListener('abort', onParent, { once: true });
  const timer =
    ms === undefined
      ? undefined
      : setTimeout(() => {
          controller.abort(new DOMException(`timed out after ${ms} ms`, 'TimeoutError'));
        }, ms);
  return {
    signal: controller.signal,
    dispose: () => {
      if (timer) clearTimeout(timer);
      parent?.removeEventListener('abort', onParent);
    },
  };
}
