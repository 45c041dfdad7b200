import { createServer, connect, type AddressInfo } from 'node:net';
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

  it('reads this machine (Linux) and grows with traffic: 4 MB through loopback show in both directions', async () => {
    const before = await readNetworkTotals();
    const payload = Buffer.alloc(4_000_000, 0x61);
    const server = createServer((socket) => socket.resume());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    await new Promise<void>((resolve, reject) => {
      const socket = connect((server.address() as AddressInfo).port, '127.0.0.1', () => socket.end(payload));
      socket.on('close', () => {
        resolve();
      });
      socket.on('error', reject);
    });
    await new Promise<void>((resolve) =>
      server.close(() => {
        resolve();
      }),
    );
    const after = await readNetworkTotals();
    // Other processes may add traffic, never take it away: at least our bytes, in and out (loopback counts both).
    expect((after?.rxBytes ?? 0) - (before?.rxBytes ?? 0)).toBeGreaterThanOrEqual(payload.length);
    expect((after?.txBytes ?? 0) - (before?.txBytes ?? 0)).toBeGreaterThanOrEqual(payload.length);
  });
});
