import { errors } from 'undici';
import { describe, expect, it } from 'vitest';
import { describeNetworkError } from '../../src/connection/describe-error.js';
import { ERROR_CODES, explainErrorCode } from '../../src/report/error-codes.js';

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
    const given = [
      'ECONNREFUSED', 'ENOTFOUND', 'ECONNRESET', 'EHOSTUNREACH', 'ETIMEDOUT', 'HEADERS_TIMEOUT', 'HEADERS_TOO_LARGE',
      'BODY_LENGTH_MISMATCH', 'BAD_CONTENT_LENGTH', 'HTTP_PROTOCOL', 'INVALID_REQUEST', 'TLS_SELF_SIGNED', 'TLS_CERT_EXPIRED',
      'TLS_HOSTNAME_MISMATCH', 'TLS_UNKNOWN_CA', 'TLS_HANDSHAKE', 'TLS_ERROR', 'ERROR',
    ];
    for (const code of given) expect(ERROR_CODES[code], code).toBeDefined();
  });

  it('HTTP statuses and unknown codes are explained too', () => {
    expect(explainErrorCode('HTTP_503').meaning).toBe('the server answered HTTP 503');
    expect(explainErrorCode('HTTP_401').check).toMatch(/CAMERA_API_TOKEN/);
    expect(explainErrorCode('EWHATEVER').meaning).toBe('a system error');
  });
});
