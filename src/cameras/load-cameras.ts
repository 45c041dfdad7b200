import { readFile } from 'node:fs/promises';
import { Agent } from 'undici';
import { CameraSourceError, UsageError } from '../errors.js';
import { startFleetProcess, type FleetProcess } from '../sim/fleet-process.js';
import { fetchCameraList } from './api-source.js';
import type { CameraList } from './camera.js';
import { parseCameraList } from './parse-camera-list.js';

export type CameraSource =
  | { kind: 'api'; apiUrl: string }
  | { kind: 'file'; path: string }
  | { kind: 'urls'; urls: string[] }
  | { kind: 'simulate'; cameras: number; args: string[] };

export interface LoadedCameras extends CameraList {
  /** Where the cameras came from, for the report and the log (redacted by the caller). */
  origin: string;
  /** Headers for a stream URL: the credentials go to the API's origin only; given URLs get them all. */
  headersFor: (url: string) => Record<string, string>;
  /** Stops what the source started (the simulated fleet). */
  close: () => Promise<void>;
}

export interface LoadOptions {
  headers: Record<string, string>;
  insecure: boolean;
  timeoutMs?: number;
  signal?: AbortSignal;
}

const noop = (): Promise<void> => Promise.resolve();

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
    throw new CameraSourceError('FILE_NOT_JSON', `--cameras-file ${path}: not JSON (${(error as Error).message})`, { cause: error });
  }
}

function ensureActive(list: LoadedCameras): LoadedCameras {
  if (list.cameras.length === 0) {
    const why = list.active === 0 ? `no camera has status 1 (${list.listed} listed)` : `all ${list.active} active cameras lack a usable fr_url`;
    throw new CameraSourceError('NO_ACTIVE_CAMERAS', `${list.origin}: ${why}`);
  }
  return list;
}

/** Lists the cameras to stream from, whichever source the options name. */
export async function loadCameras(source: CameraSource, options: LoadOptions): Promise<LoadedCameras> {
  const all = (): Record<string, string> => options.headers;
  switch (source.kind) {
    case 'urls': {
      const cameras = source.urls.map((url, i) => ({ id: `url-${i + 1}`, name: url, streamUrl: url }));
      return { cameras, listed: cameras.length, active: cameras.length, skipped: [], origin: '--url', headersFor: all, close: noop };
    }
    case 'file': {
      const body = await readCameraFile(source.path);
      const page = parseCameraList(body, `--cameras-file ${source.path}`, 'http://invalid.local/');
      const relative = page.cameras.find((camera) => camera.streamUrl.startsWith('http://invalid.local/'));
      if (relative) {
        throw new CameraSourceError('FILE_RELATIVE_URL', `--cameras-file ${source.path}: camera ${relative.id} has a relative fr_url; a file needs absolute URLs`);
      }
      return ensureActive({ ...page, origin: `--cameras-file ${source.path}`, headersFor: all, close: noop });
    }
    case 'api':
    case 'simulate': {
      let fleet: FleetProcess | undefined;
      let apiUrl = source.kind === 'api' ? source.apiUrl : '';
      if (source.kind === 'simulate') {
        fleet = await startFleetProcess(['--cameras', String(source.cameras), ...source.args]);
        apiUrl = fleet.apiUrl;
      }
      const close = async (): Promise<void> => {
        await fleet?.stop();
      };
      try {
        const dispatcher = new Agent({ connect: { rejectUnauthorized: !options.insecure } });
        const list = await fetchCameraList({
          apiUrl,
          headers: options.headers,
          dispatcher,
          ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
          ...(options.signal ? { signal: options.signal } : {}),
        }).finally(() => dispatcher.close());
        const origin = new URL(apiUrl).origin;
        return ensureActive({
          ...list,
          origin: source.kind === 'api' ? apiUrl : `simulated fleet at ${apiUrl}`,
          headersFor: (url) => (new URL(url).origin === origin ? options.headers : {}),
          close,
        });
      } catch (error) {
        await close();
        throw error;
      }
    }
  }
}
