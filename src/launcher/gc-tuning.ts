// Go's runtime forces a collection at least every 2 minutes for the same reason: a heap whose limit is not
// reached for a long time still holds garbage, and the process's memory follows its peaks.
const FULL_COLLECTION_EVERY_MS = 60_000;

/**
 * V8 flags for a process that streams hundreds of MB/s through short-lived socket buffers while its own heap
 * stays small; each was chosen by measurement (`npm run bench -- e2e`, `--soak`). Node takes them only on its
 * command line (not in NODE_OPTIONS, and setting them once it runs is undefined behaviour), so `run` and `max`
 * start Node again with them (src/relaunch.ts).
 *
 * - Incremental marking off. On Node 20 such a load made V8 start incremental marking every 50–60 ms, each
 *   round ending in a full collection: 2.5–3.4× a raw undici drain's CPU per GB at maximum speed, about 1×
 *   without it. Full collections then come only when the old generation reaches its limit.
 * - That limit is otherwise up to 4× the live heap: a 500-stream run with reconnections grew from 15 to 55 MB
 *   of heap, and 17% in RSS, before its first full collection. Heap growing factor 1.5, and one full
 *   collection a minute (`--expose-gc`; about 20 ms on such a heap), keep the heap near its live size.
 */
export const GC_FLAGS: readonly string[] = ['--no-incremental-marking', '--heap-growing-percent=50', '--expose-gc'];

/**
 * One full collection a minute, when Node was started with `--expose-gc` (a no-op otherwise). Returns a
 * function that stops it.
 */
export function collectEveryMinute(): () => void {
  const collect = globalThis.gc;
  if (collect === undefined) return () => undefined;
  const timer = setInterval(() => {
    collect();
  }, FULL_COLLECTION_EVERY_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
  };
}
