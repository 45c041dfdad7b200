import { createHash } from 'node:crypto';
import type { Challenge } from './auth-challenges.js';

// RFC 7616 Digest: reading a camera's challenge and computing the answer. Pure apart from hashing.

export interface Credentials {
  readonly username: string;
  readonly password: string;
}

/** The request being authorized: `uri` is the request-target exactly as sent (path and query, e.g. `url.pathname + url.search`). */
export interface AuthRequest {
  readonly method: string;
  readonly uri: string;
}

interface Algorithm {
  /** As written in the answer: the challenge's spelling is echoed, since some cameras compare it verbatim. */
  readonly label: string;
  readonly hash: 'md5' | 'sha256' | 'sha512-256';
  readonly sess: boolean;
  /** Higher is preferred. */
  readonly strength: number;
}

const ALGORITHMS: ReadonlyMap<string, Omit<Algorithm, 'label'>> = new Map([
  ['md5', { hash: 'md5', sess: false, strength: 1 }],
  ['md5-sess', { hash: 'md5', sess: true, strength: 1 }],
  ['sha-256', { hash: 'sha256', sess: false, strength: 2 }],
  ['sha-256-sess', { hash: 'sha256', sess: true, strength: 2 }],
  ['sha-512-256', { hash: 'sha512-256', sess: false, strength: 3 }],
  ['sha-512-256-sess', { hash: 'sha512-256', sess: true, strength: 3 }],
]);

export interface Digest {
  readonly realm: string;
  readonly nonce: string;
  readonly opaque: string | undefined;
  readonly algorithm: Algorithm;
  /** Whether the challenge named its algorithm: if not, the answer does not either (RFC 2069 servers). */
  readonly algorithmGiven: boolean;
  /** 'auth', or undefined for an RFC 2069 challenge without qop. */
  readonly qop: 'auth' | undefined;
  readonly stale: boolean;
  readonly userhash: boolean;
  readonly utf8: boolean;
}

/** Text of a challenge that goes back in the answer: no control characters, nothing a header cannot carry. */
export const ECHOABLE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** At most 40 token characters of camera text, so a message names what the camera asked for and nothing more. */
export function shown(text: string): string {
  const clean = text.replace(/[^!#$%&'*+\-.^_`|~0-9A-Za-z]/g, '');
  return clean.length > 40 ? `${clean.slice(0, 40)}…` : clean;
}

/** A Digest challenge camera-load can answer, or why not. */
export function readDigest(challenge: Challenge): Digest | { why: string } {
  const p = challenge.params;
  const nonce = p.get('nonce');
  const realm = p.get('realm') ?? '';
  const opaque = p.get('opaque');
  if (nonce === undefined || nonce === '') return { why: 'sent a Digest challenge without a nonce' };
  if (![nonce, realm, opaque ?? ''].every((v) => ECHOABLE.test(v))) return { why: 'sent a malformed Digest challenge' };
  const algorithmText = p.get('algorithm');
  const known = ALGORITHMS.get((algorithmText ?? 'MD5').toLowerCase());
  if (!known) return { why: `asks for Digest algorithm ${shown(algorithmText ?? '')}, which camera-load does not support` };
  const qopText = p.get('qop');
  let qop: 'auth' | undefined;
  if (qopText !== undefined) {
    const offered = qopText.split(',').map((q) => q.trim().toLowerCase());
    if (!offered.includes('auth')) {
      // auth-int hashes the request body; camera-load could (a GET has none) but no camera needs it, and a
      // server that demands it alone is not a camera this tool was asked to load.
      return { why: `asks for Digest with qop=${offered.map(shown).join(',')} only, which camera-load does not support` };
    }
    qop = 'auth';
  }
  return {
    realm,
    nonce,
    opaque,
    algorithm: { label: algorithmText ?? 'MD5', ...known },
    algorithmGiven: algorithmText !== undefined,
    qop,
    stale: p.get('stale')?.toLowerCase() === 'true',
    userhash: p.get('userhash')?.toLowerCase() === 'true',
    utf8: p.get('charset')?.toLowerCase() === 'utf-8',
  };
}

/**
 * Header text is bytes: Node and undici decode header values as latin1, and write them back the same way, so
 * the realm and nonce hash as the bytes the camera sent. The user's own text hashes as UTF-8.
 */
const headerBytes = (text: string): Buffer => Buffer.from(text, 'latin1');
export const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');
const COLON = Buffer.from(':');

function hashHex(hash: Algorithm['hash'], parts: readonly Buffer[]): string {
  const h = createHash(hash);
  parts.forEach((part, i) => {
    if (i > 0) h.update(COLON);
    h.update(part);
  });
  return h.digest('hex');
}

/** quoted-string of RFC 9110 §5.6.4: backslash before `"` and `\`. */
const quote = (value: string): string => `"${value.replace(/["\\]/g, '\\$&')}"`;

/** A username sent as a plain quoted-string; anything else goes as `username*` (RFC 7616 §3.4, RFC 8187). */
const PLAIN_USERNAME = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
/** attr-char of RFC 8187 §3.2.1: what an ext-value keeps unencoded. */
const ATTR_CHAR = /[A-Za-z0-9!#$&+\-.^_`|~]/;

function extValue(text: string): string {
  let out = "UTF-8''";
  // Buffer.from turns a lone surrogate into U+FFFD instead of throwing, as encodeURIComponent would.
  for (const byte of utf8(text)) {
    const c = String.fromCharCode(byte);
    out += byte < 0x80 && ATTR_CHAR.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The Digest answer to `digest` for `request`, the nonce used for the `count`th time (RFC 7616 §3.4). */
export function digestHeader(credentials: Credentials, digest: Digest, request: AuthRequest, count: number, cnonce: () => string): string {
  const { hash, sess } = digest.algorithm;
  // RFC 7616 §4: with charset=UTF-8 the client sends Unicode Normalization Form C.
  const username = digest.utf8 ? credentials.username.normalize('NFC') : credentials.username;
  const password = digest.utf8 ? credentials.password.normalize('NFC') : credentials.password;
  const realm = headerBytes(digest.realm);
  const nonce = headerBytes(digest.nonce);
  const nc = count.toString(16).padStart(8, '0');
  // A fresh cnonce per answer, even for -sess: the session key is computed from the cnonce of the request it
  // is sent with, as curl, Python and the servers cameras run expect, rather than pinned to the first one.
  const clientNonce = digest.qop !== undefined || sess ? cnonce() : undefined;
  let ha1 = hashHex(hash, [utf8(username), realm, utf8(password)]);
  if (sess) ha1 = hashHex(hash, [Buffer.from(ha1), nonce, headerBytes(clientNonce ?? '')]);
  const ha2 = hashHex(hash, [headerBytes(request.method), headerBytes(request.uri)]);
  const response =
    digest.qop === undefined
      ? hashHex(hash, [Buffer.from(ha1), nonce, Buffer.from(ha2)])
      : hashHex(hash, [Buffer.from(ha1), nonce, Buffer.from(nc), headerBytes(clientNonce ?? ''), Buffer.from(digest.qop), Buffer.from(ha2)]);

  const params: string[] = [];
  if (digest.userhash) params.push(`username=${quote(hashHex(hash, [utf8(username), realm]))}`);
  else if (PLAIN_USERNAME.test(username)) params.push(`username=${quote(username)}`);
  else params.push(`username*=${extValue(username)}`);
  params.push(`realm=${quote(digest.realm)}`, `uri=${quote(request.uri)}`);
  if (digest.algorithmGiven) params.push(`algorithm=${digest.algorithm.label}`);
  params.push(`nonce=${quote(digest.nonce)}`);
  if (digest.qop !== undefined) params.push(`nc=${nc}`);
  if (clientNonce !== undefined) params.push(`cnonce=${quote(clientNonce)}`);
  if (digest.qop !== undefined) params.push(`qop=${digest.qop}`);
  params.push(`response=${quote(response)}`);
  if (digest.opaque !== undefined) params.push(`opaque=${quote(digest.opaque)}`);
  if (digest.userhash) params.push('userhash=true');
  return `Digest ${params.join(', ')}`;
}
