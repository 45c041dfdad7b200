import { UsageError } from '../errors.js';
import { redactUrl } from '../text/redact.js';

// Which proxy a request goes through, decided as curl and undici's EnvHttpProxyAgent decide it, so that the
// report can say which hosts went through it.

/** The proxies of a run: none, the environment's (HTTP_PROXY, HTTPS_PROXY, NO_PROXY) or the one --proxy names. */
export interface ProxySettings {
  /** For http:// URLs; null: straight to the server. */
  http: string | null;
  /** For https:// URLs (a CONNECT tunnel through the proxy). */
  https: string | null;
  /** NO_PROXY as given: host names, domains (.example.com, *.example.com), host:port, `*`. */
  noProxy: string;
  from: '--proxy' | 'environment' | 'none';
}

export const NO_PROXY_SETTINGS: ProxySettings = { http: null, https: null, noProxy: '', from: 'none' };

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };

function proxyUrl(text: string, what: string): string {
  let url: URL;
  try {
    // curl takes a bare host:port as an http proxy.
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`);
  } catch {
    throw new UsageError(`${what} expects a proxy URL such as http://proxy:3128; got '${redactUrl(text)}'`, { code: 'ERR_BAD_PROXY' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`${what}: camera-load speaks to http:// and https:// proxies; got '${redactUrl(text)}'`, { code: 'ERR_BAD_PROXY' });
  }
  return url.toString();
}

/**
 * `--proxy URL` for every request, else the environment as curl reads it (the lowercase name first). NO_PROXY
 * applies to both. `--proxy ''` (or none) ignores the environment.
 */
export function resolveProxy(flag: string | undefined, env: Readonly<Record<string, string | undefined>>): ProxySettings {
  const noProxy = (env.no_proxy ?? env.NO_PROXY ?? '').trim();
  if (flag !== undefined) {
    if (flag.trim() === '') return NO_PROXY_SETTINGS;
    const proxy = proxyUrl(flag.trim(), '--proxy');
    return { http: proxy, https: proxy, noProxy, from: '--proxy' };
  }
  const pick = (lower: string, upper: string): string | null => {
    const value = (env[lower] ?? env[upper])?.trim();
    return value ? proxyUrl(value, env[lower] === undefined ? upper : lower) : null;
  };
  const http = pick('http_proxy', 'HTTP_PROXY');
  const https = pick('https_proxy', 'HTTPS_PROXY') ?? http;
  if (http === null && https === null) return NO_PROXY_SETTINGS;
  return { http, https, noProxy, from: 'environment' };
}

interface NoProxyEntry {
  host: string;
  port: number;
}

function noProxyEntries(noProxy: string): NoProxyEntry[] {
  return noProxy
    .split(/[,\s]/)
    .filter((entry) => entry !== '')
    .map((entry) => {
      const withPort = /^(.+):(\d+)$/.exec(entry);
      return {
        host: (withPort?.[1] ?? entry)
          .replace(/^\*?\./, '')
          .replace(/^\[(.*)\]$/, '$1')
          .toLowerCase(),
        port: withPort ? Number(withPort[2]) : 0,
      };
    });
}

/** The proxy `url` goes through, or null for a direct connection. */
export function proxyFor(url: string, settings: ProxySettings): string | null {
  // No proxy at all (the usual case): no URL to parse, once per stream at the start of a run.
  if (settings.http === null && settings.https === null) return null;
  const target = new URL(url);
  const proxy = target.protocol === 'https:' ? settings.https : settings.http;
  if (proxy === null) return null;
  if (settings.noProxy === '*') return null;
  const host = target.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  const port = target.port === '' ? (DEFAULT_PORTS[target.protocol] ?? 0) : Number(target.port);
  for (const entry of noProxyEntries(settings.noProxy)) {
    if (entry.port !== 0 && entry.port !== port) continue;
    if (host === entry.host || host.endsWith(`.${entry.host}`)) return null;
  }
  return proxy;
}

/** What the report's config says: the proxies (credentials redacted) and which of the run's hosts used them. */
export function describeProxy(settings: ProxySettings, urls: readonly string[]): Record<string, unknown> | null {
  if (settings.from === 'none') return null;
  const proxied = new Set<string>();
  const direct = new Set<string>();
  for (const url of urls) (proxyFor(url, settings) === null ? direct : proxied).add(new URL(url).host);
  return {
    from: settings.from,
    http: settings.http === null ? null : redactUrl(settings.http),
    https: settings.https === null ? null : redactUrl(settings.https),
    noProxy: settings.noProxy,
    proxiedHosts: [...proxied].sort(),
    directHosts: [...direct].sort(),
  };
}
