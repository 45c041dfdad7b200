import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Runner } from '../../src/run/runner.js';
import { testPlan } from '../helpers/run-plan.js';

// The stop of a run: what it must not do (open connections for nothing) and what it must keep (every frame).

let server: Server | undefined;
const sockets = new Set<Socket>();
afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  await new Promise<void>((resolve) => {
    if (server) {
      server.close(() => {
        resolve();
      });
    } else resolve();
  });
  server = undefined;
});

/** A server that accepts every connection and never answers: attempts wait for headers until the run ends. */
async function silentServer(): Promise<{ port: number; accepted: () => number }> {
  let accepted = 0;
  const listening = createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  server = listening;
  await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
  const address = listening.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { port: address.port, accepted: () => accepted };
}

describe('the stop of a run', () => {
  it('connection attempts still queued behind the connect concurrency never reach the server', async () => {
    const { port, accepted } = await silentServer();
    const streams = Array.from({ length: 10 }, (_, i) => ({ id: String(i), name: `camera ${i}`, streamUrl: `http://127.0.0.1:${port}/stream/${i}` }));
    const outcome = await new Runner(testPlan(streams, { durationMs: 300, stallTimeoutMs: 60_000, connectConcurrency: 2 })).run(new AbortController().signal);
    expect(outcome.streams).toHaveLength(10);
    expect(outcome.streams.every((s) => s.frames === 0)).toBe(true);
    // Two attempts held their slots until the stop; the eight behind them were never sent.
    expect(accepted()).toBeLessThanOrEqual(2);
  });
});
