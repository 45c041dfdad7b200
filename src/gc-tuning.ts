import { setFlagsFromString } from 'node:v8';

/**
 * Turns off V8's incremental marking for this process. A load tester streams hundreds of MB/s through
 * short-lived socket buffers while its own heap stays small; on Node 20 that makes V8 start incremental
 * marking every few tens of milliseconds, and the full collections that follow cost more than counting the
 * frames (measured by `npm run bench -- e2e`: 2.5–3.4× a raw undici drain's CPU per GB at maximum speed,
 * 1.2× with this). The flag is read at each collection, so it can still be set once the process runs; what
 * remains are rare atomic full collections of a heap that stays small.
 */
export function tuneGarbageCollection(): void {
  setFlagsFromString('--no-incremental-marking');
}
