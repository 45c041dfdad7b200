import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { connect, createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/report-types.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { jpegBytes } from '../fixtures/mjpeg-vectors.js';
import { startAuthCamera, type AuthCamera, type DigestAlgorithmName } from '../helpers/auth-camera.js';
import { schemaErrors } from '../helpers/report-schema.js';
import { runCli, type CliResult } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { freePort } from '../helpers/free-port.js';

// The networks users run camera-load in, with real parts on 127.0.0.1 and the CLI spawned as a user would:
// an HTTP proxy (Debian's tinyproxy, whose log shows every request it relayed), a private certificate
// authority (made here with openssl), and cameras that ask for Digest authentication (test/helpers/auth-camera.ts
// checks the answers on its own). Every fixture counts what it sent, so frames are compared exactly.

const dir = tempDir('networks');

/** The proxy's credentials and a camera password that must never be shown anywhere. */
const PROXY_PASSWORD = 'pr0xyS3cret';
const WRONG_PASSWORD = 'wr0ngPa55w0rd';
const CAMERA_PASSWORD = 'c4mPa55w0rd';

/** Nothing from the test runner's own environment decides where requests go or which CAs are trusted. */
const CLEAN_ENV: NodeJS.ProcessEnv = {
  HTTP_PROXY: undefined,
  HTTPS_PROXY: undefined,
  NO_PROXY: undefined,
  ALL_PROXY: undefined,
  http_proxy: undefined,
  https_proxy: undefined,
  no_proxy: undefined,
  all_proxy: undefined,
  NODE_EXTRA_CA_CERTS: undefined,
  NODE_TLS_REJECT_UNAUTHORIZED: undefined,
  CAMERA_AUTH: undefined,
  CAMERA_API_TOKEN: undefined,
  GITHUB_STEP_SUMMARY: undefined,
};

// ---------------------------------------------------------------------------------------------------------------
// Helpers

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  // Last registered first; each runs even when another fails.
  for (const cleanup of cleanups.reverse()) {
    try {
      await cleanup();
    } catch {
      // keep going: every child must be stopped
    }
  }
});

async function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      resolve(false);
    });
  });
}

interface Tinyproxy {
  url: string;
  port: number;
  /** The log written since `mark` (a value of `mark()`), once it has stopped growing (tinyproxy logs from threads). */
  since(mark: number): Promise<string>;
  mark(): number;
}

/** Our own tinyproxy in the foreground (never the system service), with its config and log in the temp folder. */
async function startTinyproxy(name: string, connectPorts: readonly number[], extra: readonly string[] = []): Promise<Tinyproxy> {
  const port = await freePort();
  const logFile = join(dir, `${name}.log`);
  const conf = join(dir, `${name}.conf`);
  writeFileSync(
    conf,
    [
      `Port ${port}`,
      'Listen 127.0.0.1',
      'Timeout 60',
      `LogFile "${logFile}"`,
      'LogLevel Info',
      'MaxClients 100',
      'Allow 127.0.0.1',
      // Only these ports may be tunnelled to with CONNECT; any other CONNECT is refused with 403.
      ...connectPorts.map((p) => `ConnectPort ${p}`),
      ...extra,
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn('/usr/bin/tinyproxy', ['-d', '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          resolve();
          return;
        }
        const timer = setTimeout(() => child.kill('SIGKILL'), 2_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  );
  const deadline = Date.now() + 5_000;
  while (!(await acceptsConnections(port))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`tinyproxy did not start: ${output}`);
    await sleep(25);
  }
  const read = (): string => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
  const since = async (mark: number): Promise<string> => {
    let text = read();
    for (let quiet = 0, waited = 0; quiet < 150 && waited < 2_000; waited += 50) {
      await sleep(50);
      const now = read();
      quiet = now.length === text.length ? quiet + 50 : 0;
      text = now;
    }
    return text.slice(mark);
  };
  return { url: `http://127.0.0.1:${port}`, port, mark: () => read().length, since };
}

/** The request lines tinyproxy relayed ("Request (file descriptor 5): GET http://… HTTP/1.1"). */
function requestLines(log: string): string[] {
  return [...log.matchAll(/Request \(file descriptor \d+\): (.+)$/gm)].map((m) => m[1] ?? '');
}

const FRAME = jpegBytes(1_500, 0x27);
const PART = Buffer.concat([Buffer.from(`--frame\r\nContent-Type: image/jpeg\r\nContent-Length: ${FRAME.length}\r\n\r\n`), FRAME, Buffer.from('\r\n')]);

interface HttpsCamera {
  origin: string;
  port: number;
  streamUrl: string;
  apiUrl: string;
  /** Frames written, stream requests received. */
  counts: { framesSent: number; streamRequests: number; apiRequests: number };
}

/**
 * An HTTPS camera with a certificate from the test's CA: `/stream` sends FRAMES_PER_CONNECTION frames 20 ms apart
 * and then holds the response open (so the count is exact: nothing is in flight when the run ends), and
 * `/api/v1/camera/` lists it.
 */
const FRAMES_PER_CONNECTION = 4;
async function startHttpsCamera(key: Buffer, cert: Buffer): Promise<HttpsCamera> {
  const counts = { framesSent: 0, streamRequests: 0, apiRequests: 0 };
  let origin = '';
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    if (req.url === '/api/v1/camera/') {
      counts.apiRequests++;
      const body = JSON.stringify([{ id: 7, name: 'tls-cam', status: 1, fr_url: `${origin}/stream` }]);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    if (req.url !== '/stream') {
      res.writeHead(404).end();
      return;
    }
    counts.streamRequests++;
    res.writeHead(200, { 'content-type': 'multipart/x-mixed-replace; boundary=frame' });
    let sent = 0;
    const timer = setInterval(() => {
      if (sent >= FRAMES_PER_CONNECTION || res.destroyed) {
        clearInterval(timer);
        return;
      }
      sent++;
      counts.framesSent++;
      res.write(PART);
    }, 20);
    res.on('close', () => {
      clearInterval(timer);
    });
  };
  const server: HttpsServer = createHttpsServer({ key, cert }, handler);
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  origin = `https://127.0.0.1:${port}`;
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  );
  return { origin, port, streamUrl: `${origin}/stream`, apiUrl: `${origin}/api/v1/camera/`, counts };
}

/** A CA and a server certificate for IP:127.0.0.1 signed by it, made with openssl in the temp folder. */
function makeCertificates(): { caFile: string; key: Buffer; cert: Buffer } {
  const at = (name: string): string => join(dir, name);
  const openssl = (args: string[]): void => {
    execFileSync('/usr/bin/openssl', args, { stdio: 'ignore', cwd: dir });
  };
  openssl([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=camera-load test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
    '-keyout',
    at('ca.key'),
    '-out',
    at('ca.pem'),
  ]);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', at('server.key'), '-out', at('server.csr')]);
  writeFileSync(at('server.ext'), 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  openssl([
    'x509',
    '-req',
    '-in',
    at('server.csr'),
    '-CA',
    at('ca.pem'),
    '-CAkey',
    at('ca.key'),
    '-set_serial',
    '2',
    '-days',
    '2',
    '-extfile',
    at('server.ext'),
    '-out',
    at('server.pem'),
  ]);
  return { caFile: at('ca.pem'), key: readFileSync(at('server.key')), cert: readFileSync(at('server.pem')) };
}

interface Outputs {
  report: string;
  log: string;
  junit: string;
}

let counter = 0;
function outputs(): Outputs {
  counter++;
  return { report: join(dir, `report-${counter}.json`), log: join(dir, `run-${counter}.log`), junit: join(dir, `junit-${counter}.xml`) };
}

interface Run {
  result: CliResult;
  out: Outputs;
  report: Report;
  /** Every text a user or CI sees or keeps: stdout, stderr, the report, the log, the JUnit file. */
  texts: Record<string, string>;
}

const read = (path: string): string => (existsSync(path) ? readFileSync(path, 'utf8') : '');

/** Runs the CLI with its outputs in the temp folder and a clean network environment plus `env`. */
async function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const out = outputs();
  const result = await runCli([...args, '--output', out.report, '--log', out.log, '--junit', out.junit], {
    env: { ...CLEAN_ENV, ...env },
    timeoutMs: 20_000,
    cwd: dir,
  });
  const reportText = read(out.report);
  const report = (reportText === '' ? {} : JSON.parse(reportText)) as Report;
  return {
    result,
    out,
    report,
    texts: { stdout: result.stdout, stderr: result.stderr, report: reportText, log: read(out.log), junit: read(out.junit) },
  };
}

/**
 * A run that completed: nothing on stderr, a report that matches the schema, exit 0, or 1 when no stream delivered a
 * frame (nothing measured never passes).
 */
function expectCompleted({ result, report }: Run): void {
  expect(result.stderr, result.stdout).toBe('');
  expect(result.code, result.stdout).toBe(report.summary.streamsOpened === 0 ? 1 : 0);
  expect(schemaErrors(report)).toBe('');
}

function expectNoSecret(texts: Record<string, string>, secrets: readonly string[]): void {
  for (const [where, text] of Object.entries(texts)) {
    // A file that was never written would pass for the wrong reason; stderr is empty on a good run.
    if (where !== 'stderr') expect(text.length, `${where} is empty`).toBeGreaterThan(0);
    for (const secret of secrets) expect(text.includes(secret), `${secret} in ${where}`).toBe(false);
  }
}

const proxyConfig = (report: Report): Record<string, unknown> | null => report.config.proxy as Record<string, unknown> | null;

function writeCameras(name: string, cameras: { id: string; url: string }[]): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(cameras.map((c) => ({ id: c.id, name: c.id, status: 1, fr_url: c.url }))));
  return file;
}

// ---------------------------------------------------------------------------------------------------------------
// The parts: a simulated fleet whose every camera sends 3 frames and then holds its stream open (so its count of
// frames sent is final and exact), two HTTPS cameras from a private CA (tinyproxy tunnels to the first one only),
// tinyproxy, and a port nothing listens on (a proxy that is down).

const SIM_FRAMES = 3;
let sim: RunningSimulator;
let certs: ReturnType<typeof makeCertificates>;
let tlsCamera: HttpsCamera;
let tlsNotTunnelled: HttpsCamera;
let proxy: Tinyproxy;
/** A second tinyproxy that wants Basic credentials (407 without them). */
let authProxy: Tinyproxy;
let downPort: number;

beforeAll(async () => {
  sim = await startSimulator({ cameras: 3, inactive: 0, fps: 10, frameBytes: 2_000, faults: { stallAfterFrames: { value: SIM_FRAMES, share: 1 } } });
  cleanups.push(() => sim.close());
  certs = makeCertificates();
  tlsCamera = await startHttpsCamera(certs.key, certs.cert);
  tlsNotTunnelled = await startHttpsCamera(certs.key, certs.cert);
  proxy = await startTinyproxy('tinyproxy', [tlsCamera.port]);
  authProxy = await startTinyproxy('tinyproxy-auth', [tlsCamera.port], [`BasicAuth puser ${PROXY_PASSWORD}`]);
  downPort = await freePort();
}, 20_000);

const simFramesSent = (): number => sim.stats().totals.framesSent;
const simHost = (): string => `127.0.0.1:${sim.port}`;

// ---------------------------------------------------------------------------------------------------------------

describe('an HTTP proxy (tinyproxy), from the environment or --proxy', () => {
  it('HTTP_PROXY: the API request and every stream go through the proxy, and every frame is counted', async () => {
    const mark = proxy.mark();
    const before = simFramesSent();
    const ran = await run(['--api-url', sim.apiUrl, '--max-streams', '3', '--duration', '1500ms'], { HTTP_PROXY: proxy.url });
    expectCompleted(ran);
    const lines = requestLines(await proxy.since(mark));
    expect(lines).toContain(`GET ${sim.apiUrl} HTTP/1.1`);
    for (const camera of sim.cameras) {
      expect(camera.fr_url).not.toBeNull();
      expect(lines).toContain(`GET ${camera.fr_url ?? ''} HTTP/1.1`);
    }
    expect(lines).toHaveLength(4);
    expect(proxyConfig(ran.report)).toEqual({
      from: 'environment',
      http: `${proxy.url}/`,
      https: `${proxy.url}/`,
      noProxy: '',
      proxiedHosts: [simHost()],
      directHosts: [],
    });
    expect(ran.report.summary.streamsOpened).toBe(3);
    expect(ran.report.summary.errors).toEqual({});
    expect(ran.report.summary.totalFrames).toBe(3 * SIM_FRAMES);
    expect(simFramesSent() - before).toBe(ran.report.summary.totalFrames);
  });

  it('NO_PROXY=localhost: a camera at localhost goes direct, one at 127.0.0.1 through the proxy', async () => {
    const direct = `http://localhost:${sim.port}/fr/101/stream`;
    const proxied = `http://127.0.0.1:${sim.port}/fr/102/stream`;
    const file = writeCameras('no-proxy.json', [
      { id: 'direct', url: direct },
      { id: 'proxied', url: proxied },
    ]);
    const mark = proxy.mark();
    const before = simFramesSent();
    const ran = await run(['--cameras-file', file, '--max-streams', '2', '--duration', '1500ms'], { http_proxy: proxy.url, NO_PROXY: 'localhost' });
    expectCompleted(ran);
    expect(requestLines(await proxy.since(mark))).toEqual([`GET ${proxied} HTTP/1.1`]);
    expect(proxyConfig(ran.report)).toMatchObject({
      from: 'environment',
      noProxy: 'localhost',
      proxiedHosts: [simHost()],
      directHosts: [`localhost:${sim.port}`],
    });
    expect(ran.report.streams.map((s) => [s.cameraId, s.frames])).toEqual([
      ['direct', SIM_FRAMES],
      ['proxied', SIM_FRAMES],
    ]);
    expect(simFramesSent() - before).toBe(2 * SIM_FRAMES);
  });

  it('--proxy overrides the environment, and --proxy "" means no proxy at all', async () => {
    const url = `http://127.0.0.1:${sim.port}/fr/103/stream`;
    const env = { HTTP_PROXY: `http://127.0.0.1:${downPort}`, HTTPS_PROXY: `http://127.0.0.1:${downPort}` };

    let mark = proxy.mark();
    let before = simFramesSent();
    const through = await run(['--url', url, '--proxy', proxy.url, '--max-streams', '1', '--duration', '1s'], env);
    expectCompleted(through);
    expect(requestLines(await proxy.since(mark))).toEqual([`GET ${url} HTTP/1.1`]);
    expect(proxyConfig(through.report)).toMatchObject({ from: '--proxy', http: `${proxy.url}/`, proxiedHosts: [simHost()], directHosts: [] });
    expect(through.report.summary.totalFrames).toBe(SIM_FRAMES);
    expect(simFramesSent() - before).toBe(SIM_FRAMES);

    mark = proxy.mark();
    before = simFramesSent();
    const none = await run(['--url', url, '--proxy', '', '--max-streams', '1', '--duration', '1s'], env);
    expectCompleted(none);
    expect(requestLines(await proxy.since(mark))).toEqual([]);
    expect(proxyConfig(none.report)).toBeNull();
    expect(none.report.summary.totalFrames).toBe(SIM_FRAMES);
    expect(simFramesSent() - before).toBe(SIM_FRAMES);
  });

  it('slow and stuck viewers through the proxy: their pacing holds the response body (they have no socket of their own to hold) and they read less', async () => {
    // A fleet that keeps sending (the shared one stops after 3 frames): 10 fps × 10 KB, 100 KB/s a stream.
    const flowing = await startSimulator({ cameras: 3, inactive: 0, fps: 10, frameBytes: 10_000 });
    try {
      const args = ['--api-url', flowing.apiUrl, '--max-streams', '3', '--duration', '4s', '--lead-in', '1s', '--seed', '3'];
      const ran = await run([...args, '--slow-viewers', '34%@20KB/s', '--stuck-viewers', '33%'], { HTTP_PROXY: proxy.url });
      expectCompleted(ran);
      const frames = (group: string): number => ran.report.viewerGroups?.find((g) => g.group === group)?.summary.totalFrames ?? NaN;
      // After the 1 s lead-in, 3 s at 20 KB/s is 6 frames (a burst of a second's more), against 30 for a normal viewer.
      expect(frames('slow')).toBeLessThan(frames('normal') * 0.7);
      expect(frames('stuck')).toBeLessThan(frames('normal') * 0.5);
      expect(ran.report.summary.totalReconnections).toBe(0);
      expect(ran.report.streams.map((s) => s.stalls)).toEqual([0, 0, 0]);
    } finally {
      await flowing.close();
    }
  });

  it('a proxy that is down: streams fail with PROXY_UNREACHABLE, and its credentials are shown nowhere', async () => {
    const proxyUrl = `http://puser:${PROXY_PASSWORD}@127.0.0.1:${downPort}`;
    const before = sim.stats().totals.requests;
    const ran = await run(['--url', `http://127.0.0.1:${sim.port}/fr/101/stream`, '--max-streams', '1', '--duration', '1s'], { HTTP_PROXY: proxyUrl });
    // Nothing measured: exit 1, and why.
    expect(ran.result.code).toBe(1);
    expect(ran.result.stdout).toMatch(/^camera-load: NOTHING MEASURED — none of 1 stream delivered a frame \(PROXY_UNREACHABLE ×\d+\)$/m);
    expect(schemaErrors(ran.report)).toBe('');
    expect(Object.keys(ran.report.summary.errors)).toEqual(['PROXY_UNREACHABLE']);
    expect(ran.report.streams[0]?.lastError?.message).toMatch(new RegExp(`proxy 127\\.0\\.0\\.1:${downPort} cannot be reached \\(ECONNREFUSED\\)`));
    expect(ran.report.summary.totalFrames).toBe(0);
    expect(sim.stats().totals.requests - before).toBe(0);
    expect(ran.result.stdout).toMatch(/PROXY_UNREACHABLE +\d+ +the proxy itself cannot be reached/);
    expect(proxyConfig(ran.report)).toMatchObject({ from: 'environment', http: `http://[REDACTED]@127.0.0.1:${downPort}/` });
    expectNoSecret(ran.texts, [PROXY_PASSWORD, 'puser', Buffer.from(`puser:${PROXY_PASSWORD}`).toString('base64')]);
  });

  it('a proxy that is down for the camera API: exit 3, one line naming the proxy, credentials not shown', async () => {
    const proxyUrl = `http://puser:${PROXY_PASSWORD}@127.0.0.1:${downPort}`;
    const ran = await run(['--api-url', sim.apiUrl, '--max-streams', '1', '--duration', '1s'], { HTTPS_PROXY: proxyUrl, HTTP_PROXY: proxyUrl });
    expect(ran.result.code).toBe(3);
    const lines = ran.result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^camera-load: GET ${sim.apiUrl}: the proxy 127\\.0\\.0\\.1:${downPort} cannot be reached \\(ECONNREFUSED\\)`));
    for (const [where, text] of Object.entries(ran.texts)) expect(text.includes(PROXY_PASSWORD), `password in ${where}`).toBe(false);
  });

  it('a proxy that wants credentials: user:pass@ in HTTP_PROXY/HTTPS_PROXY gets through, and they are shown nowhere', async () => {
    const good = `http://puser:${PROXY_PASSWORD}@127.0.0.1:${authProxy.port}`;
    const url = `http://127.0.0.1:${sim.port}/fr/102/stream`;
    const mark = authProxy.mark();
    const before = simFramesSent();
    const tlsBefore = tlsCamera.counts.framesSent;
    const ran = await run(['--url', url, '--url', tlsCamera.streamUrl, '--ca', certs.caFile, '--max-streams', '2', '--duration', '1500ms'], {
      HTTP_PROXY: good,
      HTTPS_PROXY: good,
    });
    expectCompleted(ran);
    const lines = requestLines(await authProxy.since(mark));
    expect(lines).toContain(`GET ${url} HTTP/1.1`);
    expect(lines).toContain(`CONNECT 127.0.0.1:${tlsCamera.port} HTTP/1.1`);
    expect(ran.report.summary.errors).toEqual({});
    expect(ran.report.streams.map((s) => s.frames)).toEqual([SIM_FRAMES, FRAMES_PER_CONNECTION]);
    expect(simFramesSent() - before).toBe(SIM_FRAMES);
    expect(tlsCamera.counts.framesSent - tlsBefore).toBe(FRAMES_PER_CONNECTION);
    const redacted = `http://[REDACTED]@127.0.0.1:${authProxy.port}/`;
    expect(proxyConfig(ran.report)).toMatchObject({ from: 'environment', http: redacted, https: redacted });
    const basic = Buffer.from(`puser:${PROXY_PASSWORD}`).toString('base64');
    expectNoSecret(ran.texts, [PROXY_PASSWORD, basic]);
  });

  // Without credentials the same proxy answers 407 to a plain (forwarded) request and to a CONNECT; both must be
  // named as the proxy asking for credentials. (To wrong credentials tinyproxy 1.11 answers 401, its own quirk,
  // so the case here is none at all.)
  it('a proxy that wants credentials, given none: a CONNECT is PROXY_REFUSED with its 407', async () => {
    const mark = authProxy.mark();
    const refused = await run(['--url', tlsCamera.streamUrl, '--ca', certs.caFile, '--max-streams', '1', '--duration', '1s'], { HTTPS_PROXY: authProxy.url });
    expectCompleted(refused);
    expect(requestLines(await authProxy.since(mark))).toContain(`CONNECT 127.0.0.1:${tlsCamera.port} HTTP/1.1`);
    expect(refused.report.summary.totalFrames).toBe(0);
    const tunnelled = refused.report.streams[0];
    expect(Object.keys(tunnelled?.errors ?? {})).toEqual(['PROXY_REFUSED']);
    expect(tunnelled?.lastError?.message).toBe('the proxy refused the request with HTTP 407: it asks for credentials (user:password@ in the proxy URL)');
    expect(refused.result.stdout).toMatch(/PROXY_REFUSED +\d+ +the proxy refused the request/);
  });

  it('a proxy that wants credentials, given none: a forwarded http:// stream and the API say 407, not INVALID_REQUEST', async () => {
    const url = `http://127.0.0.1:${sim.port}/fr/102/stream`;
    const mark = authProxy.mark();
    const refused = await run(['--url', url, '--max-streams', '1', '--duration', '1s'], { HTTP_PROXY: authProxy.url });
    expectCompleted(refused);
    expect(requestLines(await authProxy.since(mark))).toContain(`GET ${url} HTTP/1.1`);
    expect(refused.report.summary.totalFrames).toBe(0);
    const plain = refused.report.streams[0];
    // The forwarded http:// request: undici's proxy agent turns the proxy's 407 into an InvalidArgumentError
    // ('Proxy Authentication Required (407)'); it must still read as the proxy's 407, not INVALID_REQUEST.
    expect(['HTTP_407', 'PROXY_REFUSED']).toContain(plain?.lastError?.code);
    expect(plain?.lastError?.message).toMatch(/407/);
    expect(refused.result.stdout).not.toMatch(/INVALID_REQUEST/);

    // The camera API through it: exit 3, and the one line says the proxy wants credentials.
    const api = await run(['--api-url', sim.apiUrl, '--max-streams', '1', '--duration', '1s'], { HTTP_PROXY: authProxy.url });
    expect(api.result.code).toBe(3);
    expect(api.result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(api.result.stderr).toMatch(new RegExp(`^camera-load: GET ${sim.apiUrl}: .*proxy.*407`));
  });

  it("--simulate ignores the environment's proxy (the fleet is on 127.0.0.1)", async () => {
    const ran = await run(['--simulate', '2', '--max-streams', '2', '--duration', '1s'], {
      HTTP_PROXY: `http://127.0.0.1:${downPort}`,
      HTTPS_PROXY: `http://127.0.0.1:${downPort}`,
    });
    expectCompleted(ran);
    expect(proxyConfig(ran.report)).toBeNull();
    expect(ran.report.summary.streamsOpened).toBe(2);
    expect(ran.report.summary.errors).toEqual({});
  });

  it('https:// through the proxy: a CONNECT tunnel, every frame counted; a port the proxy refuses is PROXY_REFUSED', async () => {
    const mark = proxy.mark();
    const before = tlsCamera.counts.framesSent;
    const refusedBefore = tlsNotTunnelled.counts.streamRequests;
    const ran = await run(['--url', tlsCamera.streamUrl, '--url', tlsNotTunnelled.streamUrl, '--ca', certs.caFile, '--max-streams', '2', '--duration', '2s'], {
      HTTPS_PROXY: proxy.url,
    });
    expectCompleted(ran);
    const log = await proxy.since(mark);
    expect(requestLines(log)).toContain(`CONNECT 127.0.0.1:${tlsCamera.port} HTTP/1.1`);
    expect(log).toContain(`Refused CONNECT method on port ${tlsNotTunnelled.port}`);
    expect(proxyConfig(ran.report)).toMatchObject({
      from: 'environment',
      http: null,
      https: `${proxy.url}/`,
      proxiedHosts: [`127.0.0.1:${tlsCamera.port}`, `127.0.0.1:${tlsNotTunnelled.port}`].sort(),
      directHosts: [],
    });
    const [tunnelled, refused] = ran.report.streams;
    expect(tunnelled?.frames).toBe(FRAMES_PER_CONNECTION);
    expect(tunnelled?.errors).toEqual({});
    expect(tlsCamera.counts.framesSent - before).toBe(FRAMES_PER_CONNECTION);
    expect(refused?.frames).toBe(0);
    expect(Object.keys(refused?.errors ?? {})).toEqual(['PROXY_REFUSED']);
    expect(refused?.lastError?.message).toMatch(/the proxy refused the request with HTTP 403/);
    expect(tlsNotTunnelled.counts.streamRequests - refusedBefore).toBe(0);
    expect(ran.result.stdout).toMatch(/PROXY_REFUSED +\d+ +the proxy refused the request/);
  });
  it('an HTTPS camera API and its stream through the tunnel, with --ca; without it TLS_UNKNOWN_CA, not a proxy code', async () => {
    let mark = proxy.mark();
    const apiBefore = tlsCamera.counts.apiRequests;
    const before = tlsCamera.counts.framesSent;
    const ran = await run(['--api-url', tlsCamera.apiUrl, '--ca', certs.caFile, '--max-streams', '1', '--duration', '1s'], { HTTPS_PROXY: proxy.url });
    expectCompleted(ran);
    const connects = requestLines(await proxy.since(mark)).filter((line) => line === `CONNECT 127.0.0.1:${tlsCamera.port} HTTP/1.1`);
    expect(connects.length).toBeGreaterThanOrEqual(2);
    expect(tlsCamera.counts.apiRequests - apiBefore).toBe(1);
    expect(ran.report.summary.errors).toEqual({});
    expect(ran.report.summary.totalFrames).toBe(FRAMES_PER_CONNECTION);
    expect(tlsCamera.counts.framesSent - before).toBe(FRAMES_PER_CONNECTION);
    expect(proxyConfig(ran.report)).toMatchObject({ proxiedHosts: [`127.0.0.1:${tlsCamera.port}`], directHosts: [] });

    mark = proxy.mark();
    const untrusted = await run(['--url', tlsCamera.streamUrl, '--max-streams', '1', '--duration', '1s'], { HTTPS_PROXY: proxy.url });
    expectCompleted(untrusted);
    expect(requestLines(await proxy.since(mark))).toContain(`CONNECT 127.0.0.1:${tlsCamera.port} HTTP/1.1`);
    expect(Object.keys(untrusted.report.summary.errors)).toEqual(['TLS_UNKNOWN_CA']);
  });
});

describe('a private certificate authority (--ca)', () => {
  it('without --ca the stream is TLS_UNKNOWN_CA and the summary names --ca; with it every frame is counted', async () => {
    const without = await run(['--url', tlsCamera.streamUrl, '--max-streams', '1', '--duration', '1s']);
    expectCompleted(without);
    expect(Object.keys(without.report.summary.errors)).toEqual(['TLS_UNKNOWN_CA']);
    expect(without.report.summary.totalFrames).toBe(0);
    expect(without.result.stdout).toMatch(/TLS_UNKNOWN_CA +\d+ +the certificate is signed by an authority this machine does not trust/);
    expect(without.result.stdout).toContain('--ca ca.pem (or NODE_EXTRA_CA_CERTS=ca.pem)');

    const before = tlsCamera.counts.framesSent;
    const trusted = await run(['--url', tlsCamera.streamUrl, '--ca', certs.caFile, '--max-streams', '1', '--duration', '1s']);
    expectCompleted(trusted);
    expect(trusted.report.summary.errors).toEqual({});
    expect(trusted.report.summary.streamsOpened).toBe(1);
    expect(trusted.report.summary.totalFrames).toBe(FRAMES_PER_CONNECTION);
    expect(tlsCamera.counts.framesSent - before).toBe(FRAMES_PER_CONNECTION);
  });

  it('an HTTPS camera API from the private CA: listed and streamed with --ca, exit 3 without', async () => {
    const apiBefore = tlsCamera.counts.apiRequests;
    const before = tlsCamera.counts.framesSent;
    const ran = await run(['--api-url', tlsCamera.apiUrl, '--ca', certs.caFile, '--max-streams', '1', '--duration', '1s']);
    expectCompleted(ran);
    expect(tlsCamera.counts.apiRequests - apiBefore).toBe(1);
    expect(ran.report.streams.map((s) => [s.cameraId, s.frames])).toEqual([['7', FRAMES_PER_CONNECTION]]);
    expect(ran.report.summary.errors).toEqual({});
    expect(tlsCamera.counts.framesSent - before).toBe(FRAMES_PER_CONNECTION);

    const without = await run(['--api-url', tlsCamera.apiUrl, '--max-streams', '1', '--duration', '1s']);
    expect(without.result.code).toBe(3);
    expect(without.result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(without.result.stderr).toMatch(/--ca trusts a private CA/);
  });

  it('a --ca file with no certificate: exit 2, one line, before anything runs', async () => {
    const file = join(dir, 'not-a-ca.pem');
    writeFileSync(file, 'this is not a certificate\n');
    const before = tlsCamera.counts.streamRequests;
    const ran = await run(['--url', tlsCamera.streamUrl, '--ca', file, '--duration', '1s']);
    expect(ran.result.code).toBe(2);
    expect(ran.result.stderr.trimEnd().split('\n')).toEqual([`camera-load: --ca ${file}: holds no PEM certificate (-----BEGIN CERTIFICATE-----)`]);
    expect(tlsCamera.counts.streamRequests - before).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------------------------

/** The `name=value` of a Digest Authorization header. */
function digestParam(header: string | undefined, name: string): string | undefined {
  return new RegExp(`[\\s,]${name}="?([^",]*)"?`).exec(` ${header ?? ''}`)?.[1];
}

/**
 * What a camera saw from a client that answers right: one 401 for the first request (no credentials), then one
 * nonce reused by every later request, with nc 1, 2, 3, … (no second challenge, no replay).
 */
function expectDigestReuse(camera: AuthCamera, algorithm: DigestAlgorithmName): void {
  const { counts } = camera;
  expect(counts.reasons).toEqual(['missing']);
  expect(counts.authorizations[0]).toBeUndefined();
  const answers = counts.authorizations.slice(1);
  expect(answers.length).toBe(counts.successes);
  expect(counts.successes).toBeGreaterThanOrEqual(2);
  for (const header of answers) {
    expect(header).toMatch(/^Digest /);
    expect(digestParam(header, 'algorithm')).toBe(algorithm);
  }
  expect(new Set(answers.map((h) => digestParam(h, 'nonce'))).size).toBe(1);
  expect(answers.map((h) => Number.parseInt(digestParam(h, 'nc') ?? '', 16))).toEqual(answers.map((_, i) => i + 1));
}

/**
 * A TCP relay in front of a camera that can be shut: after `shut()` it takes no new connection and cuts any kept-alive
 * one that starts another request, while the responses already under way finish. The auth camera ends each response
 * after 3 frames, so shutting the relay well before the run ends leaves no frame in flight at the end: the camera's
 * count of frames sent is then final, and the report must match it exactly.
 */
interface Relay {
  url: string;
  shut(): void;
}

async function startRelay(target: string): Promise<Relay> {
  const { port: targetPort, pathname, search } = new URL(target);
  let shut = false;
  const sockets = new Set<Socket>();
  const server = createTcpServer((client) => {
    const upstream = connect(Number(targetPort), '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (chunk: Buffer) => {
      // GET requests have no body: any byte from the client after the shut starts a new request.
      if (shut) client.destroy();
      else upstream.write(chunk);
    });
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => {
          resolve();
        });
      }),
  );
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${pathname}${search}`,
    shut: () => {
      shut = true;
      server.close();
    },
  };
}

describe('cameras that ask for Digest authentication', () => {
  const cameras: AuthCamera[] = [];
  afterAll(async () => {
    for (const camera of cameras) await camera.close();
  });
  const camera = async (algorithm: DigestAlgorithmName): Promise<AuthCamera> => {
    // 3 frames per connection, then the camera ends the response: the stream reconnects, reusing the nonce.
    const started = await startAuthCamera({ scheme: 'digest', username: 'user', password: CAMERA_PASSWORD, algorithms: [algorithm], frames: 3, fps: 50 });
    cameras.push(started);
    return started;
  };

  /** The run, with the relay shut once the camera served 4 streams (about 0.5 s into a 2 s run), or at its end. */
  async function runShut(cam: AuthCamera, relay: Relay, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
    const state = { done: false };
    const running = run([...args, '--max-streams', '1', '--duration', '2s', '--backoff-max', '100ms'], env).finally(() => {
      state.done = true;
    });
    while (!state.done && cam.counts.successes < 4) await sleep(10);
    relay.shut();
    const ran = await running;
    expectCompleted(ran);
    expect(cam.counts.successes, 'the relay was shut before the camera served 4 streams').toBeGreaterThanOrEqual(4);
    return ran;
  }

  it.each(['SHA-256', 'MD5'] as const)('Digest %s from user:pass@ in --url: every frame counted, the nonce reused with nc+1', async (algorithm) => {
    const cam = await camera(algorithm);
    const relay = await startRelay(cam.url);
    const ran = await runShut(cam, relay, ['--url', relay.url.replace('http://', `http://user:${CAMERA_PASSWORD}@`)]);
    const stream = ran.report.streams[0];
    expect(stream?.frames).toBe(cam.counts.framesSent);
    expect(stream?.errors.ENDED).toBeGreaterThanOrEqual(3);
    expect(stream?.errors.HTTP_401).toBeUndefined();
    expectDigestReuse(cam, algorithm);
    expectNoSecret(ran.texts, [CAMERA_PASSWORD]);
  });

  it('--camera-auth user:pass for a cameras file without credentials works the same', async () => {
    const cam = await camera('SHA-256');
    const relay = await startRelay(cam.url);
    const file = writeCameras('digest-cameras.json', [{ id: 'digest-cam', url: relay.url }]);
    const ran = await runShut(cam, relay, ['--cameras-file', file, '--camera-auth', `user:${CAMERA_PASSWORD}`]);
    expect(ran.report.streams[0]?.frames).toBe(cam.counts.framesSent);
    expect(ran.report.streams[0]?.errors.HTTP_401).toBeUndefined();
    expectDigestReuse(cam, 'SHA-256');
    expectNoSecret(ran.texts, [CAMERA_PASSWORD]);
  });

  it('CAMERA_AUTH, through an HTTP proxy: the challenge and the answers are relayed, the nonce reused', async () => {
    const cam = await camera('SHA-256');
    const relay = await startRelay(cam.url);
    const mark = proxy.mark();
    const ran = await runShut(cam, relay, ['--url', relay.url], { HTTP_PROXY: proxy.url, CAMERA_AUTH: `user:${CAMERA_PASSWORD}` });
    const lines = requestLines(await proxy.since(mark));
    // tinyproxy logs the first request of each connection (it relays the rest of a kept-alive one as bytes).
    expect(lines.length).toBeGreaterThanOrEqual(1);
    for (const line of lines) expect(line).toBe(`GET ${relay.url} HTTP/1.1`);
    expect(proxyConfig(ran.report)).toMatchObject({ proxiedHosts: [new URL(relay.url).host] });
    expect(ran.report.streams[0]?.frames).toBe(cam.counts.framesSent);
    expectDigestReuse(cam, 'SHA-256');
    expectNoSecret(ran.texts, [CAMERA_PASSWORD]);
  });

  it('a wrong password: HTTP_401 with the plain hint, at most 2 requests per attempt, backing off, never shown', async () => {
    const cam = await camera('SHA-256');
    const url = cam.url.replace('http://', `http://user:${WRONG_PASSWORD}@`);
    const ran = await run(['--url', url, '--max-streams', '1', '--duration', '2s']);
    expectCompleted(ran);
    const stream = ran.report.streams[0];
    expect(Object.keys(ran.report.summary.errors)).toEqual(['HTTP_401']);
    expect(stream?.frames).toBe(0);
    expect(stream?.lastError?.message).toBe('answered HTTP 401: the camera refused the credentials (Digest answer met with HTTP 401)');
    expect(ran.result.stdout).toMatch(
      /HTTP_401 +\d+ +.*credentials: user:password@ in the stream URL, --camera-auth user:password or CAMERA_AUTH for Basic or Digest; --header/,
    );
    const attempts = (stream?.reconnections ?? 0) + 1;
    expect(stream?.errors.HTTP_401).toBe(attempts);
    expect(cam.counts.successes).toBe(0);
    expect(cam.counts.requests).toBeLessThanOrEqual(2 * attempts);
    // Each attempt: one request without credentials, one answer, refused; never a second guess.
    expect(cam.counts.reasons.filter((r) => r === 'bad-response').length).toBeLessThanOrEqual(attempts);
    // Default backoff (from 500 ms, doubling, full jitter): a handful of attempts in 2 s, not a storm.
    expect(attempts).toBeLessThanOrEqual(10);
    expectNoSecret(ran.texts, [WRONG_PASSWORD]);
  });
});
