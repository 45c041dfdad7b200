import { afterEach, describe, expect, it } from 'vitest';
import { fetchCameraList } from '../../src/cameras/api-source.js';
import { CameraSourceError } from '../../src/errors.js';
import { startSimulator } from '../../src/sim/simulator.js';
import { json, startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';

let servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function fixture(handler: Parameters<typeof startFixtureServer>[0]): Promise<FixtureServer> {
  const server = await startFixtureServer(handler);
  servers.push(server);
  return server;
}

async function sourceError(promise: Promise<unknown>): Promise<CameraSourceError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CameraSourceError);
  return error as CameraSourceError;
}

describe('camera API source', () => {
  it('reads every page of the simulator and keeps the active cameras', async () => {
    const sim = await startSimulator({ cameras: 30, inactive: 8, pageSize: 7, frameBytes: 1_000 });
    servers.push(sim);
    const list = await fetchCameraList({ apiUrl: sim.apiUrl, headers: {} });
    expect(list.listed).toBe(38);
    expect(list.active).toBe(30);
    expect(list.cameras).toHaveLength(30);
    expect(list.skipped).toEqual([]);
    expect(list.cameras[0]).toEqual({ id: '101', name: 'Sim camera 101', streamUrl: sim.cameras[0]?.fr_url });
  });

  it('sends the token to the API and follows next links with it', async () => {
    const sim = await startSimulator({ cameras: 5, inactive: 0, pageSize: 2, frameBytes: 1_000, requireToken: 't0k' });
    servers.push(sim);
    const list = await fetchCameraList({ apiUrl: sim.apiUrl, headers: { authorization: 'Bearer t0k' } });
    expect(list.cameras).toHaveLength(5);
    const denied = await sourceError(fetchCameraList({ apiUrl: sim.apiUrl, headers: {} }));
    expect(denied.code).toBe('HTTP_401');
    expect(denied.message).toMatch(/answered HTTP 401 \(set CAMERA_API_TOKEN or --header\)/);
    expect(denied.exitCode).toBe(3);
  });

  it.each([
    ['a bare array', [{ id: 1, status: 1, fr_url: '/fr/1' }, { id: 2, status: 0, fr_url: '/fr/2' }]],
    ['{data: [...]}', { data: [{ id: 1, status: '1', fr_url: '/fr/1' }] }],
    ['{cameras: [...]}', { cameras: [{ id: 1, status: 1, fr_url: '/fr/1' }] }],
  ])('accepts %s, resolving relative fr_url against the API URL', async (_, body) => {
    const server = await fixture((_req, res) => {
      json(res, 200, body);
    });
    const list = await fetchCameraList({ apiUrl: `${server.url}/api/v1/camera/`, headers: {} });
    expect(list.cameras).toEqual([{ id: '1', name: 'Camera 1', streamUrl: `${server.url}/fr/1` }]);
  });

  it('skips and counts active cameras without a usable fr_url', async () => {
    const server = await fixture((_req, res) => {
      json(res, 200, [
        { id: 1, status: 1, fr_url: null },
        { id: 2, status: 1, fr_url: 'rtsp://cam/2' },
        { id: 3, status: 1 },
        { id: 4, status: 1, fr_url: 'http://cam/4' },
      ]);
    });
    const list = await fetchCameraList({ apiUrl: server.url, headers: {} });
    expect(list.cameras.map((c) => c.id)).toEqual(['4']);
    expect(list.active).toBe(4);
    expect(list.skipped).toEqual([
      { id: '1', reason: 'no fr_url' },
      { id: '2', reason: 'fr_url scheme rtsp: is not http(s)' },
      { id: '3', reason: 'no fr_url' },
    ]);
  });

  it.each([
    ['an HTML page', 200, '<!DOCTYPE html><html><body>Login</body></html>', 'API_NOT_JSON', /not JSON \(text\/html\): '<!DOCTYPE html>/],
    ['a JSON object without cameras', 200, { detail: 'ok' }, 'API_UNEXPECTED_SHAPE', /expected a camera list .* got an object with keys detail/],
    ['JSON null', 200, 'null', 'API_UNEXPECTED_SHAPE', /got null/],
    ['HTTP 503', 503, { detail: 'down' }, 'HTTP_503', /answered HTTP 503: \{"detail":"down"\}/],
  ] as const)('%s is a camera source error naming the URL', async (_, status, body, code, message) => {
    const server = await fixture((_req, res) => {
      if (typeof body === 'string' && body.startsWith('<')) {
        res.writeHead(status, { 'content-type': 'text/html' });
        res.end(body);
      } else json(res, status, body);
    });
    const error = await sourceError(fetchCameraList({ apiUrl: `${server.url}/api/v1/camera/?token=secret`, headers: {} }));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(error.message).toContain(`GET ${server.url}/api/v1/camera/?token=[REDACTED]`);
    expect(error.message).not.toContain('secret');
  });

  it('connection refused', async () => {
    const server = await fixture(() => undefined);
    await server.close();
    const error = await sourceError(fetchCameraList({ apiUrl: server.url, headers: {} }));
    expect(error.code).toBe('API_UNREACHABLE');
    expect(error.message).toMatch(/connection refused/);
  });

  it('a server that never answers times out', async () => {
    const server = await fixture(() => undefined);
    const error = await sourceError(fetchCameraList({ apiUrl: server.url, headers: {}, timeoutMs: 300 }));
    expect(error.code).toBe('API_TIMEOUT');
    expect(error.message).toMatch(/no complete answer within 0.3 s/);
  });

  it('refuses a next link that loops, and bounds the number of pages', async () => {
    const server = await fixture((req, res, origin) => {
      json(res, 200, { results: [], next: req.url === '/loop' ? `${origin}/loop` : `${origin}/p${Number(req.url?.slice(2) ?? 0) + 1}` });
    });
    expect((await sourceError(fetchCameraList({ apiUrl: `${server.url}/loop`, headers: {} }))).code).toBe('API_PAGINATION_LOOP');
    expect((await sourceError(fetchCameraList({ apiUrl: `${server.url}/p1`, headers: {}, maxPages: 5 }))).code).toBe('API_TOO_MANY_PAGES');
  });

  it('does not send credentials to a next link on another origin', async () => {
    const other = await fixture((_req, res) => {
      json(res, 200, { results: [{ id: 2, status: 1, fr_url: '/fr/2' }], next: null });
    });
    const api = await fixture((_req, res) => {
      json(res, 200, { results: [{ id: 1, status: 1, fr_url: '/fr/1' }], next: `${other.url}/page2` });
    });
    const list = await fetchCameraList({ apiUrl: api.url, headers: { authorization: 'Bearer x' } });
    expect(list.cameras).toHaveLength(2);
    expect(api.requests[0]?.headers.authorization).toBe('Bearer x');
    expect(other.requests[0]?.headers.authorization).toBeUndefined();
  });
});
