import { readFile } from 'node:fs/promises';
import { Agent } from 'undici';
import { CameraSourceError, UsageError } from '../errors.js';
import { redactUrl } from '../text/redact.js';
import { fetchCameraList } from './api-source.js';
import { splitUrlCredentials, withAuthorization, type Camera, type CameraList } from './camera.js';
import { parseCameraList } from './parse-camera-list.js';
import type { CameraSource } from '../options/camera-source.js';

/** The sources a camera list is read from; the simulated fleet is started by the command, then read as an API. */
export type ListSource = Exclude<CameraSource, { kind: 'simulate' }>;

export interface LoadedCameras extends CameraList {
  /** Where the cameras came from, for the report and the log (redacted by the caller). */
  origin: string;
  /**
   * Headers for a stream URL: the credentials go to the API's origin only; given URLs get them all. Credentials
   * that were in a camera's URL come back here as its Basic authorization (its streamUrl no longer holds them),
   * unless --header or CAMERA_API_TOKEN gave an authorization, which wins (as curl's -H does).
   */
  headersFor: (url: string) => Record<string, string>;
}

export interface LoadOptions {
  headers: Record<string, string>;
  insecure: boolean;
  timeoutMs?: number;
  signal?: AbortSignal;
}

async function readCameraFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new UsageError(`--cameras-file ${path}: cannot read it (${code})`, { cause: error });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    // V8's message can quote the file, and the file can hold credentials: say where, not what.
    const at = /at position \d+( \(line \d+ column \d+\))?/.exec((error as Error).message)?.[0];
    throw new CameraSourceError('FILE_NOT_JSON', `--cameras-file ${path}: not JSON${at ? ` (${at})` : ''}`, { cause: error });
  }
}

/**
 * Moves the credentials out of every stream URL, at the edge, so nothing downstream holds them in a URL.
 * Two cameras at the same URL with different credentials cannot both be served by URL: the first one's are used.
 */
function moveCredentials(cameras: Camera[]): { cameras: Camera[]; authorizationFor: (url: string) => string | undefined } {
  const byUrl = new Map<string, string>();
  const stripped = cameras.map((camera) => {
    const { url, authorization } = splitUrlCredentials(camera.streamUrl);
    if (authorization === undefined) return camera;
    if (!byUrl.has(url)) byUrl.set(url, authorization);
    return { ...camera, streamUrl: url };
  });
  return { cameras: stripped, authorizationFor: (url) => byUrl.get(url) };
}

function ensureActive(list: LoadedCameras): LoadedCameras {
  if (list.cameras.length === 0) {
    const why = list.active === 0 ? `no camera has status 1 (${list.listed} listed)` : `all ${list.active} active cameras lack a usable fr_url`;
    throw new CameraSourceError('NO_ACTIVE_CAMERAS', `${list.origin}: ${why}`);
  }
  return list;
}

/** Lists the cameras to stream from, whichever source the options name. */
export async function loadCameras(source: ListSource, options: LoadOptions): Promise<LoadedCameras> {
  switch (source.kind) {
    case 'urls': {
      // The name is what the report and the terminal show: the URL, with its secrets hidden.
      const given = source.urls.map((url, i) => ({ id: `url-${i + 1}`, name: redactUrl(url), streamUrl: url }));
      const { cameras, authorizationFor } = moveCredentials(given);
      const headersFor = (url: string): Record<string, string> => withAuthorization(options.headers, authorizationFor(url));
      return { cameras, listed: cameras.length, active: cameras.length, skipped: [], origin: '--url', headersFor };
    }
    case 'file': {
      const body = await readCameraFile(source.path);
      const page = parseCameraList(body, `--cameras-file ${source.path}`, 'http://invalid.local/');
      const relative = page.cameras.find((camera) => camera.streamUrl.startsWith('http://invalid.local/'));
      if (relative) {
        throw new CameraSourceError('FILE_RELATIVE_URL', `--cameras-file ${source.path}: camera ${relative.id} has a relative fr_url; a file needs absolute URLs`);
      }
      const { cameras, authorizationFor } = moveCredentials(page.cameras);
      const headersFor = (url: string): Record<string, string> => withAuthorization(options.headers, authorizationFor(url));
      return ensureActive({ ...page, cameras, origin: `--cameras-file ${source.path}`, headersFor });
    }
    case 'api': {
      // The API URL's credentials count as given for the API's origin, like --header: its streams there get them.
      const { url: apiUrl, authorization: apiAuthorization } = splitUrlCredentials(source.apiUrl);
      const dispatcher = new Agent({ connect: { rejectUnauthorized: !options.insecure } });
      const list = await fetchCameraList({
        apiUrl,
        headers: withAuthorization(options.headers, apiAuthorization),
        dispatcher,
        ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
        ...(options.signal ? { signal: options.signal } : {}),
      }).finally(() => dispatcher.close());
      const origin = new URL(apiUrl).origin;
      const { cameras, authorizationFor } = moveCredentials(list.cameras);
      const headersFor = (url: string): Record<string, string> =>
        new URL(url).origin === origin
          ? withAuthorization(options.headers, authorizationFor(url) ?? apiAuthorization)
          : withAuthorization({}, authorizationFor(url));
      return ensureActive({ ...list, cameras, origin: redactUrl(source.apiUrl), headersFor });
    }
  }
}
