import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitUrlCredentials, withAuthorization } from '../../src/cameras/camera.js';
import { redactHeaders, redactUrl } from '../../src/text/redact.js';

const basic = (pair: string): string => `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;

describe('redaction', () => {
  it.each([
    ['https://cc.example.com/api/v1/camera/', 'https://cc.example.com/api/v1/camera/'],
    ['https://user:pa55@cam.example.com/fr/1', 'https://[REDACTED]@cam.example.com/fr/1'],
    ['http://cam/fr/1?token=abc&camera=2', 'http://cam/fr/1?token=[REDACTED]&camera=2'],
    ['http://cam/fr/1?Signature=x&key=y&auth=z&password=p', 'http://cam/fr/1?Signature=[REDACTED]&key=[REDACTED]&auth=[REDACTED]&password=[REDACTED]'],
    ['http://cam/fr/1#access_token=abc&state=2', 'http://cam/fr/1#access_token=[REDACTED]&state=2'],
    ['not a url', 'not a url'],
    // Text that is not a URL can still hold secrets: hidden by text rules, erring on hiding too much.
    ['http://user:pa55@exa mple.com/x?token=abc&cam=1', 'http://[REDACTED]@exa mple.com/x?token=[REDACTED]&cam=1'],
    ['http://user:pa55@[bad/x', 'http://[REDACTED]@[bad/x'],
    ['user:pa55@cam.example.com/x', '[REDACTED]@cam.example.com/x'],
    ['cam.example.com/x?key=abc', 'cam.example.com/x?key=[REDACTED]'],
  ])('%s', (raw, redacted) => {
    expect(redactUrl(raw)).toBe(redacted);
  });

  it('is idempotent', () => {
    const once = redactUrl('http://u:p@cam/x?token=t#sig=s');
    expect(redactUrl(once)).toBe(once);
  });

  it('never shows the password or the token, whether the text parses as a URL or not', () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9]{6,12}$/).map((s) => `S3CRET${s}`);
    const host = fc.constantFrom('cam.example.com', '127.0.0.1:8080', 'exa mple.com', '[bad', 'h%zz');
    fc.assert(
      fc.property(secret, secret, host, fc.constantFrom('http://', 'https://', 'ftp://', ''), (password, token, where, scheme) => {
        const out = redactUrl(`${scheme}user:${password}@${where}/stream?cam=1&token=${token}`);
        expect(out).not.toContain(password);
        expect(out).not.toContain(token);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps header names and hides every value', () => {
    expect(redactHeaders({ authorization: 'Bearer abc', 'x-api-key': 'k' })).toEqual({
      authorization: '[REDACTED]',
      'x-api-key': '[REDACTED]',
    });
  });
});

describe('URL credentials leave the URL, as credentials and the Basic auth they stand for', () => {
  it.each([
    ['http://user:pa55word@cam:8080/s?token=t', 'http://cam:8080/s?token=t', 'user', 'pa55word'],
    // Percent-encoded in the URL, sent decoded (UTF-8), as curl and browsers do.
    ['http://us%40er:p%3Aa%20ss@cam/s', 'http://cam/s', 'us@er', 'p:a ss'],
    ['http://j%C3%BCrgen:%E2%82%AC@cam/s', 'http://cam/s', 'jürgen', '€'],
    ['http://user@cam/s', 'http://cam/s', 'user', ''],
    ['http://:pw@cam/s', 'http://cam/s', '', 'pw'],
    // Not valid percent-encoding: sent as written.
    ['http://user:%ZZ@cam/s', 'http://cam/s', 'user', '%ZZ'],
  ])('%s', (raw, url, username, password) => {
    expect(splitUrlCredentials(raw)).toEqual({ url, credentials: { username, password }, authorization: basic(`${username}:${password}`) });
  });

  it('leaves a URL without credentials (and text that is not a URL) as it is', () => {
    expect(splitUrlCredentials('http://cam/s?token=t')).toEqual({ url: 'http://cam/s?token=t' });
    expect(splitUrlCredentials('not a url')).toEqual({ url: 'not a url' });
  });

  it('an explicit authorization (--header, CAMERA_API_TOKEN) wins over URL credentials, as curl -H does', () => {
    expect(withAuthorization({ 'x-a': '1' }, 'Basic dTpw')).toEqual({ authorization: 'Basic dTpw', 'x-a': '1' });
    expect(withAuthorization({ authorization: 'Bearer t' }, 'Basic dTpw')).toEqual({ authorization: 'Bearer t' });
    expect(withAuthorization({ 'x-a': '1' }, undefined)).toEqual({ 'x-a': '1' });
  });
});
