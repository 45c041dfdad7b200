import { setFlagsFromString } from 'node:v8';

/**
 * V8 settings for a process that streams hundreds of MB/s through short-lived socket buffers while its own
 * heap stays small. Both flags are read at each collection, so they can still be set once the process runs
 * (the bin stays a plain import); both were chosen by measurement (`npm run bench -- e2e`, `--soak`).
 *
 * - Incremental marking off. On Node 20 such a load made V8 start incremental marking every 50–60 ms, each
 *   round ending in a full collection: 2.5–3.4× a raw undici drain's CPU per GB at maximum speed, about 1×
 *   without it. Full collections then come only when the old generation reaches its limit, and they are
 *   short on a heap this size.
 * - Heap growing factor 1.5. That limit is otherwise up to 4× the live heap: a 500-stream run with
 *   reconnections grew from 15 to 55 MB of heap, and 17% in RSS, before its first full collection. At 1.5×
 *   the heap and RSS are flat after the first minute or two, for a collection of about 18 ms every minute or so.
 */
export function tuneGarbageCollection(): void {
  setFlagsFromString('--no-incremental-marking');
  setFlagsFromString('--heap-growing-percent=50');
}
