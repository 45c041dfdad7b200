import type { CameraSource } from './camera-source.js';
import { DEFAULTS } from './defaults.js';
import { UsageError } from '../errors.js';
import { redactUrl } from '../text/redact.js';
import { DEFAULT_TIMESTAMP_HEADERS, type TimestampHeaders } from '../mjpeg/part-headers.js';
import { resolveProxy, type ProxySettings } from './proxy.js';
import { parseDuration, parseInteger } from './units.js';
import { defined } from '../defined.js';

/** The flags `run` and `max` share: where the cameras come from and how each stream is held. */
export interface EngineFlags {
  apiUrl: string;
  camerasFile?: string;
  url: string[];
  simulate?: string | true;
  header: string[];
  insecure?: boolean;
  ca?: string;
  proxy?: string;
  cameraAuth?: string;
  streamsPerCamera: string;
  stallTimeout: string;
  freezeTimeout: string;
  timestampHeader?: string;
  backoffMax: string;
  interval: string;
  connectConcurrency: string;
  apiTimeout: string;
  saturationCpu: string;
  output?: string;
  /** true: --html without a file (the report's name with .html). */
  html?: string | true;
  log?: string;
  quiet?: boolean;
}

export interface EngineOptions {
  source: CameraSource;
  headers: Record<string, string>;
  insecure: boolean;
  /** --ca: a PEM file of certificates trusted besides the system's. */
  ca?: string;
  proxy: ProxySettings;
  /** --camera-auth or CAMERA_AUTH: for every camera whose URL has no credentials of its own. */
  cameraAuth?: { username: string; password: string };
  streamsPerCamera: number;
  stallTimeoutMs: number;
  freezeTimeoutMs: number;
  /** Where each part's capture time is read from. */
  timestampHeaders: TimestampHeaders;
  backoffMaxMs: number;
  intervalMs: number;
  connectConcurrency: number;
  apiTimeoutMs: number;
  /** Percent of one core above which camera-load counts itself saturated. */
  saturationCpuPercent: number;
  output?: string;
  html?: string | true;
  log?: string;
  quiet: boolean;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** What an HTTP field value may not hold (RFC 9110: visible ASCII, space, tab, obs-text); CR or LF would split the request. */
const NOT_FIELD_VALUE = /[^\t\x20-\x7e\x80-\xff]/;

// A header is a secret until proven otherwise: errors about one name the flag, never echo its text.
export function parseHeader(text: string): [string, string] {
  if (NOT_FIELD_VALUE.test(text)) {
    throw new UsageError('--header holds a control character (CR, LF, ...) or a character beyond Latin-1; headers are one line of text', {
      code: 'ERR_BAD_HEADER',
    });
  }
  const colon = text.indexOf(':');
  const name = colon === -1 ? '' : text.slice(0, colon).trim();
  if (!HEADER_NAME.test(name)) {
    throw new UsageError(
      `--header expects 'Name: value' with a name of letters, digits and !#$%&'*+.^_\`|~- (the given header is not shown: it may hold a secret)`,
      { code: 'ERR_BAD_HEADER' },
    );
  }
  return [name.toLowerCase(), text.slice(colon + 1).trim()];
}

function httpUrl(text: string, flag: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${flag} expects an http(s) URL; got '${redactUrl(text)}'`, { code: 'ERR_BAD_URL' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`${flag} expects an http(s) URL; got '${redactUrl(text)}'`, { code: 'ERR_BAD_URL' });
  return url.toString();
}

const TIMESTAMP_UNITS = ['s', 'ms', 'us', 'auto'] as const;

/** `Name` or `Name:unit`: the one header the capture times are read from. */
export function parseTimestampHeader(text: string): TimestampHeaders {
  const colon = text.lastIndexOf(':');
  const name = (colon === -1 ? text : text.slice(0, colon)).trim();
  const unit = colon === -1 ? 'auto' : text.slice(colon + 1).trim();
  if (!HEADER_NAME.test(name)) {
    throw new UsageError(`--timestamp-header expects a header name, optionally with ':s', ':ms' or ':us'; got '${text}'`, { code: 'ERR_BAD_TIMESTAMP_HEADER' });
  }
  const known = TIMESTAMP_UNITS.find((u) => u === unit);
  if (known === undefined) {
    throw new UsageError(`--timestamp-header '${text}': unit '${unit}' is not one of s, ms, us (or auto: from the value)`, {
      code: 'ERR_BAD_TIMESTAMP_HEADER',
    });
  }
  return { names: [name], unit: known };
}

export function parseMinDuration(text: string, flag: string, minMs: number): number {
  const ms = parseDuration(text, flag);
  if (ms < minMs) throw new UsageError(`${flag} must be ${minMs === 1 ? 'above 0' : `at least ${minMs}ms`}; got '${text}'`);
  return ms;
}

/** `user:password` (the password may hold colons); the error never repeats it. */
function parseCameraAuth(text: string, what: string): { username: string; password: string } {
  const colon = text.indexOf(':');
  if (colon <= 0) throw new UsageError(`${what} expects user:password (the value is not shown: it is a secret)`, { code: 'ERR_BAD_CAMERA_AUTH' });
  return { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

/** Checks the shared flags once, at the edge; `env` supplies CAMERA_API_TOKEN so secrets stay out of argv. */
export function resolveEngineOptions(flags: EngineFlags, env: NodeJS.ProcessEnv, apiUrlGiven: boolean): EngineOptions {
  const headers: Record<string, string> = {};
  const token = env.CAMERA_API_TOKEN?.trim();
  if (token && NOT_FIELD_VALUE.test(token))
    throw new UsageError('CAMERA_API_TOKEN holds a control character (CR, LF, ...) or a character beyond Latin-1', { code: 'ERR_BAD_HEADER' });
  if (token) headers.authorization = `Bearer ${token}`;
  for (const text of flags.header) {
    const [name, value] = parseHeader(text);
    headers[name] = value;
  }

  const sources = [apiUrlGiven, flags.camerasFile !== undefined, flags.url.length > 0, flags.simulate !== undefined].filter(Boolean);
  if (sources.length > 1) throw new UsageError('choose one camera source: --api-url, --cameras-file, --url or --simulate', { code: 'ERR_SOURCE_CONFLICT' });
  let source: CameraSource;
  if (flags.simulate !== undefined) {
    const cameras = flags.simulate === true ? DEFAULTS.simulatedCameras : parseInteger(flags.simulate, '--simulate', 1, 10_000);
    source = { kind: 'simulate', cameras, args: [] };
  } else if (flags.camerasFile !== undefined) {
    source = { kind: 'file', path: flags.camerasFile };
  } else if (flags.url.length > 0) {
    source = { kind: 'urls', urls: flags.url.map((url) => httpUrl(url, '--url')) };
  } else {
    source = { kind: 'api', apiUrl: httpUrl(flags.apiUrl, '--api-url') };
  }

  const cameraAuth = flags.cameraAuth ?? env.CAMERA_AUTH;
  return {
    source,
    headers,
    insecure: flags.insecure === true,
    ...defined({ ca: flags.ca }),
    // The simulated fleet is on 127.0.0.1, which the environment's proxy cannot reach: only --proxy applies to it.
    proxy: resolveProxy(flags.proxy, source.kind === 'simulate' ? {} : env),
    ...(cameraAuth ? { cameraAuth: parseCameraAuth(cameraAuth, flags.cameraAuth === undefined ? 'CAMERA_AUTH' : '--camera-auth') } : {}),
    streamsPerCamera: parseInteger(flags.streamsPerCamera, '--streams-per-camera', 1, 10_000),
    stallTimeoutMs: parseMinDuration(flags.stallTimeout, '--stall-timeout', 100),
    freezeTimeoutMs: parseMinDuration(flags.freezeTimeout, '--freeze-timeout', 1),
    timestampHeaders: flags.timestampHeader === undefined ? DEFAULT_TIMESTAMP_HEADERS : parseTimestampHeader(flags.timestampHeader),
    backoffMaxMs: parseMinDuration(flags.backoffMax, '--backoff-max', 1),
    intervalMs: parseMinDuration(flags.interval, '--interval', 100),
    connectConcurrency: parseInteger(flags.connectConcurrency, '--connect-concurrency', 1, 100_000),
    apiTimeoutMs: parseMinDuration(flags.apiTimeout, '--api-timeout', 1),
    saturationCpuPercent: parseInteger(flags.saturationCpu, '--saturation-cpu', 0, 100),
    ...defined({ output: flags.output, html: flags.html, log: flags.log }),
    quiet: flags.quiet === true,
  };
}
