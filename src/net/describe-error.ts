/** A network failure reduced to a stable code and a short human cause. */
export interface NetworkFailure {
  /** ECONNREFUSED, ENOTFOUND, ETIMEDOUT, ECONNRESET, TLS, ABORTED, … (the error's own code where it has one). */
  code: string;
  cause: string;
}

const TLS_CODES = /^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|HOSTNAME_MISMATCH|ERR_OSSL)/;

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** undici wraps the socket's error in `cause`; the innermost code says most. */
function innermost(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 5; depth++) {
    const cause = (current as { cause?: unknown } | null)?.cause;
    if (cause === undefined || cause === null) break;
    current = cause;
  }
  return current;
}

export function describeNetworkError(error: unknown): NetworkFailure {
  const inner = innermost(error);
  const code = errorCode(inner) ?? errorCode(error);
  const message = inner instanceof Error ? inner.message : String(inner);
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError') return { code: 'ETIMEDOUT', cause: 'timed out' };
  if (name === 'AbortError' || code === 'ABORT_ERR' || code === 'UND_ERR_ABORTED') return { code: 'ABORTED', cause: 'aborted' };
  switch (code) {
    case 'ECONNREFUSED':
      return { code, cause: 'connection refused' };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { code: 'ENOTFOUND', cause: 'host not found' };
    case 'ECONNRESET':
      return { code, cause: 'connection reset by the server' };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return { code, cause: 'host unreachable' };
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return { code: 'ETIMEDOUT', cause: 'connection timed out' };
    case 'UND_ERR_HEADERS_TIMEOUT':
      return { code: 'HEADERS_TIMEOUT', cause: 'no response headers in time' };
    case 'UND_ERR_BODY_TIMEOUT':
      return { code: 'BODY_TIMEOUT', cause: 'the body stopped arriving' };
    case 'UND_ERR_SOCKET':
      return { code: 'ECONNRESET', cause: 'the server closed the connection' };
    case undefined:
      return { code: 'ERROR', cause: message };
  }
  if (TLS_CODES.test(code)) return { code: 'TLS', cause: `TLS verification failed (${code}); --insecure skips it` };
  return { code, cause: message };
}
