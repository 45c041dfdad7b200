import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jpegBytes } from '../fixtures/mjpeg-vectors.js';

// A camera that streams MJPEG only to clients that pass HTTP Basic or Digest authentication. Its checks are
// written here from RFC 7616 / RFC 7617, independently of src/connection/http-auth.ts, and proven against curl
// (test/integration/http-auth.test.ts), so it can judge our client rather than agree with it.

export type DigestAlgorithmName = 'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess';

export interface AuthCameraOptions {
  scheme: 'basic' | 'digest';
  username: string;
  password: string;
  /** Default `camera-load test camera`. */
  realm?: string;
  /** Digest challenges offered, one WWW-Authenticate line each, in this order. Default ['MD5']. */
  algorithms?: readonly DigestAlgorithmName[];
  /** 'auth' (default) or 'none' for an RFC 2069 challenge without qop. */
  qop?: 'auth' | 'none';
  /** Offer userhash=true (the client may then send H(username:realm)). */
  userhash?: boolean;
  /** Offer charset=UTF-8. */
  charset?: boolean;
  /** A nonce serves this many accepted requests; the next correct answer with it gets 401 stale=true. */
  nonceUses?: number;
  /** Refuse this many otherwise correct Digest answers with 401 stale=true, to force the stale path. */
  staleAnswers?: number;
  /** Raw challenges offered before ours (e.g. 'NTLM', 'Negotiate'); with `only`, nothing else is offered. */
  otherChallenges?: readonly string[];
  only?: boolean;
  /** Frames served to an authorized request before the response ends. Default 3. */
  frames?: number;
  /** Default 50. */
  fps?: number;
}

export interface AuthCameraCounts {
  requests: number;
  unauthorized: number;
  /** 401s that said stale=true. */
  stale: number;
  successes: number;
  framesSent: number;
  /** Why each 401 was sent: 'missing', 'bad-response', 'nc-not-increasing', 'stale', … */
  reasons: string[];
  /** The Authorization headers received, in order (undefined for none). */
  authorizations: (string | undefined)[];
}

export interface AuthCamera {
  url: string;
  /** The stream's path, the same for every request. */
  path: string;
  counts: AuthCameraCounts;
  close(): Promise<void>;
}

interface NonceRecord {
  opaque: string;
  /** Highest nc accepted with this nonce (0 before any). */
  lastNc: number;
  uses: number;
}

const PATH = '/axis-cgi/mjpg/video.cgi?resolution=640x480';
const FRAME = jpegBytes(1_200, 0x42);

const hashName = (algorithm: string): 'md5' | 'sha256' => (algorithm.toLowerCase().startsWith('sha-256') ? 'sha256' : 'md5');
const hex = (algorithm: string, text: string): string => createHash(hashName(algorithm)).update(text, 'utf8').digest('hex');

/** The server's own reading of `Digest k=v, k="v"`: quoted values with backslash escapes, names lower-cased. */
function readAuthorization(value: string): { scheme: string; rest: string; params: Map<string, string> } {
  const space = value.indexOf(' ');
  const scheme = (space === -1 ? value : value.slice(0, space)).toLowerCase();
  const rest = space === -1 ? '' : value.slice(space + 1).trim();
  const params = new Map<string, string>();
  const pattern = /\s*([^\s=,]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*(?:,|$)/gy;
  for (let m = pattern.exec(rest); m !== null && m[0] !== ''; m = pattern.exec(rest)) {
    const name = m[1]!.toLowerCase();
    if (!params.has(name)) params.set(name, m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? ''));
  }
  return { scheme, rest, params };
}

/** RFC 8187 ext-value `UTF-8''…` to text; undefined when it is not one. */
function extValue(value: string): string | undefined {
  const m = /^UTF-8'[^']*'(.*)$/i.exec(value);
  if (!m) return undefined;
  try {
    return decodeURIComponent(m[1]!);
  } catch {
    return undefined;
  }
}

const quoted = (value: string): string => `"${value.replace(/["\\]/g, '\\$&')}"`;

/** Starts the camera on 127.0.0.1 at a free port. */
export async function startAuthCamera(options: AuthCameraOptions): Promise<AuthCamera> {
  const realm = options.realm ?? 'camera-load test camera';
  const algorithms = options.algorithms ?? ['MD5'];
  const qop = options.qop ?? 'auth';
  const frames = options.frames ?? 3;
  const fps = options.fps ?? 50;
  let staleLeft = options.staleAnswers ?? 0;
  const nonces = new Map<string, NonceRecord>();
  const counts: AuthCameraCounts = { requests: 0, unauthorized: 0, stale: 0, successes: 0, framesSent: 0, reasons: [], authorizations: [] };
  const timers = new Set<NodeJS.Timeout>();

  const challenges = (stale: boolean): string[] => {
    const other = options.otherChallenges ?? [];
    if (options.only) return [...other];
    if (options.scheme === 'basic') return [...other, `Basic realm=${quoted(realm)}, charset="UTF-8"`];
    const nonce = randomBytes(18).toString('base64');
    const opaque = randomBytes(8).toString('hex');
    nonces.set(nonce, { opaque, lastNc: 0, uses: 0 });
    return [
      ...other,
      ...algorithms.map((algorithm) => {
        const params = [`realm=${quoted(realm)}`];
        if (qop === 'auth') params.push('qop="auth, auth-int"');
        params.push(`algorithm=${algorithm}`, `nonce=${quoted(nonce)}`, `opaque=${quoted(opaque)}`);
        if (options.charset) params.push('charset=UTF-8');
        if (options.userhash) params.push('userhash=true');
        if (stale) params.push('stale=true');
        return `Digest ${params.join(', ')}`;
      }),
    ];
  };

  const refuse = (res: ServerResponse, reason: string): void => {
    const stale = reason === 'stale';
    counts.unauthorized++;
    if (stale) counts.stale++;
    counts.reasons.push(reason);
    const body = 'authorization required\n';
    res.writeHead(401, { 'www-authenticate': challenges(stale), 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };

  /** Undefined when the Digest answer is right, else why not. */
  const checkDigest = (req: IncomingMessage, params: Map<string, string>): string | undefined => {
    const algorithm = params.get('algorithm') ?? 'MD5';
    if (!algorithms.some((a) => a.toLowerCase() === algorithm.toLowerCase())) return 'algorithm-not-offered';
    if (params.get('realm') !== realm) return 'wrong-realm';
    const nonce = params.get('nonce') ?? '';
    const record = nonces.get(nonce);
    if (!record) return 'unknown-nonce';
    if (params.get('opaque') !== record.opaque) return 'wrong-opaque';
    if (params.get('uri') !== req.url) return 'wrong-uri';

    let username: string | undefined;
    const given = params.get('username');
    const star = params.get('username*');
    if (params.get('userhash')?.toLowerCase() === 'true') {
      if (!options.userhash) return 'userhash-not-offered';
      if (given !== hex(algorithm, `${options.username}:${realm}`)) return 'wrong-username';
      username = options.username;
    } else if (star !== undefined) {
      if (given !== undefined) return 'username-and-username*';
      username = extValue(star);
    } else if (given !== undefined) {
      // Node reads header bytes as latin1; a raw UTF-8 username (what curl sends) is read back as UTF-8.
      username = Buffer.from(given, 'latin1').toString('utf8');
    }
    if (username !== options.username) return 'wrong-username';

    const cnonce = params.get('cnonce');
    const ncText = params.get('nc');
    let a1 = hex(algorithm, `${options.username}:${realm}:${options.password}`);
    if (algorithm.toLowerCase().endsWith('-sess')) {
      if (cnonce === undefined) return 'missing-cnonce';
      a1 = hex(algorithm, `${a1}:${nonce}:${cnonce}`);
    }
    const a2 = hex(algorithm, `${req.method ?? ''}:${req.url ?? ''}`);
    let expected: string;
    let nc = 0;
    if (qop === 'auth') {
      if (params.get('qop') !== 'auth') return 'wrong-qop';
      if (cnonce === undefined || ncText === undefined || !/^[0-9a-f]{8}$/i.test(ncText)) return 'missing-nc-or-cnonce';
      nc = Number.parseInt(ncText, 16);
      expected = hex(algorithm, `${a1}:${nonce}:${ncText}:${cnonce}:auth:${a2}`);
    } else {
      if (params.has('qop')) return 'qop-not-offered';
      expected = hex(algorithm, `${a1}:${nonce}:${a2}`);
    }
    if (params.get('response') !== expected) return 'bad-response';
    // The answer is right: only now can the nonce be called stale (RFC 7616 §3.3) or the nc a replay.
    if (staleLeft > 0) {
      staleLeft--;
      nonces.delete(nonce);
      return 'stale';
    }
    if (options.nonceUses !== undefined && record.uses >= options.nonceUses) {
      nonces.delete(nonce);
      return 'stale';
    }
    if (qop === 'auth' && nc <= record.lastNc) return 'nc-not-increasing';
    record.lastNc = nc;
    record.uses++;
    return undefined;
  };

  const check = (req: IncomingMessage): string | undefined => {
    const header = req.headers.authorization;
    if (header === undefined) return 'missing';
    const { scheme, rest, params } = readAuthorization(header);
    if (options.only) return 'unsupported-scheme';
    if (options.scheme === 'basic') {
      if (scheme !== 'basic') return 'wrong-scheme';
      return Buffer.from(rest, 'base64').toString('utf8') === `${options.username}:${options.password}` ? undefined : 'bad-credentials';
    }
    if (scheme !== 'digest') return 'wrong-scheme';
    return checkDigest(req, params);
  };

  const stream = (req: IncomingMessage, res: ServerResponse): void => {
    counts.successes++;
    res.writeHead(200, { 'content-type': 'multipart/x-mixed-replace; boundary=frame', 'cache-control': 'no-store' });
    let sent = 0;
    const timer = setInterval(() => {
      if (sent >= frames || res.destroyed) {
        clearInterval(timer);
        timers.delete(timer);
        res.end();
        return;
      }
      sent++;
      counts.framesSent++;
      res.write(Buffer.concat([Buffer.from(`--frame\r\nContent-Type: image/jpeg\r\nContent-Length: ${FRAME.length}\r\n\r\n`), FRAME, Buffer.from('\r\n')]));
    }, 1000 / fps);
    timers.add(timer);
    req.on('close', () => {
      clearInterval(timer);
      timers.delete(timer);
    });
  };

  const server = createServer((req, res) => {
    counts.requests++;
    counts.authorizations.push(req.headers.authorization);
    if (req.url !== PATH) {
      res.writeHead(404).end();
      return;
    }
    const why = check(req);
    if (why === undefined) stream(req, res);
    else refuse(res, why);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}${PATH}`,
    path: PATH,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearInterval(timer);
        timers.clear();
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
