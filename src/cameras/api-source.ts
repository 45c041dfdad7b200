import { request, type Dispatcher } from 'undici';
import { CameraSourceError } from '../errors.js';
import { INPUT_LIMITS } from '../input-limits.js';
import { deadline } from '../connection/deadline.js';
import { describeNetworkError, isTlsFailure } from '../connection/describe-error.js';
import { API_CREDENTIALS } from '../text/credentials.js';
import { printable } from '../text/printable.js';
import { redactUrl } from '../text/redact.js';
import { splitUrlCredentials, withAuthorization, type CameraList } from './camera.js';
import { parseCameraList } from './parse-camera-list.js';

export interface ApiSourceOptions {
  apiUrl: string;
  /**
   * Sent to the API (and to next links on the same origin): auth and --header values. Credentials in the API
   * URL are sent as Basic auth unless these hold an authorization.
   */
  headers: Record<string, string>;
  dispatcher?: Dispatcher;
  /** The proxy the API's requests go through, so that its failures are named as the proxy's. */
  proxy?: string;
  /** Per page. */
  timeoutMs?: number;
  maxPages?: number;
  /** A camera list larger than this is not a camera list. */
  maxBodyBytes?: number;
  signal?: AbortSignal;
}

const DEFAULTS = { timeoutMs: 15_000, maxPages: INPUT_LIMITS.apiPages, maxBodyBytes: INPUT_LIMITS.apiPageBytes };

// What the server said, shown in an error on the terminal: one line of plain text, short.
const preview = (text: string): string => printable(text.replace(/\s+/g, ' ').trim(), 61);

/** The body as text, refused as soon as it passes `limit` bytes (`what` says which limit). */
async function readBounded(body: AsyncIterable<Buffer>, limit: { bytes: number; what: string }, where: string): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > limit.bytes) throw new CameraSourceError('API_TOO_LARGE', `${where}: ${limit.what}`);
    parts.push(chunk);
  }
  return Buffer.concat(parts).toString('utf8');
}

async function fetchPage(
  url: string,
  options: ApiSourceOptions,
  headers: Record<string, string>,
  limit: { bytes: number; what: string },
): Promise<{ body: unknown; bytes: number }> {
  const where = `GET ${redactUrl(url)}`;
  const timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
  const { signal, dispose } = deadline(options.signal, timeoutMs);
  let response: Dispatcher.ResponseData;
  let text: string;
  try {
    response = await request(url, {
      headers: { accept: 'application/json', ...headers },
      signal,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    });
    if (response.statusCode < 200 || response.statusCode > 299) {
      const body = await readBounded(response.body, { bytes: 4096, what: 'an error page over 4 KB' }, where).catch(() => '');
      const hint =
        response.statusCode === 401 || response.statusCode === 403
          ? ` (credentials: ${API_CREDENTIALS})`
          : redirectHint(url, response.statusCode, response.headers.location);
      throw new CameraSourceError(`HTTP_${response.statusCode}`, `${where}: answered HTTP ${response.statusCode}${hint}${body ? `: ${preview(body)}` : ''}`);
    }
    text = await readBounded(response.body, limit, where);
  } catch (error) {
    dispose();
    if (error instanceof CameraSourceError) throw error;
    const failure = describeNetworkError(error, options.proxy);
    if (failure.code === 'ABORTED' && options.signal?.aborted) throw error;
    const code = isTlsFailure(failure.code)
      ? 'API_TLS'
      : failure.code === 'ETIMEDOUT'
        ? 'API_TIMEOUT'
        : failure.code.startsWith('PROXY_')
          ? 'API_PROXY'
          : 'API_UNREACHABLE';
    const cause =
      failure.code === 'ETIMEDOUT'
        ? `no complete answer within ${timeoutMs / 1000} s`
        : `${failure.cause}${isTlsFailure(failure.code) ? '; --ca trusts a private CA, --insecure skips the check' : ''}`;
    throw new CameraSourceError(code, `${where}: ${cause}`, { cause: error });
  }
  dispose();
  try {
    return { body: JSON.parse(text) as unknown, bytes: Buffer.byteLength(text) };
  } catch (error) {
    const type = printable(String(response.headers['content-type'] ?? 'no content type'), 100);
    throw new CameraSourceError('API_NOT_JSON', `${where}: the answer is not JSON (${type}): '${preview(text)}'`, { cause: error });
  }
}

/**
 * A redirect is not followed (the token would go wherever it points): say where it pointed, and the usual cause,
 * an API URL without its trailing slash (Django answers those with a 301).
 */
function redirectHint(url: string, status: number, location: string | string[] | undefined): string {
  if (status < 300 || status > 399 || location === undefined) return '';
  const to = Array.isArray(location) ? (location[0] ?? '') : location;
  const slash = !new URL(url).pathname.endsWith('/') && to.split('?')[0]?.endsWith('/') === true ? '; add the trailing slash to --api-url' : '';
  return ` (a redirect to ${printable(redactUrl(to), 200)}, not followed${slash})`;
}

/** A page may take what is left of the listing's bytes, and no more than a page's. */
function pageLimit(options: ApiSourceOptions, listingBytes: number, pages: number): { bytes: number; what: string } {
  const page = options.maxBodyBytes ?? DEFAULTS.maxBodyBytes;
  const left = INPUT_LIMITS.apiListingBytes - listingBytes;
  return left < page
    ? { bytes: left, what: `the camera listing is larger than ${INPUT_LIMITS.apiListingBytes.toLocaleString('en-US')} bytes in all (at page ${pages})` }
    : { bytes: page, what: `the answer is larger than ${page} bytes` };
}

/** Lists the active cameras, following `next` links page by page (bounded, loops refused). */
export async function fetchCameraList(options: ApiSourceOptions): Promise<CameraList> {
  const api = splitUrlCredentials(options.apiUrl);
  const origin = new URL(api.url).origin;
  const maxPages = options.maxPages ?? DEFAULTS.maxPages;
  const total: CameraList = { cameras: [], listed: 0, active: 0, skipped: [] };
  const seen = new Set<string>();
  let listingBytes = 0;
  let next: string | undefined = options.apiUrl;
  while (next !== undefined) {
    // Each page is requested without the credentials in its URL, so relative fr_url values do not inherit them.
    const page = splitUrlCredentials(next);
    const url = page.url;
    if (seen.has(url)) {
      throw new CameraSourceError('API_PAGINATION_LOOP', `GET ${redactUrl(url)}: the next link points back to a page already read`);
    }
    if (seen.size >= maxPages) {
      throw new CameraSourceError('API_TOO_MANY_PAGES', `${redactUrl(api.url)}: more than ${maxPages} pages of cameras`);
    }
    seen.add(url);
    // Credentials go only where they were meant to: the API's own origin, and a page whose URL holds its own.
    const headers =
      new URL(url).origin === origin ? withAuthorization(options.headers, page.authorization ?? api.authorization) : withAuthorization({}, page.authorization);
    const { body, bytes } = await fetchPage(url, options, headers, pageLimit(options, listingBytes, seen.size));
    listingBytes += bytes;
    const parsed = parseCameraList(body, `GET ${redactUrl(url)}`, url);
    // One at a time: a spread of 130,000 cameras overflows the call stack.
    for (const camera of parsed.cameras) total.cameras.push(camera);
    for (const skipped of parsed.skipped) total.skipped.push(skipped);
    total.listed += parsed.listed;
    total.active += parsed.active;
    if (total.listed > INPUT_LIMITS.apiCameras) {
      throw new CameraSourceError(
        'API_TOO_LARGE',
        `${redactUrl(api.url)}: more than ${INPUT_LIMITS.apiCameras.toLocaleString('en-US')} cameras listed (${seen.size} pages read)`,
      );
    }
    next = parsed.next;
  }
  return total;
}
