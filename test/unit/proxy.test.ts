import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeProxy, NO_PROXY_SETTINGS, proxyFor, resolveProxy } from '../../src/options/proxy.js';

describe('proxy settings, as curl reads them', () => {
  it('the environment: lowercase names first, HTTPS_PROXY falling back to HTTP_PROXY, NO_PROXY for both', () => {
    expect(resolveProxy(undefined, {})).toEqual(NO_PROXY_SETTINGS);
    expect(resolveProxy(undefined, { HTTP_PROXY: 'http://upper:1', http_proxy: 'http://lower:2', NO_PROXY: 'cam.local' })).toEqual({
      http: 'http://lower:2/',
      https: 'http://lower:2/',
      noProxy: 'cam.local',
      from: 'environment',
    });
    expect(resolveProxy(undefined, { HTTPS_PROXY: 'proxy:3128' })).toMatchObject({ http: null, https: 'http://proxy:3128/' });
  });

  it('--proxy wins over the environment; --proxy "" ignores it', () => {
    expect(resolveProxy('http://p:8080', { HTTP_PROXY: 'http://env:1', no_proxy: '*' })).toEqual({
      http: 'http://p:8080/',
      https: 'http://p:8080/',
      noProxy: '*',
      from: '--proxy',
    });
    expect(resolveProxy('', { HTTP_PROXY: 'http://env:1' })).toEqual(NO_PROXY_SETTINGS);
  });

  it('a bad proxy is a usage error that never repeats its credentials', () => {
    expect(() => resolveProxy('socks5://user:s3cret@p:1080', {})).toThrow(/http:\/\/ and https:\/\/ proxies; got 'socks5:\/\/\[REDACTED\]@p:1080'/);
    expect(() => resolveProxy(undefined, { HTTPS_PROXY: 'http://u:s3cret@[bad' })).toThrow(/^HTTPS_PROXY expects a proxy URL/);
    const refused = ((): unknown => {
      try {
        resolveProxy('ftp://u:s3cret@p', {});
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    // Caught, not passed through: a call that stopped throwing fails here.
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).message).not.toContain('s3cret');
    expect((refused as { code: string }).code).toBe('ERR_BAD_PROXY');
  });

  it('NO_PROXY: hosts, domains and their subdomains, host:port, *', () => {
    const settings = { ...resolveProxy('http://p:3128', {}), noProxy: 'cam.local, .example.com *.corp.net 10.0.0.5:8080 [::1]' };
    expect(proxyFor('http://cam.local/x', settings)).toBeNull();
    expect(proxyFor('http://a.cam.local/x', settings)).toBeNull();
    expect(proxyFor('http://notcam.local/x', settings)).toBe('http://p:3128/');
    expect(proxyFor('https://example.com/', settings)).toBeNull();
    expect(proxyFor('https://x.example.com/', settings)).toBeNull();
    expect(proxyFor('http://host.corp.net/', settings)).toBeNull();
    expect(proxyFor('http://10.0.0.5:8080/', settings)).toBeNull();
    expect(proxyFor('http://10.0.0.5:8081/', settings)).toBe('http://p:3128/');
    expect(proxyFor('http://[::1]:9/', settings)).toBeNull();
    expect(proxyFor('http://anything/', { ...settings, noProxy: '*' })).toBeNull();
    expect(proxyFor('http://anything/', NO_PROXY_SETTINGS)).toBeNull();
  });

  it('names the proxied and direct hosts, the proxy redacted', () => {
    const settings = { ...resolveProxy('http://user:pw@p:3128', {}), noProxy: 'direct' };
    expect(describeProxy(settings, ['http://cam:81/a', 'http://direct/b', 'http://cam:81/c'])).toEqual({
      from: '--proxy',
      http: 'http://[REDACTED]@p:3128/',
      https: 'http://[REDACTED]@p:3128/',
      noProxy: 'direct',
      proxiedHosts: ['cam:81'],
      directHosts: ['direct'],
    });
    expect(describeProxy(NO_PROXY_SETTINGS, ['http://cam/'])).toBeNull();
  });

  it('a host listed in NO_PROXY is never proxied, whatever its subdomain', () => {
    const label = fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/);
    fc.assert(
      fc.property(fc.array(label, { minLength: 1, maxLength: 3 }), fc.array(label, { maxLength: 2 }), (domain, sub) => {
        const host = domain.join('.');
        const settings = { ...resolveProxy('http://p:1', {}), noProxy: `other.test,${host}` };
        expect(proxyFor(`http://${[...sub, host].join('.')}/`, settings)).toBeNull();
      }),
    );
  });
});
