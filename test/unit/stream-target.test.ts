import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DIRECT } from '../../src/connection/network.js';
import { StreamTarget } from '../../src/connection/stream-target.js';
import { resolveProxy } from '../../src/options/proxy.js';
import { plannedStreams } from '../../src/run/run-plan.js';

const PASSWORD = 'pa55word';
const TOKEN = 'qt0ken';

describe('a stream target, resolved once when the run is planned', () => {
  it("each camera's target is resolved once, from its URL, and shared by the camera's streams", () => {
    const one = { id: '1', name: 'one', streamUrl: 'http://cam-1/s' };
    const two = { id: '2', name: 'two', streamUrl: 'http://cam-2/s' };
    const asked: string[] = [];
    const planned = plannedStreams([one, two, one], {
      headersFor: (url): Record<string, string> => {
        asked.push(url);
        return url === one.streamUrl ? { authorization: `Bearer ${TOKEN}` } : {};
      },
      credentialsFor: (url) => (url === two.streamUrl ? { username: 'user', password: PASSWORD } : undefined),
      network: { ...DIRECT, proxy: resolveProxy(undefined, { http_proxy: 'http://proxy:3128', no_proxy: 'cam-2' }) },
    });
    expect(planned.map((p) => p.camera)).toEqual([one, two, one]);
    expect(planned[2]?.target).toBe(planned[0]?.target);
    expect(asked).toEqual([one.streamUrl, two.streamUrl]);
    const [first, second] = planned.map((p) => p.target);
    expect(first?.headers).toEqual({ 'accept-encoding': 'identity', authorization: `Bearer ${TOKEN}` });
    expect(first?.credentials).toBeUndefined();
    expect(first?.proxy).toBe('http://proxy:3128/');
    expect(second?.headers).toEqual({ 'accept-encoding': 'identity' });
    expect(second?.credentials).toEqual({ username: 'user', password: PASSWORD });
    expect(second?.proxy).toBeUndefined();
  });

  it('a header given for the stream overrides the identity encoding it asks for', () => {
    expect(new StreamTarget('http://cam/s', { headers: { 'accept-encoding': 'gzip' } }).headers).toEqual({ 'accept-encoding': 'gzip' });
  });

  it('printed or serialized by mistake, it shows no secret', () => {
    const target = new StreamTarget(`http://cam/s?token=${TOKEN}`, {
      headers: { authorization: `Bearer ${TOKEN}` },
      credentials: { username: 'user', password: PASSWORD },
      proxy: `http://user:${PASSWORD}@proxy:3128/`,
    });
    for (const text of [JSON.stringify(target), inspect(target, { showHidden: true, depth: 5 })]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(TOKEN);
    }
  });
});
