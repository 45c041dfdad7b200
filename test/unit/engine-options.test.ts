import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { parseHeader, resolveEngineOptions, type EngineFlags } from '../../src/options/engine-options.js';
import { ENGINE_FLAGS } from '../helpers/engine-flags.js';

const flags = (overrides: Partial<EngineFlags>): EngineFlags => ({ ...ENGINE_FLAGS, ...overrides });

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as UsageError).code;
  }
  return undefined;
}

describe('usage errors carry a code per cause (exit 2 all)', () => {
  it.each([
    ['a header with CR/LF', () => parseHeader('X-A: b\r\nInjected: 1'), 'ERR_BAD_HEADER'],
    ['a header without a name', () => parseHeader(': secret'), 'ERR_BAD_HEADER'],
    ['a token with a line break', () => resolveEngineOptions(flags({}), { CAMERA_API_TOKEN: 'a\nb' }, false), 'ERR_BAD_HEADER'],
    ['a URL that is not http(s)', () => resolveEngineOptions(flags({ url: ['ftp://cam/x'] }), {}, false), 'ERR_BAD_URL'],
    ['two camera sources', () => resolveEngineOptions(flags({ url: ['http://cam/x'], camerasFile: 'c.json' }), {}, false), 'ERR_SOURCE_CONFLICT'],
    ['a bad number', () => resolveEngineOptions(flags({ streamsPerCamera: 'many' }), {}, false), 'ERR_USAGE'],
  ])('%s', (_, fn, code) => {
    expect(codeOf(fn)).toBe(code);
  });
});

describe('networks: --proxy, --ca, --camera-auth', () => {
  it('--camera-auth or CAMERA_AUTH (the flag first); a password may hold colons; errors never repeat it', () => {
    expect(resolveEngineOptions(flags({ cameraAuth: 'viewer:pa:ss' }), { CAMERA_AUTH: 'env:x' }, false).cameraAuth).toEqual({
      username: 'viewer',
      password: 'pa:ss',
    });
    expect(resolveEngineOptions(flags({}), { CAMERA_AUTH: 'env:x' }, false).cameraAuth).toEqual({ username: 'env', password: 'x' });
    expect(resolveEngineOptions(flags({}), {}, false).cameraAuth).toBeUndefined();
    expect(codeOf(() => resolveEngineOptions(flags({ cameraAuth: 'n0colonS3cret' }), {}, false))).toBe('ERR_BAD_CAMERA_AUTH');
    expect(() => resolveEngineOptions(flags({ cameraAuth: 'n0colonS3cret' }), {}, false)).toThrow(
      /^--camera-auth expects user:password \(the value is not shown/,
    );
  });

  it('the environment proxy applies to the API and the streams, but not to the simulated fleet on 127.0.0.1', () => {
    const env = { HTTP_PROXY: 'http://proxy:3128' };
    expect(resolveEngineOptions(flags({}), env, true).proxy).toMatchObject({ http: 'http://proxy:3128/', from: 'environment' });
    expect(resolveEngineOptions(flags({ simulate: true }), env, false).proxy.from).toBe('none');
    expect(resolveEngineOptions(flags({ simulate: true, proxy: 'http://p:1' }), env, false).proxy.from).toBe('--proxy');
    expect(codeOf(() => resolveEngineOptions(flags({ proxy: 'socks5://p:1' }), {}, true))).toBe('ERR_BAD_PROXY');
  });
});
