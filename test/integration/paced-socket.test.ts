import { createServer, Socket, type AddressInfo, type Server } from 'node:net';
import { Agent, buildConnector, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PacedSocket, pacedConnector } from '../../src/connection/paced-socket.js';
import type { Pausable } from '../../src/connection/viewer-pacing.js';
import { waitFor } from '../helpers/hold-streams.js';

// A paced viewer's socket (src/connection/paced-socket.ts) through undici, as the runner's dispatchers use it, against
// a server on 127.0.0.1 that writes as fast as its socket takes: held, camera-load reads nothing more and the server's
// own socket fills (TCP carries the hold back to it); let go, it reads on.

const CHUNK = Buffer.alloc(64 * 1024, 0x61);

/** A server that answers one endless body and keeps writing while its socket takes it; `sockets` are its ends. */
function floodServer(): { server: Server; sockets: Socket[] } {
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.once('data', () => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: identity\r\nConnection: close\r\n\r\n');
      // Bounded: at most 2,000 chunks (128 MB), fewer once the socket stops taking them.
      let written = 0;
      const pump = (): void => {
        while (written < 2_000 && !socket.destroyed) {
          written++;
          if (!socket.write(CHUNK)) {
            socket.once('drain', pump);
            return;
          }
        }
      };
      pump();
    });
    socket.on('error', () => undefined);
  });
  return { server, sockets };
}

describe('a paced socket through undici', () => {
  const { server, sockets } = floodServer();
  let origin: string;

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('held, reads nothing more and the server feels it; let go, reads on', async () => {
    let gate: Pausable | undefined;
    const agent = new Agent({ connect: pacedConnector(buildConnector({}), 5_000, (g) => (gate = g)) });
    try {
      const { body } = await request(`${origin}/`, { dispatcher: agent });
      let received = 0;
      body.on('data', (chunk: Buffer) => (received += chunk.length));
      await waitFor(() => (received > 1_000_000 ? true : undefined), 'a megabyte read');
      expect(gate).toBeDefined();
      gate?.pause();
      // What was in flight arrives; then nothing: the server's socket fills and it stops writing.
      const server = sockets.at(-1) as Socket;
      await waitFor(() => (server.writableNeedDrain ? true : undefined), "the server's socket full");
      const held = received;
      await new Promise((resolve) => setTimeout(resolve, 300));
      // At most the reads already handed over (the buffer undici reads from holds 64 KiB).
      expect(received - held).toBeLessThanOrEqual(128 * 1024);
      const whileHeld = received;
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(received).toBe(whileHeld);
      gate?.resume();
      await waitFor(() => (received > whileHeld + 2_000_000 ? true : undefined), 'reading again');
      body.destroy();
    } finally {
      await agent.destroy();
    }
  });

  it("a refused connection fails the request with its code, as undici's own connector does", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const agent = new Agent({ connect: pacedConnector(buildConnector({}), 5_000, () => undefined) });
    try {
      await expect(request(`http://127.0.0.1:${port}/`, { dispatcher: agent })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    } finally {
      await agent.destroy();
    }
  });

  it("an https:// camera goes through undici's own connector, and the pacing is told it holds the body", () => {
    const calls: string[] = [];
    const connector = pacedConnector(
      (options, callback) => {
        calls.push(`base ${options.protocol}`);
        callback(new Error('not here'), null);
      },
      5_000,
      (gate) => calls.push(gate === undefined ? 'body' : 'socket'),
    );
    connector({ hostname: '127.0.0.1', protocol: 'https:', port: '1' }, () => undefined);
    expect(calls).toEqual(['body', 'base https:']);
  });

  it("a socket that does not connect within the connect timeout fails with undici's own timeout error, and is destroyed", async () => {
    // A socket never connected: it never emits 'connect'.
    const paced = new PacedSocket(() => new Socket());
    const error = await new Promise<Error | undefined>((resolve) => {
      paced.whenConnected(50, '127.0.0.1:9', resolve);
    });
    expect(error).toMatchObject({ code: 'UND_ERR_CONNECT_TIMEOUT' });
    expect(paced.destroyed).toBe(true);
  });
});
