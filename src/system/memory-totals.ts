import { readProcFile } from './proc-file.js';

export interface MemoryTotals {
  totalBytes: number;
  availableBytes: number;
}

/**
 * The machine's memory and how much of it is available, from /proc/meminfo (Linux): one asynchronous file read, and
 * the figures systeminformation's mem() reads from the same file (whose 23 modules were the largest part of loading
 * the sampler). undefined where there is no /proc.
 */
export async function readMemoryTotals(): Promise<MemoryTotals | undefined> {
  const text = await readProcFile('/proc/meminfo');
  return text === undefined ? undefined : parseProcMeminfo(text);
}

/**
 * Pure: `MemTotal:  24683772 kB` lines. Available is MemAvailable, or, from a kernel older than 3.14 that has none,
 * free memory plus buffers, page cache and slab, as systeminformation counts it; undefined without a MemTotal.
 */
export function parseProcMeminfo(text: string): MemoryTotals | undefined {
  const kib = new Map<string, number>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon !== -1) kib.set(line.slice(0, colon).trim().toLowerCase(), parseInt(line.slice(colon + 1).trim(), 10));
  }
  const bytes = (key: string): number => {
    const value = kib.get(key);
    return value === undefined || Number.isNaN(value) ? 0 : value * 1024;
  };
  const totalBytes = bytes('memtotal');
  if (totalBytes === 0) return undefined;
  const availableBytes = bytes('memavailable') || bytes('memfree') + bytes('buffers') + bytes('cached') + bytes('slab');
  return { totalBytes, availableBytes };
}
