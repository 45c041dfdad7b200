import { systemEndCode, type EndCode, type KnownEndCode } from '../end-codes.js';
/** A network failure reduced to a stable code and a short human cause. */
export interface NetworkFailure {
  /** ECONNREFUSED, ENOTFOUND, TLS_CERT_EXPIRED, HTTP_PROTOCOL, … (see report/error-codes.ts for each). */
  code: EndCode;
  cause: string;
}

/** TLS failures by OpenSSL's or Node's code: what a user can act on differs (expired, wrong name, private CA). */
const TLS: readonly [RegExp, KnownEndCode, string][] = [
  [/^CERT_HAS_EXPIRED$|^CERT_NOT_YET_VALID$/, 'TLS_CERT_EXPIRED', 'the server certificate is expired or not yet valid'],
  [/^ERR_TLS_CERT_ALTNAME_INVALID$|^HOSTNAME_MISMATCH$/, 'TLS_HOSTNAME_MISMATCH', 'the server certificate is for another host name'],
  [/^DEPTH_ZERO_SELF_SIGNED_CERT$|^SELF_SIGNED_CERT_IN_CHAIN$/, 'TLS_SELF_SIGNED', 'the server certificate is self-signed'],
  [
    /^UNABLE_TO_(GET_ISSUER_CERT|GET_ISSUER_CERT_LOCALLY|VERIFY_LEAF_SIGNATURE)$/,
    'TLS_UNKNOWN_CA',
    'the server certificate is signed by an authority this machine does not trust',
  ],
  [/^ERR_SSL_WRONG_VERSION_NUMBER$|^EPROTO$|^ERR_SSL_/, 'TLS_HANDSHAKE', 'the TLS handshake failed (is the server speaking TLS on that port?)'],
];
const ANY_TLS = /^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|HOSTNAME_MISMATCH|ERR_OSSL)/;

/** undici's own error codes (its `errors.js`), for those the socket's error does not already explain. */
const UNDICI: Readonly<Record<string, NetworkFailure>> = {
  UND_ERR_CONNECT_TIMEOUT: { code: 'ETIMEDOUT', cause: 'connection timed out' },
  UND_ERR_HEADERS_TIMEOUT: { code: 'HEADERS_TIMEOUT', cause: 'no response headers in time' },
  UND_ERR_BODY_TIMEOUT: { code: 'BODY_TIMEOUT', cause: 'the body stopped arriving' },
  UND_ERR_SOCKET: { code: 'ECONNRESET', cause: 'the server closed the connection' },
  UND_ERR_HEADERS_OVERFLOW: { code: 'HEADERS_TOO_LARGE', cause: 'the response headers are larger than undici accepts' },
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: { code: 'BODY_LENGTH_MISMATCH', cause: 'the body ended before its Content-Length' },
  UND_ERR_RES_EXCEEDED_MAX_SIZE: { code: 'BODY_TOO_LARGE', cause: 'the body is larger than allowed' },
  UND_ERR_INVALID_ARG: { code: 'INVALID_REQUEST', cause: 'the request could not be made' },
  UND_ERR_NOT_SUPPORTED: { code: 'INVALID_REQUEST', cause: 'the request could not be made' },
  UND_ERR_DESTROYED: { code: 'ABORTED', cause: 'aborted' },
  UND_ERR_CLOSED: { code: 'ABORTED', cause: 'aborted' },
  UND_ERR_INFO: { code: 'ECONNRESET', cause: 'the server closed the connection' },
};

const ERRNO: Readonly<Record<string, NetworkFailure>> = {
  ECONNREFUSED: { code: 'ECONNREFUSED', cause: 'connection refused' },
  ENOTFOUND: { code: 'ENOTFOUND', cause: 'host not found' },
  EAI_AGAIN: { code: 'ENOTFOUND', cause: 'host not found' },
  ECONNRESET: { code: 'ECONNRESET', cause: 'connection reset by the server' },
  EPIPE: { code: 'ECONNRESET', cause: 'connection reset by the server' },
  EHOSTUNREACH: { code: 'EHOSTUNREACH', cause: 'host unreachable' },
  ENETUNREACH: { code: 'EHOSTUNREACH', cause: 'host unreachable' },
  ETIMEDOUT: { code: 'ETIMEDOUT', cause: 'connection timed out' },
};

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** The chain of causes, outermost first: undici wraps the socket's error, which says most. */
function chain(error: unknown): unknown[] {
  const errors = [error];
  let current = error;
  for (let depth = 0; depth < 5; depth++) {
    const cause = (current as { cause?: unknown } | null)?.cause;
    if (cause === undefined || cause === null) break;
    errors.push(cause);
    current = cause;
  }
  return errors;
}

/** llhttp's complaint, e.g. "Invalid character in Content-Length", from undici's HTTPParserError message. */
function parserComplaint(message: string): string {
  return /\(([^)]+)\)\s*$/.exec(message)?.[1] ?? message;
}

// undici's only signs that a proxy refused: a CONNECT tunnel (RequestAbortedError, code UND_ERR_ABORTED), or a
// forwarded http:// request answered 407 (InvalidArgumentError, code UND_ERR_INVALID_ARG; the response is dropped).
const PROXY_REFUSALS = [/^Proxy response \((\d{3})\) !== 200/, /^Proxy Authentication Required \((407)\)/];
/** What a failed connection to the proxy itself looks like. */
const PROXY_CONNECT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/** The failure was in reaching `proxy` (a URL), not the server behind it: the socket error names its host or port. */
function proxyFailure(errors: readonly unknown[], proxy: string): NetworkFailure | undefined {
  for (const message of errors.map((e) => (e instanceof Error ? e.message : ''))) {
    const status = PROXY_REFUSALS.map((pattern) => pattern.exec(message)?.[1]).find((found) => found !== undefined);
    if (status !== undefined) {
      const hint = status === '407' ? ': it asks for credentials (user:password@ in the proxy URL)' : '';
      return { code: 'PROXY_REFUSED', cause: `the proxy refused the request with HTTP ${status}${hint}` };
    }
  }
  const { hostname, port } = new URL(proxy);
  const proxyPort = Number(port === '' ? (proxy.startsWith('https:') ? 443 : 80) : port);
  for (const e of errors) {
    const { code, port: errorPort, hostname: errorHost } = (e ?? {}) as { code?: unknown; port?: unknown; hostname?: unknown };
    if (typeof code === 'string' && PROXY_CONNECT.has(code) && (errorPort === proxyPort || errorHost === hostname)) {
      return { code: 'PROXY_UNREACHABLE', cause: `the proxy ${hostname}:${proxyPort} cannot be reached (${code})` };
    }
  }
  return undefined;
}

/** `via`: the proxy the request went through, if any, so that its failures are told from the server's. */
export function describeNetworkError(error: unknown, via?: string): NetworkFailure {
  const errors = chain(error);
  const inner = errors.at(-1);
  const codes = errors
    .map(errorCode)
    .filter((code): code is string => code !== undefined)
    .reverse();
  const code = codes[0];
  const name = error instanceof Error ? error.name : '';
  const message = inner instanceof Error ? inner.message : String(inner);
  const proxied = via === undefined ? undefined : proxyFailure(errors, via);
  if (proxied) return proxied;
  if (name === 'TimeoutError') return { code: 'ETIMEDOUT', cause: 'timed out' };
  if (name === 'AbortError' || code === 'ABORT_ERR' || code === 'UND_ERR_ABORTED') return { code: 'ABORTED', cause: 'aborted' };
  const parserError = errors.find((e) => e instanceof Error && e.name === 'HTTPParserError');
  if (parserError) {
    const complaint = parserComplaint((parserError as Error).message);
    return /content-length/i.test(complaint)
      ? { code: 'BAD_CONTENT_LENGTH', cause: `the response's Content-Length is not a valid number (${complaint})` }
      : { code: 'HTTP_PROTOCOL', cause: `the response is not valid HTTP/1.1 (${complaint})` };
  }
  for (const candidate of codes) {
    const known = ERRNO[candidate] ?? UNDICI[candidate];
    if (known) return known;
    if (ANY_TLS.test(candidate) || candidate === 'EPROTO') {
      const [, tlsCode, cause] = TLS.find(([pattern]) => pattern.test(candidate)) ?? [undefined, 'TLS_ERROR', 'TLS failed'];
      return { code: tlsCode, cause: `${cause} (${candidate})` };
    }
  }
  return code === undefined ? { code: 'ERROR', cause: message } : { code: systemEndCode(code), cause: message };
}

/** TLS_* codes: a certificate or handshake problem. */
export const isTlsFailure = (code: string): boolean => code.startsWith('TLS_');
