// A lean MJPEG server for the connect bench, in its own process on 127.0.0.1: every request to /fr/<n>/stream is
// answered `multipart/x-mixed-replace; boundary=frame` with one fixed ~20 KB JPEG (the simulator's frame code),
// its first part written with the headers the moment the request is served, then one part per tick of a single
// shared timer (1/FPS s) to every connected viewer: FPS frames a second each, and no per-stream pacing, behaviour
// or bookkeeping to slow the server's own start. GET /stats answers {"framesSent","viewers","served"}.
// Prints {"port":PORT} on stdout once listening; ends on SIGTERM or SIGINT.
// Usage: node dist-bench/bench/lean-server.js [FPS=5] [FRAME_BYTES=20480]
import { createServer, type ServerResponse } from 'node:http';
import { buildFrameImages } from '../src/sim/frame-images.js';
import { buildPart, streamContentType } from '../src/sim/wire-format.js';

const [fpsArg, bytesArg] = process.argv.slice(2);
const fps = Number(fpsArg ?? 5);
const frameBytes = Number(bytesArg ?? 20 * 1024);
if (!(fps > 0) || !(frameBytes > 0)) throw new Error('usage: lean-server.js [FPS] [FRAME_BYTES]');

const jpeg = buildFrameImages({ count: 1, targetBytes: frameBytes })[0] ?? Buffer.alloc(0);
const part = buildPart(jpeg, { contentLength: true, lineEnding: '\r\n' });
const viewers = new Set<ServerResponse>();
let framesSent = 0;
let served = 0;

const send = (res: ServerResponse): void => {
  res.write(part);
  framesSent++;
};

const server = createServer((req, res) => {
  if (req.url === '/stats') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ framesSent, viewers: viewers.size, served }));
    return;
  }
  if (req.url === undefined || !/^\/fr\/\d+\/stream$/.test(req.url)) {
    res.writeHead(404).end();
    return;
  }
  served++;
  res.writeHead(200, { 'content-type': streamContentType(undefined), 'cache-control': 'no-cache' });
  send(res);
  viewers.add(res);
  res.once('close', () => viewers.delete(res));
});
server.requestTimeout = 0;
server.headersTimeout = 0;
server.keepAliveTimeout = 0;

// One timer for every viewer; bounded by the process's life (SIGTERM ends it).
const ticker = setInterval(() => {
  for (const res of viewers) if (!res.destroyed) send(res);
}, 1000 / fps);

const stop = (): void => {
  clearInterval(ticker);
  for (const res of viewers) res.destroy();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);

server.listen({ host: '127.0.0.1', port: 0, backlog: 65_535 }, () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
});
