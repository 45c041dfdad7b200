import { connect, createServer, type Server, type Socket } from 'node:net';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { Runner } from '../../src/run/runner.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { testPlan } from '../helpers/run-plan.js';

// The stop of a run: what it must not do (open connections for nothing) and what it must keep (every frame).

let server: Server | undefined;
let sim: RunningSimulator | undefined;
const sockets = new Set<Socket>();
afterEach(async () => {
  await sim?.close();
  sim = undefined;
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

/**
 * A listener whose accept queue is full and that does not accept (its thread blocked until `release`): the kernel
 * drops further SYNs, so a connection to it stays in its TCP handshake, as to a camera that does not answer.
 */
async function hangingListener(): Promise<{ port: number; release: () => Promise<void>; released: () => boolean }> {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     const server = require('node:net').createServer().listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
       parentPort.postMessage(server.address().port);
       Atomics.wait(workerData, 0, 0, 20000);
     });`,
    { eval: true, workerData: flag },
  );
  const port = await new Promise<number>((resolve) => worker.once('message', resolve));
  // The accept queue (two with backlog 1) filled before the run connects; the blocked thread never takes them.
  const fillers = [0, 1, 2, 3].map(() => connect(port, '127.0.0.1').on('error', () => undefined));
  let released = false;
  return {
    port,
    released: () => released,
    release: async () => {
      released = true;
      Atomics.store(flag, 0, 1);
      Atomics.notify(flag, 0);
      for (const socket of fillers) socket.destroy();
      await worker.terminate();
    },
  };
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

  it('a connection still in its TCP handshake does not hold the stop', async () => {
    const listener = await hangingListener();
    try {
      const streams = [{ id: '1', name: 'camera 1', streamUrl: `http://127.0.0.1:${listener.port}/stream` }];
      const run = new Runner(testPlan(streams, { durationMs: 300, stallTimeoutMs: 60_000 })).run(new AbortController().signal);
      // The listener takes its connections after 5 s, or once the run has ended: a run whose stop waits for the
      // handshake ends only after that (at undici's 10 s connect timeout, or when the next SYN is accepted). Not a
      // speed check: the run stops 0.3 s after its start, and 5 s is the bound of a liveness check.
      const releasing = new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 5_000);
        void run.finally(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      void releasing.then(() => (listener.released() ? undefined : listener.release()));
      const outcome = await run;
      expect(listener.released()).toBe(false);
      expect(outcome.streams[0]?.frames).toBe(0);
    } finally {
      if (!listener.released()) await listener.release();
    }
  });

  it("a camera that never completes the TCP handshake is given up after --stall-timeout, not undici's 10 s", async () => {
    const listener = await hangingListener();
    try {
      const streams = [{ id: '1', name: 'camera 1', streamUrl: `http://127.0.0.1:${listener.port}/stream` }];
      // 2.5 s with a 300 ms stall timeout and backoff of at most 100 ms: attempts end and start again, where a
      // handshake held to undici's own 10 s connect timeout would be one attempt, still waiting at the end.
      const plan = testPlan(streams, { durationMs: 2_500, stallTimeoutMs: 300, backoff: { baseMs: 50, factor: 1, maxMs: 100 } });
      const outcome = await new Runner(plan).run(new AbortController().signal);
      const stream = outcome.streams[0];
      expect(stream?.attempts, JSON.stringify(stream?.errors)).toBeGreaterThanOrEqual(3);
      const codes = Object.keys(stream?.errors ?? {});
      expect(codes.length).toBeGreaterThan(0);
      for (const code of codes) expect(['HEADERS_TIMEOUT', 'ETIMEDOUT']).toContain(code);
    } finally {
      if (!listener.released()) await listener.release();
    }
  });

  it('streams stopped in the middle of their parts: no part counted as truncated, no error, no frame beyond those sent', async () => {
    // As fast as the client reads, 100 KB parts: the stop falls inside a part on every stream.
    const fleet = await startSimulator({ inactive: 0, cameras: 8, frameBytes: 100_000, maxSpeed: true });
    sim = fleet;
    const cameras = fleet.cameras.filter((c) => c.status === 1).map((c) => ({ id: String(c.id), name: c.name, streamUrl: c.fr_url ?? '' }));
    const outcome = await new Runner(testPlan(cameras, { durationMs: 500 })).run(new AbortController().signal);
    const sent = fleet.stats().cameras;
    for (const stream of outcome.streams) {
      expect(stream.frames).toBeGreaterThan(0);
      expect(stream.parsed.counters.truncatedParts).toBe(0);
      expect(stream.errors).toEqual({});
      expect(stream.frames).toBeLessThanOrEqual(sent.find((c) => String(c.id) === stream.cameraId)?.framesSent ?? 0);
    }
  });
});
