import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import type { SimCamera } from '../../src/sim/camera-catalog.js';

interface Page {
  count: number;
  next: string | null;
  previous: string | null;
  results: SimCamera[];
}

async function getJson(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  const response = await request(url, { headers });
  return { status: response.statusCode, body: await response.body.json() };
}

describe('simulated camera API', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ cameras: 30, inactive: 7, pageSize: 10, frameBytes: 2000 });
  });
  afterAll(() => sim.close());

  it('pages through every camera by following next, in the Django REST Framework shape', async () => {
    const seen: SimCamera[] = [];
    let url: string | null = sim.apiUrl;
    let pages = 0;
    let previous: string | null = null;
    while (url !== null && pages < 10) {
      const { status, body } = await getJson(url);
      expect(status).toBe(200);
      const page = body as Page;
      expect(Object.keys(page).sort()).toEqual(['count', 'next', 'previous', 'results']);
      expect(page.count).toBe(37);
      expect(page.previous).toBe(previous);
      previous = url;
      seen.push(...page.results);
      url = page.next;
      pages++;
    }
    expect(pages).toBe(4);
    expect(seen).toHaveLength(37);
    expect(new Set(seen.map((c) => c.id)).size).toBe(37);
  });

  it('mixes active and inactive cameras, some inactive ones without fr_url', async () => {
    const { body } = await getJson(`${sim.apiUrl}?page_size=100`);
    const cameras = (body as Page).results;
    const active = cameras.filter((c) => c.status === 1);
    const inactive = cameras.filter((c) => c.status === 0);
    expect(active).toHaveLength(30);
    expect(inactive).toHaveLength(7);
    expect(active.every((c) => typeof c.fr_url === 'string' && c.fr_url.startsWith('http://127.0.0.1:'))).toBe(true);
    expect(inactive.filter((c) => c.fr_url === null)).toHaveLength(3);
    // Spread through the list, not all at the end.
    expect(cameras.findIndex((c) => c.status === 0)).toBeLessThan(10);
    for (const c of cameras) expect(typeof c.name).toBe('string');
  });

  it('answers 404 for a page that does not exist, and for unknown paths', async () => {
    expect((await getJson(`${sim.apiUrl}?page=5`)).status).toBe(404);
    expect((await getJson(`${sim.apiUrl}?page=abc`)).status).toBe(404);
    expect((await getJson(sim.apiUrl.replace('/api/v1/camera/', '/nope'))).status).toBe(404);
  });

  it('serves 404 for the stream of an inactive camera that still has a URL', async () => {
    const { body } = await getJson(`${sim.apiUrl}?page_size=100`);
    const inactive = (body as Page).results.find((c) => c.status === 0 && c.fr_url !== null);
    expect(inactive?.fr_url).toBeTruthy();
    const response = await request(inactive?.fr_url ?? '');
    await response.body.dump();
    expect(response.statusCode).toBe(404);
  });
});

describe('--require-token', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ cameras: 2, inactive: 0, frameBytes: 2000, requireToken: 's3cret' });
  });
  afterAll(() => sim.close());

  it('answers 401 on the API and the streams without the bearer token, 200 with it', async () => {
    expect((await getJson(sim.apiUrl)).status).toBe(401);
    expect((await getJson(sim.apiUrl, { authorization: 'Bearer wrong' })).status).toBe(401);
    const ok = await getJson(sim.apiUrl, { authorization: 'Bearer s3cret' });
    expect(ok.status).toBe(200);
    const streamUrl = (ok.body as Page).results[0]?.fr_url ?? '';
    const denied = await request(streamUrl);
    await denied.body.dump();
    expect(denied.statusCode).toBe(401);
    expect(denied.headers['www-authenticate']).toBe('Bearer');
    const allowed = await request(streamUrl, { headers: { authorization: 'Bearer s3cret' } });
    expect(allowed.statusCode).toBe(200);
    allowed.body.destroy();
  });
});
