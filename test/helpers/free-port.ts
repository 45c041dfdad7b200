import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

// Below Linux's ephemeral range (32768-60999): a port listen(0) hands out there can be taken, before the server told
// it binds, as the local port of any outgoing connection (the other test files run beside this one); CI once read
// EADDRINUSE so. Ports below it are only ever taken by a listener that asked for that very port.
const LOW = 20_000;
const HIGH = 32_768;
const TRIES = 50;

async function bound(port: number): Promise<number | undefined> {
  const server = createServer();
  const listening = await new Promise<boolean>((resolve) => {
    server.once('error', () => {
      resolve(false);
    });
    server.listen(port, '127.0.0.1', () => {
      resolve(true);
    });
  });
  if (!listening) return undefined;
  const { port: got } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
  return got;
}

/** A port free on 127.0.0.1 a moment ago, for a server that must be told its port before it listens. */
export async function freePort(): Promise<number> {
  for (let i = 0; i < TRIES; i++) {
    const port = await bound(LOW + Math.floor(Math.random() * (HIGH - LOW)));
    if (port !== undefined) return port;
  }
  return (await bound(0)) ?? 0;
}
