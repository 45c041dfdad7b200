// Secrets never reach a log or a report: tokens, given headers, URL credentials and secret-looking parameters.

export const REDACTED = '[REDACTED]';

const SECRET_PARAM = /^(token|access_token|auth|authorization|key|api_key|apikey|password|passwd|pass|secret|signature|sig|session|jwt)$/i;

/** `https://user:pass@host/x?token=abc&cam=1` -> `https://[REDACTED]@host/x?token=[REDACTED]&cam=1`. */
export function redactUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return raw;
  }
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
  return changed ? url.toString().replaceAll(encodeURIComponent(REDACTED), REDACTED) : raw;
}

/** Header names with their values hidden: what was sent is visible, not what it said. */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(headers).map((name) => [name, REDACTED]));
}
