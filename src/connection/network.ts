import { readFile } from 'node:fs/promises';
import { rootCertificates } from 'node:tls';
import { Agent, buildConnector, Client, EnvHttpProxyAgent, type Dispatcher } from 'undici';
import { pacedConnector } from './paced-socket.js';
import type { Pausable } from './viewer-pacing.js';
import { UsageError } from '../errors.js';
import { NO_PROXY_SETTINGS, type ProxySettings } from '../options/proxy.js';

/** How camera-load reaches a server: the proxies, and which certificates it trusts. Shared by the API and the streams. */
export interface Network {
  proxy: ProxySettings;
  insecure: boolean;
  /** PEM certificates trusted besides the system's (--ca); empty: the system's alone. */
  extraCa: readonly string[];
}

/** No proxy, the system's certificates, verified. */
export const DIRECT: Network = { proxy: NO_PROXY_SETTINGS, insecure: false, extraCa: [] };

/** undici's own connect timeout when none is given. */
const CONNECT_TIMEOUT_MS = 10_000;

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The certificates of a --ca file: a usage error (exit 2, before anything runs) when it holds none. */
export async function readCaFile(path: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--ca ${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`, { cause: error, code: 'ERR_BAD_CA' });
  }
  const certificates = text.match(PEM_CERTIFICATE) ?? [];
  if (certificates.length === 0) throw new UsageError(`--ca ${path}: holds no PEM certificate (-----BEGIN CERTIFICATE-----)`, { code: 'ERR_BAD_CA' });
  return certificates;
}

/**
 * One dispatcher for a network: undici's Agent, or its EnvHttpProxyAgent given the settings explicitly (it would
 * otherwise read process.env itself). http:// goes through the proxy as a plain forwarded request, as curl sends
 * it; https:// through a CONNECT tunnel. `tuning` is the caller's Agent options (timeouts, pipelining);
 * `socketHighWaterMark`, how much each socket reads ahead of undici.
 */
export function createDispatcher(network: Network, tuning: Agent.Options = {}, socketHighWaterMark?: number): Dispatcher {
  const trust = trustOf(network);
  // How much a socket reads ahead of undici (undici's default 64 KiB when not given).
  const connect = socketHighWaterMark === undefined ? trust : { ...trust, highWaterMark: socketHighWaterMark };
  const { proxy } = network;
  if (proxy.http === null && proxy.https === null) return new Agent({ ...tuning, connect });
  return new EnvHttpProxyAgent({
    ...tuning,
    connect,
    requestTls: trust,
    proxyTls: trust,
    // Empty strings, not undefined: undefined would make undici fall back to process.env.
    httpProxy: proxy.http ?? '',
    httpsProxy: proxy.https ?? '',
    noProxy: proxy.noProxy,
    proxyTunnel: false,
  });
}

/** `ca` replaces the system's roots rather than adding to them: both are given. */
function trustOf(network: Network): { rejectUnauthorized: boolean; ca?: string[] } {
  return { rejectUnauthorized: !network.insecure, ...(network.extraCa.length > 0 ? { ca: [...rootCertificates, ...network.extraCa] } : {}) };
}

/**
 * A paced viewer's own dispatcher, one connection to its camera at a time: a Client, as an Agent's pool keeps a queue
 * of 2,048 slots per origin (16 KB a viewer). Its plain-HTTP connections are PacedSockets whose gates go to `connected`
 * (paced-socket.ts). Through a proxy, createDispatcher's, and the pacing holds the response body.
 */
export function createPacedDispatcher(
  network: Network,
  origin: string,
  tuning: Pick<Client.Options, 'pipelining' | 'headersTimeout' | 'bodyTimeout' | 'connectTimeout'>,
  socketHighWaterMark: number,
  connected: (gate: Pausable | undefined) => void,
): Dispatcher {
  if (network.proxy.http !== null || network.proxy.https !== null) return createDispatcher(network, { ...tuning, connections: null }, socketHighWaterMark);
  // A connector function takes no connect timeout from the client's options: it is given its own.
  const timeout = typeof tuning.connectTimeout === 'number' ? tuning.connectTimeout : CONNECT_TIMEOUT_MS;
  // Only https:// connections go through it, whose TLS sockets read 16 KiB ahead (undici sets it).
  const base = buildConnector({ ...trustOf(network), timeout });
  return new Client(origin, { ...tuning, connect: pacedConnector(base, timeout, connected) });
}
