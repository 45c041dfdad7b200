// Secrets never reach a log or a report: tokens, given headers, URL credentials and secret-looking parameters.

export const REDACTED = '[REDACTED]';

const SECRET_NAMES = 'token|access_token|auth|authorization|key|api_key|apikey|password|passwd|pass|secret|signature|sig|session|jwt';
const SECRET_PARAM = new RegExp(`^(${SECRET_NAMES})$`, 'i');
/** `name=value` pairs of a query or fragment, found in text that is not a URL (or a fragment, which URL does not parse). */
const SECRET_PAIR = new RegExp(`(^|[?&;#])(${SECRET_NAMES})=[^&;#\\s]*`, 'gi');

/**
 * Text that failed to parse as a URL can still hold `user:pass@` or `?token=`: everything between the scheme
 * (or the start) and the last `@` is hidden, and so are secret-looking parameters. Errs on hiding too much.
 */
function redactText(text: string): string {
  let redacted = text;
  const at = redacted.lastIndexOf('@');
  if (at !== -1) {
    const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(redacted);
    const start = scheme ? scheme[0].length : 0;
    if (at >= start) redacted = `${redacted.slice(0, start)}${REDACTED}${redacted.slice(at)}`;
  }
  return redacted.replace(SECRET_PAIR, (_, before: string, name: string) => `${before}${name}=${REDACTED}`);
}

/** `https://user:pass@host/x?token=abc&cam=1` -> `https://[REDACTED]@host/x?token=[REDACTED]&cam=1`. */
export function redactUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return redactText(raw);
  }
  // `user:pw@host` parses as scheme `user:` with an opaque path: no authority, so no credentials URL knows of.
  if (url.host === '') return redactText(raw);
  let changed = false;
  if (url.username !== '' || url.password !== '') {
    url.username = REDACTED;
    url.password = '';
    changed = true;
  }
  for (const name of [...url.searchParams.keys()]) {
    if (SECRET_PARAM.test(name)) {
      url.searchParams.set(name, REDACTED);
      changed = true;
    }
  }
  const hash = url.hash.replace(SECRET_PAIR, (_, before: string, name: string) => `${before}${name}=${REDACTED}`);
  if (hash !== url.hash) {
    url.hash = hash;
    changed = true;
  }
  return changed ? url.toString().replaceAll(encodeURIComponent(REDACTED), REDACTED) : raw;
}

/** Header names with their values hidden: what was sent is visible, not what it said. */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(headers).map((name) => [name, REDACTED]));
}
