import { UsageError } from '../errors.js';
import type { CameraSource } from '../cameras/load-cameras.js';
import { parseDuration, parseInteger } from './units.js';

export const DEFAULT_API_URL = 'https://cc.nttagid.com/api/v1/camera/';
export const DEFAULT_MAX_STREAMS = 50;

/** What commander hands the run command: raw text, checked here. */
export interface RunFlags {
  maxStreams?: string;
  duration: string;
  apiUrl: string;
  camerasFile?: string;
  url: string[];
  simulate?: string | true;
  header: string[];
  insecure?: boolean;
  streamsPerCamera: string;
  rampUp: string;
  stallTimeout: string;
  backoffMax: string;
  interval: string;
  connectConcurrency: string;
  apiTimeout: string;
  saturationCpu: string;
  output?: string;
  log?: string;
  quiet?: boolean;
}

export interface RunOptions {
  /** undefined: not given (ask on a terminal, else the default). */
  maxStreams: number | undefined;
  durationMs: number;
  source: CameraSource;
  headers: Record<string, string>;
  insecure: boolean;
  streamsPerCamera: number;
  rampUpMs: number;
  stallTimeoutMs: number;
  backoffMaxMs: number;
  intervalMs: number;
  connectConcurrency: number;
  apiTimeoutMs: number;
  /** Percent of one core above which camera-load counts itself saturated. */
  saturationCpuPercent: number;
  output?: string;
  log?: string;
  quiet: boolean;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export function parseHeader(text: string): [string, string] {
  const colon = text.indexOf(':');
  const name = colon === -1 ? '' : text.slice(0, colon).trim();
  if (!HEADER_NAME.test(name)) throw new UsageError(`--header expects 'Name: value'; got '${text.replace(/:.*/, ': …')}'`);
  return [name.toLowerCase(), text.slice(colon + 1).trim()];
}

function httpUrl(text: string, flag: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${flag} expects an http(s) URL; got '${text}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`${flag} expects an http(s) URL; got '${text}'`);
  return url.toString();
}

/** Checks every flag once, at the edge; `env` supplies CAMERA_API_TOKEN so secrets stay out of argv. */
export function resolveRunOptions(flags: RunFlags, env: NodeJS.ProcessEnv, apiUrlGiven: boolean): RunOptions {
  const headers: Record<string, string> = {};
  const token = env.CAMERA_API_TOKEN?.trim();
  if (token) headers.authorization = `Bearer ${token}`;
  for (const text of flags.header) {
    const [name, value] = parseHeader(text);
    headers[name] = value;
  }

  const sources = [apiUrlGiven, flags.camerasFile !== undefined, flags.url.length > 0, flags.simulate !== undefined].filter(Boolean);
  if (sources.length > 1) throw new UsageError('choose one camera source: --api-url, --cameras-file, --url or --simulate');
  let source: CameraSource;
  if (flags.simulate !== undefined) {
    const cameras = flags.simulate === true ? 20 : parseInteger(flags.simulate, '--simulate', 1, 10_000);
    source = { kind: 'simulate', cameras, args: [] };
  } else if (flags.camerasFile !== undefined) {
    source = { kind: 'file', path: flags.camerasFile };
  } else if (flags.url.length > 0) {
    source = { kind: 'urls', urls: flags.url.map((url) => httpUrl(url, '--url')) };
  } else {
    source = { kind: 'api', apiUrl: httpUrl(flags.apiUrl, '--api-url') };
  }

  const durationMs = parseDuration(flags.duration, '--duration');
  if (durationMs < 1) throw new UsageError(`--duration must be above 0; got '${flags.duration}'`);
  const stallTimeoutMs = parseDuration(flags.stallTimeout, '--stall-timeout');
  if (stallTimeoutMs < 100) throw new UsageError(`--stall-timeout must be at least 100ms; got '${flags.stallTimeout}'`);
  const intervalMs = parseDuration(flags.interval, '--interval');
  if (intervalMs < 100) throw new UsageError(`--interval must be at least 100ms; got '${flags.interval}'`);
  const backoffMaxMs = parseDuration(flags.backoffMax, '--backoff-max');
  if (backoffMaxMs < 1) throw new UsageError(`--backoff-max must be above 0; got '${flags.backoffMax}'`);

  return {
    maxStreams: flags.maxStreams === undefined ? undefined : parseInteger(flags.maxStreams, '--max-streams', 1, 100_000),
    durationMs,
    source,
    headers,
    insecure: flags.insecure === true,
    streamsPerCamera: parseInteger(flags.streamsPerCamera, '--streams-per-camera', 1, 10_000),
    rampUpMs: parseDuration(flags.rampUp, '--ramp-up'),
    stallTimeoutMs,
    backoffMaxMs,
    intervalMs,
    connectConcurrency: parseInteger(flags.connectConcurrency, '--connect-concurrency', 1, 100_000),
    apiTimeoutMs: parseDuration(flags.apiTimeout, '--api-timeout'),
    saturationCpuPercent: parseInteger(flags.saturationCpu, '--saturation-cpu', 0, 100),
    ...(flags.output === undefined ? {} : { output: flags.output }),
    ...(flags.log === undefined ? {} : { log: flags.log }),
    quiet: flags.quiet === true,
  };
}
