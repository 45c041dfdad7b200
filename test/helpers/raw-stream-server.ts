import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach } from 'vitest';

// MJPEG servers written on raw TCP, for tests that need what an HTTP server library would not do (HTTP/1.0 bodies
// ended by a close, connections counted as accepted): each socket handed over at its request's first bytes.

/** One multipart part (boundary `frame`) holding a JPEG-shaped body of `size` bytes: SOI, filler, EOI. */
export function jpegPart(size: number): Buffer {
  const jpeg = Buffer.alloc(size, 0x20);
  jpeg.writeUInt16BE(0xffd8, 0);
  jpeg.writeUInt16BE(0xffd9, size - 2);
  return Buffer.concat([Buffer.from(`--frame\r\nContent-Type: image/jpeg\r\nContent-Length: ${size}\r\n\r\n`), jpeg, Buffer.from('\r\n')]);
}

/**
 * Starts such servers on 127.0.0.1 for a test file: every socket and server is closed after each test. Returns the
 * stream URL and how many TCP connections the server accepted.
 */
export function rawStreamServers(): (onRequest: (socket: Socket) => void) => Promise<{ url: string; connections: () => number }> {
  const servers: Server[] = [];
  const sockets: Socket[] = [];
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    await Promise.all(
      servers.splice(0).map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => {
              resolve();
            });
          }),
      ),
    );
  });
  return async (onRequest) => {
    let connections = 0;
    const server = createServer((socket) => {
      connections++;
      sockets.push(socket);
      socket.on('error', () => undefined);
      socket.once('data', () => {
        onRequest(socket);
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/stream`, connections: () => connections };
  };
}
