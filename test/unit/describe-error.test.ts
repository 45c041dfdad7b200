import { errors } from 'undici';
import { describe, expect, it } from 'vitest';
import { describeNetworkError } from '../../src/connection/describe-error.js';
import { ERROR_CODES, explainErrorCode } from '../../src/report/error-codes.js';
import type { KnownEndCode } from '../../src/end-codes.js';

const withCode = (code: string, message = code): Error => Object.assign(new Error(message), { code });
// undici wraps the socket's error in its own: the innermost code says most.
const wrapped = (cause: unknown): Error => Object.assign(new Error('request failed', { cause }), { code: 'UND_ERR_SOCKET' });

describe('describeNetworkError: a specific code for every failure undici reports', () => {
  it.each([
    [withCode('ECONNREFUSED'), 'ECONNREFUSED'],
    [withCode('EAI_AGAIN'), 'ENOTFOUND'],
    [withCode('EPIPE'), 'ECONNRESET'],
    [new errors.ConnectTimeoutError(), 'ETIMEDOUT'],
    [new errors.HeadersTimeoutError(), 'HEADERS_TIMEOUT'],
    [new errors.BodyTimeoutError(), 'BODY_TIMEOUT'],
    [new errors.HeadersOverflowError(), 'HEADERS_TOO_LARGE'],
    [new errors.ResponseContentLengthMismatchError(), 'BODY_LENGTH_MISMATCH'],
    [new errors.SocketError('other side closed'), 'ECONNRESET'],
    [new errors.RequestAbortedError(), 'ABORTED'],
    [new errors.InvalidArgumentError('invalid header'), 'INVALID_REQUEST'],
    [new errors.HTTPParserError('Response does not match the HTTP/1.1 protocol (Invalid character in Content-Length)'), 'BAD_CONTENT_LENGTH'],
    [new errors.HTTPParserError('Response does not match the HTTP/1.1 protocol (Expected HTTP/, RTSP/ or ICE/)'), 'HTTP_PROTOCOL'],
    [withCode('DEPTH_ZERO_SELF_SIGNED_CERT'), 'TLS_SELF_SIGNED'],
    [withCode('SELF_SIGNED_CERT_IN_CHAIN'), 'TLS_SELF_SIGNED'],
    [withCode('CERT_HAS_EXPIRED'), 'TLS_CERT_EXPIRED'],
    [withCode('ERR_TLS_CERT_ALTNAME_INVALID'), 'TLS_HOSTNAME_MISMATCH'],
    [withCode('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), 'TLS_UNKNOWN_CA'],
    [withCode('UNABLE_TO_GET_ISSUER_CERT_LOCALLY'), 'TLS_UNKNOWN_CA'],
    [withCode('ERR_SSL_WRONG_VERSION_NUMBER'), 'TLS_HANDSHAKE'],
    [withCode('ERR_OSSL_EVP_UNSUPPORTED'), 'TLS_ERROR'],
    [wrapped(withCode('ECONNRESET')), 'ECONNRESET'],
    [wrapped(withCode('CERT_HAS_EXPIRED')), 'TLS_CERT_EXPIRED'],
    [new Error('no code at all'), 'ERROR'],
  ])('%s -> %s', (error, code) => {
    const failure = describeNetworkError(error);
    expect(failure.code).toBe(code);
    expect(failure.cause.length).toBeGreaterThan(0);
  });

  it('every code it can give is explained in the error-code table', () => {
    const given: KnownEndCode[] = [
      'ECONNREFUSED',
      'ENOTFOUND',
      'ECONNRESET',
      'EHOSTUNREACH',
      'ETIMEDOUT',
      'HEADERS_TIMEOUT',
      'HEADERS_TOO_LARGE',
      'BODY_LENGTH_MISMATCH',
      'BAD_CONTENT_LENGTH',
      'HTTP_PROTOCOL',
      'INVALID_REQUEST',
      'TLS_SELF_SIGNED',
      'TLS_CERT_EXPIRED',
      'TLS_HOSTNAME_MISMATCH',
      'TLS_UNKNOWN_CA',
      'TLS_HANDSHAKE',
      'TLS_ERROR',
      'ERROR',
    ];
    for (const code of given) expect(ERROR_CODES[code], code).toBeDefined();
  });

  it('HTTP statuses and unknown codes are explained too', () => {
    expect(explainErrorCode('HTTP_503').meaning).toBe('the server answered HTTP 503');
    expect(explainErrorCode('HTTP_401').check).toMatch(/CAMERA_API_TOKEN/);
    expect(explainErrorCode('EWHATEVER').meaning).toBe('a system error');
  });
});

describe('describeNetworkError through a proxy: its failures are told from the server behind it', () => {
  const proxy = 'http://127.0.0.1:3128/';
  const refused = (port: number): Error =>
    Object.assign(new Error(`connect ECONNREFUSED 127.0.0.1:${port}`), { code: 'ECONNREFUSED', port, address: '127.0.0.1' });

  it('a CONNECT the proxy refused is PROXY_REFUSED, 407 with its hint', () => {
    expect(describeNetworkError(new errors.RequestAbortedError('Proxy response (403) !== 200 when HTTP Tunneling'), proxy)).toEqual({
      code: 'PROXY_REFUSED',
      cause: 'the proxy refused the request with HTTP 403',
    });
    expect(describeNetworkError(new errors.RequestAbortedError('Proxy response (407) !== 200 when HTTP Tunneling'), proxy).cause).toMatch(
      /asks for credentials/,
    );
    // A forwarded http:// request: undici drops the 407 response and throws an invalid-argument error instead.
    expect(describeNetworkError(new errors.InvalidArgumentError('Proxy Authentication Required (407)'), proxy)).toMatchObject({
      code: 'PROXY_REFUSED',
      cause: expect.stringMatching(/HTTP 407: it asks for credentials/) as unknown,
    });
  });

  it("the proxy's own port refusing is PROXY_UNREACHABLE; the server's, behind it, stays ECONNREFUSED", () => {
    expect(describeNetworkError(wrapped(refused(3128)), proxy)).toEqual({
      code: 'PROXY_UNREACHABLE',
      cause: 'the proxy 127.0.0.1:3128 cannot be reached (ECONNREFUSED)',
    });
    expect(describeNetworkError(wrapped(refused(8080)), proxy).code).toBe('ECONNREFUSED');
    const unresolved = Object.assign(new Error('getaddrinfo ENOTFOUND proxy.corp'), { code: 'ENOTFOUND', hostname: 'proxy.corp' });
    expect(describeNetworkError(unresolved, 'http://proxy.corp:8080').code).toBe('PROXY_UNREACHABLE');
  });

  it('without a proxy nothing changes', () => {
    expect(describeNetworkError(wrapped(refused(3128))).code).toBe('ECONNREFUSED');
    expect(describeNetworkError(new errors.RequestAbortedError()).code).toBe('ABORTED');
  });
});
