import { describe, expect, it } from 'vitest';
import { parseProcNetDev, readNetworkTotals } from '../../src/system/network-totals.js';

describe('/proc/net/dev', () => {
  it('sums received and sent bytes over every interface', () => {
    const text = [
      'Inter-|   Receive                                                |  Transmit',
      ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed',
      '    lo: 1000      10    0    0    0     0          0         0     1000      10    0    0    0     0       0          0',
      '  eth0: 52345     99    0    0    0     0          0         0     2000      20    0    0    0     0       0          0',
      '',
    ].join('\n');
    expect(parseProcNetDev(text)).toEqual({ rxBytes: 53_345, txBytes: 3_000 });
  });

  it('reads this machine (Linux) and grows with traffic', async () => {
    const totals = await readNetworkTotals();
    expect(totals?.rxBytes).toBeGreaterThan(0);
  });
});
