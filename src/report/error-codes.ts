// How a connection can end, by code: what it means and what to check. The summary, the analysis and
// docs/error-codes.md read this one table, so a new code is explained everywhere or nowhere.

import type { KnownEndCode } from '../end-codes.js';
import { STREAM_CREDENTIALS } from '../text/credentials.js';

export interface ErrorCodeInfo {
  /** What happened, in plain words. */
  meaning: string;
  /** What to check or try, shown after an arrow. */
  check: string;
}

/** Every code camera-load gives a connection's end, explained: typed by the set, so none is left out. */
export const ERROR_CODES: Readonly<Record<KnownEndCode, ErrorCodeInfo>> = {
  ENDED: { meaning: 'the server ended the stream', check: 'a server that closes streams on purpose (a time limit, a restart)' },
  STALL: {
    meaning: 'no complete frame within --stall-timeout on an open stream (bytes may have kept coming)',
    check: 'the server, or the network, froze, or it sends data that never completes a picture; a longer --stall-timeout for slow cameras',
  },
  HEADERS_TIMEOUT: {
    meaning: 'connected, but no response headers within --stall-timeout',
    check: 'a server that accepts connections but does not answer (overloaded, or a wrong port)',
  },
  ECONNREFUSED: { meaning: 'connection refused', check: 'the host and port of the stream URL; is the server running?' },
  ECONNRESET: { meaning: 'the server or a proxy reset the connection', check: 'the server log; a proxy or load balancer cutting long responses' },
  ENOTFOUND: { meaning: 'the host name does not resolve', check: 'the host name in the URL, and DNS on this machine' },
  EHOSTUNREACH: { meaning: 'no route to the host', check: 'the network path, VPN, firewall' },
  ETIMEDOUT: { meaning: 'the TCP connection timed out', check: 'a firewall dropping packets, or a host that is down' },
  HTTP_PROTOCOL: { meaning: 'the answer is not valid HTTP/1.1', check: 'the URL points at an HTTP server (not RTSP, not raw TCP)' },
  BAD_CONTENT_LENGTH: { meaning: "the response's Content-Length header is not a valid number", check: 'the server sends a broken header: fix it there' },
  HEADERS_TOO_LARGE: { meaning: 'the response headers are too large', check: 'the server (or a proxy) sends oversized headers' },
  BODY_LENGTH_MISMATCH: { meaning: 'the body ended before its declared Content-Length', check: 'the server cut the response short' },
  NOT_MULTIPART: {
    meaning: 'the answer is not a multipart stream (no delimiter found)',
    check: 'the URL points at the stream, not a page or a snapshot',
  },
  BOUNDARY_MISMATCH: {
    meaning: "the body's delimiters do not match the boundary the Content-Type declares",
    check: 'the server declares one boundary and uses another: fix it there',
  },
  PART_HEADERS_TOO_LARGE: { meaning: "a part's header block exceeded 16 KiB", check: 'the server sends endless part headers (a bug in it)' },
  PART_TOO_LARGE: { meaning: 'a part exceeded 16 MiB without a delimiter', check: 'the server stopped sending delimiters (a bug in it)' },
  UNSUPPORTED_ENCODING: {
    meaning: 'the stream is compressed with an encoding camera-load cannot decode',
    check: 'the server (or a proxy) compresses the stream although camera-load asks for identity',
  },
  DECODING_FAILED: { meaning: 'the compressed stream could not be decoded', check: 'the server (or a proxy) sends a broken gzip/deflate/br body' },
  TLS_CERT_EXPIRED: {
    meaning: 'the server certificate is expired or not yet valid',
    check: "the server's certificate, and this machine's clock; --insecure skips the check",
  },
  TLS_HOSTNAME_MISMATCH: { meaning: 'the server certificate is for another host name', check: 'the host name in the URL; --insecure skips the check' },
  TLS_SELF_SIGNED: { meaning: 'the server certificate is self-signed', check: '--ca with that certificate trusts it; --insecure skips the check' },
  TLS_UNKNOWN_CA: {
    meaning: 'the certificate is signed by an authority this machine does not trust',
    check: 'a private CA: --ca ca.pem (or NODE_EXTRA_CA_CERTS=ca.pem); --insecure skips the check',
  },
  TLS_HANDSHAKE: { meaning: 'the TLS handshake failed', check: 'https:// to a port that speaks plain HTTP, or an old TLS version' },
  TLS_ERROR: { meaning: 'TLS failed', check: 'the certificate; --insecure skips the check' },
  PROXY_REFUSED: {
    meaning: 'the proxy refused the request (a CONNECT tunnel, or 407: it wants credentials)',
    check: 'the proxy allows CONNECT to that host and port; 407: its credentials (user:password@ in HTTPS_PROXY or --proxy)',
  },
  PROXY_UNREACHABLE: { meaning: 'the proxy itself cannot be reached', check: 'HTTP_PROXY, HTTPS_PROXY or --proxy, and NO_PROXY for hosts to reach directly' },
  BODY_TIMEOUT: { meaning: 'the body stopped arriving', check: 'the server, or the network, froze' },
  BODY_TOO_LARGE: { meaning: 'the body is larger than allowed', check: 'the URL points at the stream' },
  ABORTED: { meaning: 'camera-load aborted the connection', check: 'nothing: the run ended while it was open' },
  DROPPED: {
    meaning: 'camera-load dropped the connection on purpose: a reconnect storm (--storm-at)',
    check: "nothing: the storm's recovery is reported apart, and the drop is not counted as the server's",
  },
  INVALID_REQUEST: { meaning: 'the request could not be made', check: 'the URL and --header values' },
  ERROR: { meaning: 'an error without a code', check: 'the report: streams[].lastError.message says more' },
};

const HTTP_STATUS = /^HTTP_(\d{3})$/;

const HTTP_CHECKS: Readonly<Record<string, string>> = {
  '401': `credentials: ${STREAM_CREDENTIALS}`,
  '407': 'the proxy asks for credentials: user:password@ in HTTP_PROXY or --proxy',
  '403': `credentials that may see the stream: ${STREAM_CREDENTIALS}`,
  '404': 'the stream URL (fr_url)',
  '429': 'the server limits streams: it is at capacity',
  '503': 'the server refused the stream: it is at capacity (camera-load max finds the level)',
};

/** The explanation of a code, including HTTP_nnn and codes not in the table. */
export function explainErrorCode(code: string): ErrorCodeInfo {
  if (Object.hasOwn(ERROR_CODES, code)) return ERROR_CODES[code as KnownEndCode];
  const status = HTTP_STATUS.exec(code)?.[1];
  if (status !== undefined) {
    return { meaning: `the server answered HTTP ${status}`, check: HTTP_CHECKS[status] ?? (status.startsWith('5') ? 'the server log' : 'the stream URL') };
  }
  return { meaning: 'a system error', check: 'the report: streams[].lastError.message says more' };
}
