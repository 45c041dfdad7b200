import { readFile, stat } from 'node:fs/promises';
import { INPUT_LIMITS } from '../input-limits.js';
import type { Credentials } from '../connection/http-auth.js';
import { createDispatcher, type Network } from '../connection/network.js';
import { proxyFor } from '../options/proxy.js';
import { CameraSourceError, UsageError } from '../errors.js';
import { redactUrl } from '../text/redact.js';
import { fetchCameraList } from './api-source.js';
import { splitUrlCredentials, withAuthorization, type Camera, type CameraList } from './camera.js';
import { parseCameraList } from './parse-camera-list.js';
import type { CameraSource } from '../options/camera-source.js';
import { defined } from '../defined.js';

/** The sources a camera list is read from; the simulated fleet is started by the command, then read as an API. */
export type ListSource = Exclude<CameraSource, { kind: 'simulate' }>;

export interface LoadedCameras extends CameraList {
  /** Where the cameras came from, for the report and the log (redacted by the caller). */
  origin: string;
  /** Headers for a stream URL: --header and CAMERA_API_TOKEN go to the API's origin only; given URLs get them all. */
  headersFor: (url: string) => Record<string, string>;
  /**
   * What a stream answers its camera's Basic or Digest challenge with: the credentials that were in its URL (its
   * streamUrl no longer holds them), else the API URL's for streams on the API's origin, else --camera-auth.
   * None when its headers hold an authorization (--header, CAMERA_API_TOKEN), which wins as curl's -H does.
   */
  credentialsFor: (url: string) => Credentials | undefined;
}

export interface LoadOptions {
  headers: Record<string, string>;
  network: Network;
  /** --camera-auth: for every camera whose URL has no credentials of its own. */
  cameraAuth?: Credentials;
  timeoutMs?: number;
  signal?: AbortSignal;
}

async function readCameraFile(path: string): Promise<unknown> {
  let text: string;
  try {
    const { size } = await stat(path);
    if (size > INPUT_LIMITS.apiListingBytes) {
      throw new CameraSourceError(
        'FILE_TOO_LARGE',
        `--cameras-file ${path}: ${size.toLocaleString('en-US')} bytes, over the ${INPUT_LIMITS.apiListingBytes.toLocaleString('en-US')} a camera listing may have`,
      );
    }
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof CameraSourceError) throw error;
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
function moveCredentials(cameras: Camera[]): { cameras: Camera[]; credentialsIn: (url: string) => Credentials | undefined } {
  const byUrl = new Map<string, Credentials>();
  const stripped = cameras.map((camera) => {
    const { url, credentials } = splitUrlCredentials(camera.streamUrl);
    if (credentials === undefined) return camera;
    if (!byUrl.has(url)) byUrl.set(url, credentials);
    return { ...camera, streamUrl: url };
  });
  return { cameras: stripped, credentialsIn: (url) => byUrl.get(url) };
}

/** A stream's headers and credentials: an explicit authorization header leaves no credentials to answer with. */
function streamAuth(
  headersFor: (url: string) => Record<string, string>,
  credentials: (url: string) => Credentials | undefined,
): Pick<LoadedCameras, 'headersFor' | 'credentialsFor'> {
  return { headersFor, credentialsFor: (url) => ('authorization' in headersFor(url) ? undefined : credentials(url)) };
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
      const { cameras, credentialsIn } = moveCredentials(given);
      const auth = streamAuth(
        () => options.headers,
        (url) => credentialsIn(url) ?? options.cameraAuth,
      );
      return { cameras, listed: cameras.length, active: cameras.length, skipped: [], origin: '--url', ...auth };
    }
    case 'file': {
      const body = await readCameraFile(source.path);
      const page = parseCameraList(body, `--cameras-file ${source.path}`, 'http://invalid.local/');
      const relative = page.cameras.find((camera) => camera.streamUrl.startsWith('http://invalid.local/'));
      if (relative) {
        throw new CameraSourceError(
          'FILE_RELATIVE_URL',
          `--cameras-file ${source.path}: camera ${relative.id} has a relative fr_url; a file needs absolute URLs`,
        );
      }
      const { cameras, credentialsIn } = moveCredentials(page.cameras);
      const auth = streamAuth(
        () => options.headers,
        (url) => credentialsIn(url) ?? options.cameraAuth,
      );
      return ensureActive({ ...page, cameras, origin: `--cameras-file ${source.path}`, ...auth });
    }
    case 'api': {
      // The API URL's credentials count as given for the API's origin, like --header: its streams there get them.
      const { url: apiUrl, authorization: apiAuthorization, credentials: apiCredentials } = splitUrlCredentials(source.apiUrl);
      const dispatcher = createDispatcher(options.network);
      const proxy = proxyFor(apiUrl, options.network.proxy);
      const list = await fetchCameraList({
        apiUrl,
        headers: withAuthorization(options.headers, apiAuthorization),
        dispatcher,
        ...(proxy === null ? {} : { proxy }),
        ...defined({ timeoutMs: options.timeoutMs }),
        ...(options.signal ? { signal: options.signal } : {}),
      }).finally(() => dispatcher.close());
      const origin = new URL(apiUrl).origin;
      const { cameras, credentialsIn } = moveCredentials(list.cameras);
      const onApiOrigin = (url: string): boolean => new URL(url).origin === origin;
      const auth = streamAuth(
        (url) => (onApiOrigin(url) ? options.headers : {}),
        (url) => credentialsIn(url) ?? (onApiOrigin(url) ? apiCredentials : undefined) ?? options.cameraAuth,
      );
      return ensureActive({ ...list, cameras, origin: redactUrl(source.apiUrl), ...auth });
    }
  }
}
