import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FixtureServer {
  url: string;
  server: Server;
  requests: IncomingMessage[];
  close(): Promise<void>;
}

/** A small HTTP server on 127.0.0.1:0 that misbehaves on purpose, as `handler` says. */
export async function startFixtureServer(handler: (req: IncomingMessage, res: ServerResponse, origin: string) => void): Promise<FixtureServer> {
  const requests: IncomingMessage[] = [];
  let origin = '';
  const server = createServer((req, res) => {
    requests.push(req);
    handler(req, res, origin);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    server,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(text);
}

/** A camera API listing one active camera whose stream nothing answers: enough for a run refused before it streams. */
export const startOneCameraApi = (): Promise<FixtureServer> =>
  startFixtureServer((_req, res) => {
    json(res, 200, [{ id: 1, name: 'cam', status: 1, fr_url: 'http://127.0.0.1:9/never' }]);
  });
