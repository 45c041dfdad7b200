import { readProcFile } from './proc-file.js';

export interface NetworkTotals {
  rxBytes: number;
  txBytes: number;
}

/**
 * Bytes received and sent so far on all interfaces, from /proc/net/dev (Linux): one asynchronous file read.
 * systeminformation's network call starts a shell per interface on every sample, and each start costs the
 * event loop being measured. undefined where there is no /proc.
 */
export async function readNetworkTotals(): Promise<NetworkTotals | undefined> {
  const text = await readProcFile('/proc/net/dev');
  return text === undefined ? undefined : parseProcNetDev(text);
}

/** Pure: `iface: rx_bytes rx_packets … (8 receive fields) tx_bytes …` per line after two header lines. */
export function parseProcNetDev(text: string): NetworkTotals {
  let rxBytes = 0;
  let txBytes = 0;
  for (const line of text.split('\n').slice(2)) {
    const colon = line.indexOf(':');
    if (colon === -1) continue;
    const fields = line
      .slice(colon + 1)
      .trim()
      .split(/\s+/)
      .map(Number);
    rxBytes += fields[0] ?? 0;
    txBytes += fields[8] ?? 0;
  }
  return { rxBytes, txBytes };
}
