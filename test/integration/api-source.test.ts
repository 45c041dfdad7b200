import { DIRECT } from '../../src/connection/network.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { fetchCameraList } from '../../src/cameras/api-source.js';
import { loadCameras } from '../../src/cameras/load-cameras.js';
import { CameraSourceError } from '../../src/errors.js';
import { startSimulator } from '../../src/sim/simulator.js';
import { API_CREDENTIALS } from '../../src/text/credentials.js';
import { json, startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';

const dir = mkdtempSync(join(tmpdir(), 'camera-load-sources-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const basic = (pair: string): string => `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;

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
    expect(denied.message).toContain(`answered HTTP 401 (credentials: ${API_CREDENTIALS})`);
    expect(denied.exitCode).toBe(3);
  });

  it.each([
    [
      'a bare array',
      [
        { id: 1, status: 1, fr_url: '/fr/1' },
        { id: 2, status: 0, fr_url: '/fr/2' },
      ],
    ],
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

  it('one page of 130,000 cameras (18 MB, under the answer limit) is read whole', async () => {
    const cameras = Array.from({ length: 130_000 }, (_, i) => ({
      id: i + 1,
      name: `Camera ${i + 1}`,
      status: 1,
      fr_url: `http://127.0.0.1:9/fr/${i + 1}/stream`,
    }));
    const page = JSON.stringify({ results: cameras, next: null });
    const server = await fixture((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(page);
    });
    const list = await fetchCameraList({ apiUrl: `${server.url}/`, headers: {} });
    expect(list.cameras).toHaveLength(130_000);
    expect(list.cameras.at(-1)?.id).toBe('130000');
  });

  it('a listing past its total bytes is refused while the page that passes them is read, not after every page', async () => {
    // 12 pages of 30 MB each would be 360 MB; the listing stops at 256 MiB, in the ninth page.
    const filler = 'x'.repeat(30 * 1024 * 1024 - 200);
    let pages = 0;
    const server = await fixture((_req, res, origin) => {
      pages++;
      json(res, 200, { results: [], padding: filler, next: `${origin}/p${pages + 1}` });
    });
    const error = await sourceError(fetchCameraList({ apiUrl: `${server.url}/p1`, headers: {} }));
    expect(error.code).toBe('API_TOO_LARGE');
    expect(error.message).toMatch(/the camera listing is larger than 268,435,456 bytes in all \(at page 9\)/);
    expect(pages).toBe(9);
  });

  it('a redirect is not followed, and says where it pointed: an API URL without its trailing slash is named', async () => {
    const server = await fixture((req, res) => {
      res.writeHead(301, { location: `${req.url ?? ''}/` });
      res.end();
    });
    const error = await sourceError(fetchCameraList({ apiUrl: `${server.url}/api/v1/camera`, headers: {} }));
    expect(error.code).toBe('HTTP_301');
    expect(error.message).toMatch(/answered HTTP 301 \(a redirect to \/api\/v1\/camera\/, not followed; add the trailing slash to --api-url\)/);
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

describe('secrets and hostile text at the camera source edge', () => {
  it('credentials in the API URL are sent as Basic auth, not in the request, and not to fr_url values', async () => {
    const server = await fixture((req, res) => {
      if (req.headers.authorization !== basic('api user:pa55word')) {
        json(res, 401, { detail: 'no' });
        return;
      }
      json(res, 200, { results: [{ id: 1, status: 1, fr_url: '/fr/1' }], next: req.url === '/api/' ? '/api/?page=2' : null });
    });
    const withCredentials = server.url.replace('http://', 'http://api%20user:pa55word@');
    const list = await fetchCameraList({ apiUrl: `${withCredentials}/api/`, headers: {} });
    expect(server.requests.map((r) => r.url)).toEqual(['/api/', '/api/?page=2']);
    expect(server.requests.map((r) => r.headers.authorization)).toEqual([basic('api user:pa55word'), basic('api user:pa55word')]);
    expect(list.cameras.map((c) => c.streamUrl)).toEqual([`${server.url}/fr/1`, `${server.url}/fr/1`]);
  });

  it('an explicit authorization wins over the API URL credentials', async () => {
    const server = await fixture((_req, res) => {
      json(res, 200, []);
    });
    await fetchCameraList({ apiUrl: server.url.replace('http://', 'http://u:p@'), headers: { authorization: 'Bearer t0k' } });
    expect(server.requests[0]?.headers.authorization).toBe('Bearer t0k');
  });

  it('cleans camera ids and names, and redacts fr_url values in skip reasons', async () => {
    const server = await fixture((_req, res) => {
      json(res, 200, [
        { id: '7\n\x1b[8m\nASSESSMENT\n  all good', status: 1, name: '\u202egate\r\n\x9b2J', fr_url: '/fr/7' },
        { id: '\x1b\x07', status: 1, name: '\n\t', fr_url: '/fr/8' },
        { id: 9, status: 1, fr_url: 'http://user:pa55word@[bad/x?token=qt0ken' },
      ]);
    });
    const list = await fetchCameraList({ apiUrl: server.url, headers: {} });
    expect(list.cameras).toEqual([
      { id: '7 [8m ASSESSMENT   all good', name: 'gate  2J', streamUrl: `${server.url}/fr/7` },
      { id: '#2', name: 'Camera #2', streamUrl: `${server.url}/fr/8` },
    ]);
    expect(list.skipped).toHaveLength(1);
    expect(list.skipped[0]?.reason).toMatch(/is not a URL/);
    expect(list.skipped[0]?.reason).not.toMatch(/pa55word|qt0ken/);
  });

  it('an error quoting the answer shows it as one line of plain text', async () => {
    const server = await fixture((_req, res) => {
      json(res, 503, '\x1b[2J\x1b[8mfake\r\nASSESSMENT ok');
    });
    const error = await sourceError(fetchCameraList({ apiUrl: server.url, headers: {} }));
    expect(error.code).toBe('HTTP_503');
    // eslint-disable-next-line no-control-regex
    expect(error.message).not.toMatch(/[\x00-\x1f]/);
  });

  it('API streams: credentials leave the stream URLs; headersFor gives them back, explicit authorization first', async () => {
    const other = 'http://127.0.0.2:9';
    const server = await fixture((_req, res) => {
      json(res, 200, [
        { id: 1, status: 1, fr_url: '/fr/1' },
        { id: 2, status: 1, fr_url: 'http://cam:s3cret@127.0.0.1:1/fr/2?token=t' },
        { id: 3, status: 1, fr_url: `${other}/fr/3` },
      ]);
    });
    const apiUrl = server.url.replace('http://', 'http://api:key@');
    const loaded = await loadCameras({ kind: 'api', apiUrl }, { headers: { 'x-extra': '1' }, network: DIRECT });
    const [one, two, three] = loaded.cameras;
    expect(one?.streamUrl).toBe(`${server.url}/fr/1`);
    expect(two?.streamUrl).toBe('http://127.0.0.1:1/fr/2?token=t');
    expect(three?.streamUrl).toBe(`${other}/fr/3`);
    expect(loaded.origin).not.toContain('key');
    // The API's origin gets the API's headers, and its credentials to answer a challenge; a stream URL's own
    // credentials are its own; --camera-auth is for the rest.
    expect(loaded.headersFor(one!.streamUrl)).toEqual({ 'x-extra': '1' });
    expect(loaded.credentialsFor(one!.streamUrl)).toEqual({ username: 'api', password: 'key' });
    expect(loaded.headersFor(two!.streamUrl)).toEqual({});
    expect(loaded.credentialsFor(two!.streamUrl)).toEqual({ username: 'cam', password: 's3cret' });
    expect(loaded.headersFor(three!.streamUrl)).toEqual({});
    expect(loaded.credentialsFor(three!.streamUrl)).toBeUndefined();
    const fallback = await loadCameras({ kind: 'api', apiUrl: server.url }, { headers: {}, network: DIRECT, cameraAuth: { username: 'all', password: 'x' } });
    expect(fallback.cameras.map((c) => fallback.credentialsFor(c.streamUrl)?.username)).toEqual(['all', 'cam', 'all']);
    const explicit = await loadCameras({ kind: 'api', apiUrl }, { headers: { authorization: 'Bearer t0k' }, network: DIRECT });
    expect(explicit.headersFor(explicit.cameras[0]!.streamUrl)).toEqual({ authorization: 'Bearer t0k' });
    // An explicit authorization wins, as curl's -H does: nothing is left to answer a challenge with.
    expect(explicit.credentialsFor(explicit.cameras[0]!.streamUrl)).toBeUndefined();
    expect(server.requests[2]?.headers.authorization).toBe('Bearer t0k');
  });

  it('--url and --cameras-file: the name hides secrets, the credentials move to headersFor', async () => {
    const urls = await loadCameras({ kind: 'urls', urls: ['http://user:pa55word@cam:8080/s?token=qt0ken'] }, { headers: {}, network: DIRECT });
    expect(urls.cameras).toEqual([{ id: 'url-1', name: 'http://[REDACTED]@cam:8080/s?token=[REDACTED]', streamUrl: 'http://cam:8080/s?token=qt0ken' }]);
    expect(urls.headersFor('http://cam:8080/s?token=qt0ken')).toEqual({});
    expect(urls.credentialsFor('http://cam:8080/s?token=qt0ken')).toEqual({ username: 'user', password: 'pa55word' });

    const path = join(dir, 'cameras.json');
    writeFileSync(path, JSON.stringify([{ id: 'a\nb', status: 1, fr_url: 'http://u:p@cam/1' }]));
    const file = await loadCameras({ kind: 'file', path }, { headers: { authorization: 'Bearer x' }, network: DIRECT });
    expect(file.cameras).toEqual([{ id: 'a b', name: 'Camera a b', streamUrl: 'http://cam/1' }]);
    expect(file.headersFor('http://cam/1')).toEqual({ authorization: 'Bearer x' });
    expect(file.credentialsFor('http://cam/1')).toBeUndefined();
  });

  it('a cameras file that is not JSON: the error says where, and quotes none of the file', async () => {
    const path = join(dir, 'broken.json');
    writeFileSync(path, 'user:pa55word@cam \x1b[2J');
    const error = await sourceError(loadCameras({ kind: 'file', path }, { headers: {}, network: DIRECT }));
    expect(error.code).toBe('FILE_NOT_JSON');
    expect(error.message).not.toContain('pa55word');
    expect(error.message).not.toContain('\x1b');
  });
});
