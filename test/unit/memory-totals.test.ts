import { mem } from 'systeminformation';
import { describe, expect, it } from 'vitest';
import { parseProcMeminfo, readMemoryTotals } from '../../src/system/memory-totals.js';

describe('/proc/meminfo', () => {
  it('reads the total and MemAvailable, in bytes', () => {
    const text = ['MemTotal:       24683772 kB', 'MemFree:        20133444 kB', 'MemAvailable:   22978368 kB', 'Buffers:          107632 kB', ''].join('\n');
    expect(parseProcMeminfo(text)).toEqual({ totalBytes: 24_683_772 * 1024, availableBytes: 22_978_368 * 1024 });
  });

  it('without MemAvailable (a kernel before 3.14), counts free memory, buffers, page cache and slab as available', () => {
    const text = ['MemTotal: 1000 kB', 'MemFree: 100 kB', 'Buffers: 10 kB', 'Cached: 20 kB', 'SwapCached: 999 kB', 'Slab: 5 kB'].join('\n');
    expect(parseProcMeminfo(text)).toEqual({ totalBytes: 1000 * 1024, availableBytes: 135 * 1024 });
  });

  it('has no figures without a MemTotal', () => {
    expect(parseProcMeminfo('')).toBeUndefined();
  });

  it('gives this machine (Linux) the figures systeminformation reads', async () => {
    const [ours, theirs] = await Promise.all([readMemoryTotals(), mem()]);
    expect(ours?.totalBytes).toBe(theirs.total);
    // Available memory moves between the two reads: within 64 MB of each other.
    expect(Math.abs((ours?.availableBytes ?? 0) - theirs.available)).toBeLessThan(64 * 1024 * 1024);
  });
});
