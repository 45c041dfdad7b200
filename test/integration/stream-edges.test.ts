import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Camera } from '../../src/cameras/camera.js';
import { buildReport } from '../../src/report/build-report.js';
import { renderSummary } from '../../src/render/summary.js';
import type { RunPlan } from '../../src/run/run-plan.js';
import { Runner } from '../../src/run/runner.js';
import { jpegBytes } from '../fixtures/mjpeg-vectors.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { schemaErrors } from '../helpers/report-schema.js';
import { DIRECT } from '../../src/connection/network.js';
import { testPlan } from '../helpers/run-plan.js';

// Servers that misbehave on purpose, through the engine users run: each serves a known number of frames and
// the test asserts the count, or the code, and how long the run took.

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

const FRAME = jpegBytes(2_000, 0x31);

function part(body: Buffer, headers = `Content-Type: image/jpeg\r\nContent-Length: ${body.length}\r\n`, boundary = 'frame'): Buffer {
  return Buffer.concat([Buffer.from(`--${boundary}\r\n${headers}\r\n`, 'latin1'), body, Buffer.from('\r\n', 'latin1')]);
}

/** A stream of `count` frames, then the end of the response. */
function frames(count: number, make: (i: number) => Buffer = () => part(FRAME)): Buffer {
  return Buffer.concat(Array.from({ length: count }, (_, i) => make(i)));
}

async function serve(handler: Parameters<typeof startFixtureServer>[0]): Promise<FixtureServer> {
  const server = await startFixtureServer(handler);
  closers.push(() => server.close());
  return server;
}

/** A TCP server that accepts and never answers: the connect succeeds, the headers never come. */
async function silentServer(): Promise<string> {
  const sockets = new Set<Socket>();
  const server: Server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => {
          resolve();
        });
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/stream`;
}

const camera = (url: string, id = 'cam'): Camera => ({ id, name: id, streamUrl: url });

const plan = (streams: Camera[], overrides: Partial<RunPlan> = {}): RunPlan => testPlan(streams, { durationMs: 1_500, stallTimeoutMs: 500, ...overrides });

async function run(streams: Camera[], overrides: Partial<RunPlan> = {}) {
  const started = performance.now();
  const outcome = await new Runner(plan(streams, overrides)).run(new AbortController().signal);
  const elapsedMs = performance.now() - started;
  const report = buildReport({
    version: 'test',
    config: {},
    cameras: { listed: streams.length, active: streams.length, skipped: 0 },
    streamsRequested: streams.length,
    streamsPerCamera: 1,
    targetDurationMs: plan(streams, overrides).durationMs,
    outcome,
  });
  expect(schemaErrors(report)).toBe('');
  // Every run ends within its duration plus a short shutdown, whatever the server did.
  expect(elapsedMs).toBeLessThan(plan(streams, overrides).durationMs + 1_000);
  return report;
}

const mpHeaders = { 'content-type': 'multipart/x-mixed-replace; boundary=frame' };

/** Sends `body` and holds the response open: one connection for the whole run, so its count is exact. */
const hold =
  (body: Buffer, headers: Record<string, string> = mpHeaders) =>
  (_req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(200, headers);
    res.write(body);
  };
/** Writes `chunk` until `total` bytes went out, as fast as the socket takes them; stops when the client goes. */
function pump(res: ServerResponse, chunk: Buffer, total: number): void {
  let sent = 0;
  const next = (): void => {
    while (sent < total && !res.destroyed) {
      sent += chunk.length;
      if (!res.write(chunk)) {
        res.once('drain', next);
        return;
      }
    }
    res.end();
  };
  next();
}

/** Long enough that a held-open stream is never dropped as stalled during these short runs. */
const NO_STALL = { stallTimeoutMs: 5_000 };

describe('a server that never sends its response headers', () => {
  it('is timed out as HEADERS_TIMEOUT and does not starve a healthy camera of the only connect slot', async () => {
    const silent = await silentServer();
    const healthy = await serve((_req, res) => {
      res.writeHead(200, mpHeaders);
      const timer = setInterval(() => res.write(part(FRAME)), 100);
      res.on('close', () => {
        clearInterval(timer);
      });
    });
    const report = await run([camera(silent, 'silent'), camera(`${healthy.url}/ok`, 'healthy')], { connectConcurrency: 1, durationMs: 2_000 });
    const [stuck, ok] = report.streams;
    expect(stuck?.errors.HEADERS_TIMEOUT).toBeGreaterThanOrEqual(1);
    expect(stuck?.frames).toBe(0);
    expect(stuck?.uptime).toBe(0);
    // The silent one holds the only slot for one stall timeout (500 ms) at most; then the healthy one connects
    // and is never dropped.
    expect(ok?.timeToFirstFrameMs).toBeLessThan(900);
    expect(ok?.frames).toBeGreaterThanOrEqual(8);
    expect(ok?.reconnections).toBe(0);
    expect(report.analysis.warnings.join('\n')).toMatch(/1 stream never delivered a frame: connected, but no response headers .*\(HEADERS_TIMEOUT\)/);
  });
});

describe('compressed streams', () => {
  const cases: [string, (body: Buffer) => Buffer][] = [
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
  ];
  it.each(cases)('Content-Encoding %s: decoded, every frame counted, identity asked for', async (encoding, compress) => {
    const server = await serve(hold(compress(frames(7)), { ...mpHeaders, 'content-encoding': encoding }));
    const report = await run([camera(`${server.url}/s`)], { durationMs: 600, ...NO_STALL });
    const stream = report.streams[0];
    expect(stream?.frames).toBe(7);
    expect(stream?.corruptFrames).toBe(0);
    expect(server.requests[0]?.headers['accept-encoding']).toBe('identity');
  });

  it('raw deflate (no zlib header), as some servers send it, is decoded too', async () => {
    const server = await serve(hold(deflateRawSync(frames(5)), { ...mpHeaders, 'content-encoding': 'deflate' }));
    const stream = (await run([camera(`${server.url}/s`)], { durationMs: 600, ...NO_STALL })).streams[0];
    expect(stream?.frames).toBe(5);
  });

  it('an encoding camera-load cannot decode is UNSUPPORTED_ENCODING, not 0 frames and silence', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { ...mpHeaders, 'content-encoding': 'zstd' });
      res.end(frames(3));
    });
    const report = await run([camera(`${server.url}/s`)], { durationMs: 600 });
    expect(report.streams[0]?.errors.UNSUPPORTED_ENCODING).toBeGreaterThanOrEqual(1);
    expect(report.analysis.assessment).toMatch(/UNSUPPORTED_ENCODING/);
    expect(renderSummary(report)).toMatch(/UNSUPPORTED_ENCODING +\d+ +the stream is compressed/);
  });

  it('a broken gzip body is DECODING_FAILED', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { ...mpHeaders, 'content-encoding': 'gzip' });
      res.end(Buffer.concat([gzipSync(frames(2)).subarray(0, 20), Buffer.alloc(200, 0x55)]));
    });
    const report = await run([camera(`${server.url}/s`)], { durationMs: 600 });
    expect(report.streams[0]?.errors.DECODING_FAILED).toBeGreaterThanOrEqual(1);
  });
});

describe('streams that deliver data and used to count nothing', () => {
  it('after one good frame, a header block that never ends: PART_HEADERS_TOO_LARGE, the connection ends and reconnects', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, mpHeaders);
      res.write(part(FRAME));
      res.write('--frame\r\nContent-Type: image/jpeg\r\n');
      pump(res, Buffer.from(`X-Padding: ${'x'.repeat(1_000)}\r\n`), 40_000_000);
    });
    const report = await run([camera(`${server.url}/s`)], { durationMs: 1_500 });
    const stream = report.streams[0];
    expect(stream?.errors.PART_HEADERS_TOO_LARGE).toBeGreaterThanOrEqual(1);
    expect(stream?.frames).toBe(stream?.errors.PART_HEADERS_TOO_LARGE);
    expect(stream?.reconnections).toBeGreaterThanOrEqual(1);
  });

  it('after one good frame, a body with no delimiter that never ends: PART_TOO_LARGE', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, mpHeaders);
      res.write(part(FRAME));
      res.write('--frame\r\nContent-Type: image/jpeg\r\n\r\n');
      pump(res, Buffer.alloc(64 * 1024, 0x42), 20_000_000);
    });
    const report = await run([camera(`${server.url}/s`)], { durationMs: 2_500 });
    const stream = report.streams[0];
    expect(stream?.errors.PART_TOO_LARGE).toBeGreaterThanOrEqual(1);
    expect(stream?.frames).toBeGreaterThanOrEqual(1);
    expect(stream?.lastError?.code).toMatch(/PART_TOO_LARGE|ABORTED/);
  });

  it.each([
    ['short', -100],
    ['long', 100],
  ])('a part Content-Length 100 bytes %s: every complete JPEG counted, the lie counted per stream', async (_, error) => {
    const server = await serve(hold(frames(12, () => part(FRAME, `Content-Type: image/jpeg\r\nContent-Length: ${FRAME.length + error}\r\n`))));
    const report = await run([camera(`${server.url}/s`)], { durationMs: 600, ...NO_STALL });
    const stream = report.streams[0];
    expect(stream?.frames).toBe(12);
    expect(stream?.lengthMismatches).toBe(12);
    expect(stream?.corruptFrames).toBe(0);
    expect(report.analysis.warnings.join('\n')).toMatch(/Content-Length that disagreed/);
  });

  it('declared boundary=frame, body delimited by --other: counted, and the mismatch named', async () => {
    const server = await serve(hold(frames(9, () => part(FRAME, undefined, 'other'))));
    const report = await run([camera(`${server.url}/s`)], { durationMs: 600, ...NO_STALL });
    const stream = report.streams[0];
    expect(stream?.frames).toBe(9);
    expect(stream?.boundaryMismatch).toEqual({ declared: 'frame', found: 'other' });
    expect(report.summary.streamsWithBoundaryMismatch).toBe(1);
    expect(report.analysis.warnings.join('\n')).toMatch(/declared boundary 'frame' but delimited the body with '--other'/);
  });

  it('a negative HTTP Content-Length is BAD_CONTENT_LENGTH, not ERROR; a stream that never delivered is 0% up', async () => {
    const tcp: Server = createTcpServer((socket) => {
      socket.on('error', () => undefined);
      socket.once('data', () => {
        socket.end('HTTP/1.1 200 OK\r\nContent-Type: multipart/x-mixed-replace; boundary=frame\r\nContent-Length: -5\r\n\r\nabc');
      });
    });
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    closers.push(
      () =>
        new Promise<void>((resolve) =>
          tcp.close(() => {
            resolve();
          }),
        ),
    );
    const report = await run([camera(`http://127.0.0.1:${(tcp.address() as AddressInfo).port}/s`)], { durationMs: 600 });
    const stream = report.streams[0];
    expect(Object.keys(stream?.errors ?? {})).toEqual(['BAD_CONTENT_LENGTH']);
    expect(stream?.uptime).toBe(0);
    expect(report.summary.uptimeMin).toBe(0);
  });

  it('a 200 answer that never delivers a frame is 0% up, however long it stays open', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'multipart/x-mixed-replace; boundary=frame' });
      const timer = setInterval(() => res.write('--other-kind-of-noise\r\n'), 50);
      res.on('close', () => {
        clearInterval(timer);
      });
    });
    const report = await run([camera(`${server.url}/s`)], { durationMs: 800 });
    expect(report.streams[0]?.uptime).toBe(0);
    expect(report.streams[0]?.frames).toBe(0);
  });

  it('a redirect says where it pointed (camera-load does not follow it), its credentials redacted', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(302, { location: 'http://user:secret@cam.example/live?token=abc' });
      res.end();
    });
    const report = await run([camera(`${server.url}/s`)], { durationMs: 300 });
    const message = report.streams[0]?.lastError?.message ?? '';
    expect(report.streams[0]?.lastError?.code).toBe('HTTP_302');
    expect(message).toMatch(/answered HTTP 302, a redirect to http:\/\/.*cam\.example\/live\?token=\[REDACTED\]: camera-load does not follow redirects/);
    expect(message).not.toMatch(/secret|abc/);
  });

  it('a Content-Type sent twice is read by its multipart one, not as a boundary named after both', async () => {
    const tcp: Server = createTcpServer((socket) => {
      socket.on('error', () => undefined);
      socket.once('data', () => {
        socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/plain; boundary=aaa\r\nContent-Type: multipart/x-mixed-replace; boundary=frame\r\n\r\n');
        socket.write(frames(3));
      });
    });
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    closers.push(
      () =>
        new Promise<void>((resolve) =>
          tcp.close(() => {
            resolve();
          }),
        ),
    );
    const report = await run([camera(`http://127.0.0.1:${(tcp.address() as AddressInfo).port}/s`)], { durationMs: 600, stallTimeoutMs: 5_000 });
    expect(report.streams[0]?.frames).toBe(3);
    expect(report.streams[0]?.boundaryMismatch).toBeNull();
  });

  it('bytes that keep coming without completing a frame are a stall: a viewer sees a frozen picture', async () => {
    // One good frame, then a part that never ends, fed a few bytes every 50 ms.
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'multipart/x-mixed-replace; boundary=frame' });
      res.write(Buffer.concat([part(FRAME), Buffer.from('--frame\r\nContent-Type: image/jpeg\r\n\r\n', 'latin1')]));
      const timer = setInterval(() => res.write(Buffer.alloc(64, 0x20)), 50);
      res.on('close', () => {
        clearInterval(timer);
      });
    });
    const report = await run([camera(`${server.url}/s`)], { durationMs: 2_000, stallTimeoutMs: 400 });
    const stream = report.streams[0];
    expect(stream?.stalls).toBeGreaterThanOrEqual(1);
    expect(stream?.errors.STALL).toBe(stream?.stalls);
    expect(stream?.lastError?.message).toMatch(/no complete frame within the stall timeout/);
    // Every connection delivered its one frame before stalling.
    expect(stream?.frames).toBe((stream?.reconnections ?? 0) + 1);
  });

  it('a stream whose only frame is confirmed at the stop (its closing delimiter never came) was up, not 0%', async () => {
    // One whole part, then silence: the delimiter that would confirm it never comes before the run ends.
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'multipart/x-mixed-replace; boundary=frame' });
      res.write(part(FRAME));
    });
    const report = await run([camera(`${server.url}/s`)], { durationMs: 1_500, stallTimeoutMs: 5_000 });
    const stream = report.streams[0];
    expect(stream?.frames).toBe(1);
    expect(stream?.openAtEnd).toBe(true);
    expect(stream?.uptime).toBeGreaterThan(0.9);
    expect(report.summary.uptimeMin).toBeGreaterThan(0.9);
  });
});

describe('TLS failures have their own codes and say what to do', () => {
  const dir = mkdtempSync(join(tmpdir(), 'camera-load-tls-'));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('a self-signed certificate is TLS_SELF_SIGNED, and the summary says --insecure skips it', async () => {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    const server = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, hold(frames(2)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(
      () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => {
            resolve();
          });
        }),
    );
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/s`;
    const report = await run([camera(url)], { durationMs: 600 });
    expect(Object.keys(report.streams[0]?.errors ?? {})).toEqual(['TLS_SELF_SIGNED']);
    expect(renderSummary(report)).toMatch(
      /TLS_SELF_SIGNED +\d+ +the server certificate is self-signed → --ca with that certificate trusts it; --insecure skips the check/,
    );
    const insecure = await run([camera(url)], { durationMs: 600, network: { ...DIRECT, insecure: true }, ...NO_STALL });
    expect(insecure.streams[0]?.frames).toBe(2);
  });
});
