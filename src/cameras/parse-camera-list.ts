import { CameraSourceError } from '../errors.js';
import { printable } from '../text/printable.js';
import { redactUrl } from '../text/redact.js';
import type { Camera, CameraList } from './camera.js';

export interface ParsedPage extends CameraList {
  /** The next page's URL (paginated answers), resolved against the page URL. */
  next?: string;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The camera array of an answer: a bare array, DRF's {results}, or {data} / {cameras}. */
function cameraArray(body: unknown): { items: unknown[]; next?: unknown } | undefined {
  if (Array.isArray(body)) return { items: body };
  if (!isObject(body)) return undefined;
  for (const key of ['results', 'data', 'cameras'] as const) {
    const items = body[key];
    if (Array.isArray(items)) return { items, next: body.next };
  }
  return undefined;
}

function isActive(status: unknown): boolean {
  return status === 1 || status === '1' || status === true;
}

function usableUrl(raw: unknown, base: string): { url: string } | { reason: string } {
  if (raw === undefined || raw === null || raw === '') return { reason: 'no fr_url' };
  if (typeof raw !== 'string') return { reason: 'fr_url is not text' };
  let url: URL;
  try {
    url = new URL(raw.trim(), base);
  } catch {
    return { reason: `fr_url '${printable(redactUrl(raw), 100)}' is not a URL` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { reason: `fr_url scheme ${url.protocol} is not http(s)` };
  return { url: url.toString() };
}

// Ids and names are cleaned here, where they enter, so every output (terminal, log, report, JUnit) gets plain text.
function cameraId(raw: unknown): string | undefined {
  if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
  const id = printable(String(raw), 100).trim();
  return id === '' ? undefined : id;
}

function describe(body: unknown): string {
  if (Array.isArray(body)) return 'an array';
  if (isObject(body)) {
    const keys = Object.keys(body)
      .slice(0, 6)
      .map((key) => printable(key, 40));
    return keys.length === 0 ? 'an empty object' : `an object with keys ${keys.join(', ')}`;
  }
  return body === null ? 'null' : `a ${typeof body}`;
}

/**
 * One answer of a camera source (an API page or a file) -> active cameras with usable stream URLs.
 * `where` names the source in errors; `base` resolves relative fr_url values and the next link.
 */
export function parseCameraList(body: unknown, where: string, base: string): ParsedPage {
  const found = cameraArray(body);
  if (!found) {
    throw new CameraSourceError(
      'API_UNEXPECTED_SHAPE',
      `${where}: expected a camera list (an array, or an object with results, data or cameras), got ${describe(body)}`,
    );
  }
  const cameras: Camera[] = [];
  const skipped: { id: string; reason: string }[] = [];
  let active = 0;
  found.items.forEach((item, index) => {
    if (!isObject(item)) return;
    if (!isActive(item.status)) return;
    active++;
    const id = cameraId(item.id ?? item.camera_id ?? item.pk) ?? `#${index + 1}`;
    const url = usableUrl(item.fr_url, base);
    if ('reason' in url) {
      skipped.push({ id, reason: url.reason });
      return;
    }
    const name = (typeof item.name === 'string' ? printable(item.name).trim() : '') || `Camera ${id}`;
    cameras.push({ id, name, streamUrl: url.url });
  });
  const page: ParsedPage = { cameras, listed: found.items.length, active, skipped };
  if (typeof found.next === 'string' && found.next !== '') {
    try {
      page.next = new URL(found.next, base).toString();
    } catch {
      throw new CameraSourceError('API_UNEXPECTED_SHAPE', `${where}: the next link '${printable(redactUrl(found.next), 100)}' is not a URL`);
    }
  }
  return page;
}
