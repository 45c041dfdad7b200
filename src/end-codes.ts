// How a stream's connection can end, as the codes camera-load gives it. A closed set: report/error-codes.ts
// explains each one, its table typed by this set, so a code is explained everywhere or not added. Besides these,
// HTTP_nnn for an answer that is not 2xx, and a system error's own name where camera-load has no code for it.

export type KnownEndCode =
  | 'ENDED'
  | 'STALL'
  | 'HEADERS_TIMEOUT'
  | 'ECONNREFUSED'
  | 'ECONNRESET'
  | 'ENOTFOUND'
  | 'EHOSTUNREACH'
  | 'ETIMEDOUT'
  | 'HTTP_PROTOCOL'
  | 'BAD_CONTENT_LENGTH'
  | 'HEADERS_TOO_LARGE'
  | 'BODY_LENGTH_MISMATCH'
  | 'NOT_MULTIPART'
  | 'BOUNDARY_MISMATCH'
  | 'PART_HEADERS_TOO_LARGE'
  | 'PART_TOO_LARGE'
  | 'UNSUPPORTED_ENCODING'
  | 'DECODING_FAILED'
  | 'TLS_CERT_EXPIRED'
  | 'TLS_HOSTNAME_MISMATCH'
  | 'TLS_SELF_SIGNED'
  | 'TLS_UNKNOWN_CA'
  | 'TLS_HANDSHAKE'
  | 'TLS_ERROR'
  | 'PROXY_REFUSED'
  | 'PROXY_UNREACHABLE'
  | 'BODY_TIMEOUT'
  | 'BODY_TOO_LARGE'
  | 'ABORTED'
  | 'DROPPED'
  | 'INVALID_REQUEST'
  | 'ERROR';

declare const passedThrough: unique symbol;
/** A system error's own name (EPROTO, ECONNABORTED, …), passed through where camera-load has no code for it. */
export type SystemEndCode = string & { readonly [passedThrough]: true };

export type EndCode = KnownEndCode | `HTTP_${number}` | SystemEndCode;

/** The one way to make a SystemEndCode: describe-error.ts, for an error it has no code of its own for. */
export const systemEndCode = (name: string): SystemEndCode => name as SystemEndCode;
