import { createHash, randomBytes } from 'node:crypto';
import { parseChallenges, type Challenge } from './auth-challenges.js';

export { parseChallenges, type Challenge } from './auth-challenges.js';

// HTTP authentication for cameras that answer 401 (RFC 7235 challenges, RFC 7617 Basic, RFC 7616 Digest).
// Pure apart from hashing and the default cnonce. Nothing here throws, and nothing it returns holds the
// credentials except the Authorization header itself: a camera's 401 becomes a message the report can show.

export interface Credentials {
  readonly username: string;
  readonly password: string;
}

/** The request being authorized: `uri` is the request-target exactly as sent (path and query, e.g. `url.pathname + url.search`). */
export interface AuthRequest {
  readonly method: string;
  readonly uri: string;
}

/**
 * What `answer` chose. `stale` says the camera only refused an expired nonce (RFC 7616 §3.3): the credentials
 * were right, so answering this once more is not guessing a password.
 */
export type AuthAnswer = { readonly header: string; readonly scheme: 'basic' | 'digest'; readonly stale: boolean } | { readonly unsupported: string };

/** What a connection attempt does after a 401: send the request again with this header, or give up. */
export type AuthStep = { readonly retry: string } | { readonly refused: string };

export interface CameraAuthOptions {
  /** The client nonce, fresh for every Digest answer; tests pass fixed values (RFC 7616 §3.9.1 uses one). */
  cnonce?: () => string;
}

// ---------------------------------------------------------------------------------------------------------------
// RFC 7616 Digest.

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

interface Digest {
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
const ECHOABLE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** At most 40 token characters of camera text, so a message names what the camera asked for and nothing more. */
function shown(text: string): string {
  const clean = text.replace(/[^!#$%&'*+\-.^_`|~0-9A-Za-z]/g, '');
  return clean.length > 40 ? `${clean.slice(0, 40)}…` : clean;
}

/** A Digest challenge camera-load can answer, or why not. */
function readDigest(challenge: Challenge): Digest | { why: string } {
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
const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');
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

const defaultCnonce = (): string => randomBytes(16).toString('hex');

function basicHeader(credentials: Credentials): string {
  return `Basic ${utf8(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

/** Why nothing offered can be answered, naming the schemes (tokens, so safe to show) and never the credentials. */
function unsupportedMessage(challenges: readonly Challenge[], digestWhy: string | undefined): string {
  if (digestWhy !== undefined) return digestWhy;
  if (challenges.length === 0) return 'answered 401 without a WWW-Authenticate challenge';
  const names = [...new Set(challenges.map((c) => shown(c.name)))];
  const listed = names.length > 4 ? `${names.slice(0, 4).join(', ')}, …` : names.join(' or ');
  return `asks for ${listed} authentication, which camera-load does not speak`;
}

/** What a later connection may send before any challenge: the scheme that worked last. */
type Reusable = { readonly kind: 'basic' } | { readonly kind: 'digest'; readonly digest: Digest };

/**
 * The authentication state of one stream: the credentials, the nonce in use and its count. One instance per
 * stream, used by one connection attempt at a time.
 *
 * The rule that keeps a wrong password from becoming a storm of requests: a connection attempt answers at most
 * ONE challenge. If that answer is refused with another 401 the credentials are wrong, and the attempt ends as
 * HTTP_401 and backs off like any failure, unless the refusal says `stale=true` (the nonce expired, the
 * password was right): then it answers once more. `attempt()` applies the rule; `answer()` gives what it needs.
 */
export class CameraAuth {
  readonly #credentials: Credentials;
  readonly #cnonce: () => string;
  /** The nonce last answered and the nc last sent with it (RFC 7616 §3.4: nc counts uses of one nonce). */
  #nonce: { value: string; count: number } | undefined;
  /** What the last answer used; becomes `#reusable` once a camera accepted it. */
  #pending: Reusable | undefined;
  #reusable: Reusable | undefined;

  constructor(credentials: Credentials, options: CameraAuthOptions = {}) {
    this.#credentials = credentials;
    this.#cnonce = options.cnonce ?? defaultCnonce;
  }

  /**
   * The Authorization header answering `challenges`: Digest before Basic, and among Digest challenges the
   * strongest algorithm (SHA-512-256, SHA-256, then MD5; the camera's order among equals). RFC 7616 §3.7 lets
   * the client take the first the server lists, but a camera that offers several can check any of them, and
   * older firmware lists MD5 first. When no Digest challenge is usable, Basic is used if offered.
   */
  answer(challenges: readonly Challenge[], request: AuthRequest): AuthAnswer {
    let best: Digest | undefined;
    let digestWhy: string | undefined;
    for (const challenge of challenges) {
      if (challenge.scheme !== 'digest') continue;
      const digest = readDigest(challenge);
      if ('why' in digest) digestWhy ??= digest.why;
      else if (!best || digest.algorithm.strength > best.algorithm.strength) best = digest;
    }
    if (best) {
      if (!ECHOABLE.test(request.uri)) return { unsupported: 'the stream URL cannot be sent in a Digest answer' };
      const header = this.#digestHeader(best, request, best.nonce === this.#nonce?.value ? this.#nonce.count + 1 : 1);
      this.#pending = { kind: 'digest', digest: best };
      return { header, scheme: 'digest', stale: best.stale };
    }
    if (challenges.some((c) => c.scheme === 'basic')) {
      this.#pending = { kind: 'basic' };
      return { header: basicHeader(this.#credentials), scheme: 'basic', stale: false };
    }
    return { unsupported: unsupportedMessage(challenges, digestWhy) };
  }

  /** The camera accepted the last answer (2xx): later connections may send it before being asked. */
  accepted(): void {
    this.#reusable = this.#pending ?? this.#reusable;
  }

  /** A header sent before being asked was refused: later connections start without one. */
  forgetReusable(): void {
    this.#reusable = undefined;
  }

  /**
   * The header for a new connection before any 401: after an accepted Digest answer the same nonce with the
   * next nc and a fresh cnonce (cameras accept this, and it saves a round trip per reconnection); after Basic,
   * Basic again. Undefined until an answer was accepted.
   */
  preemptive(request: AuthRequest): string | undefined {
    const reusable = this.#reusable;
    if (!reusable) return undefined;
    if (reusable.kind === 'basic') return basicHeader(this.#credentials);
    if (!ECHOABLE.test(request.uri)) return undefined;
    const count = reusable.digest.nonce === this.#nonce?.value ? this.#nonce.count + 1 : 1;
    return this.#digestHeader(reusable.digest, request, count);
  }

  /** One connection attempt's handling of 401s, with the one-answer rule built in. */
  attempt(request: AuthRequest): AuthAttempt {
    return new AuthAttempt(this, request);
  }

  #digestHeader(digest: Digest, request: AuthRequest, count: number): string {
    this.#nonce = { value: digest.nonce, count };
    const { hash, sess } = digest.algorithm;
    // RFC 7616 §4: with charset=UTF-8 the client sends Unicode Normalization Form C.
    const username = digest.utf8 ? this.#credentials.username.normalize('NFC') : this.#credentials.username;
    const password = digest.utf8 ? this.#credentials.password.normalize('NFC') : this.#credentials.password;
    const realm = headerBytes(digest.realm);
    const nonce = headerBytes(digest.nonce);
    const nc = count.toString(16).padStart(8, '0');
    // A fresh cnonce per answer, even for -sess: the session key is computed from the cnonce of the request it
    // is sent with, as curl, Python and the servers cameras run expect, rather than pinned to the first one.
    const cnonce = digest.qop !== undefined || sess ? this.#cnonce() : undefined;
    let ha1 = hashHex(hash, [utf8(username), realm, utf8(password)]);
    if (sess) ha1 = hashHex(hash, [Buffer.from(ha1), nonce, headerBytes(cnonce ?? '')]);
    const ha2 = hashHex(hash, [headerBytes(request.method), headerBytes(request.uri)]);
    const response =
      digest.qop === undefined
        ? hashHex(hash, [Buffer.from(ha1), nonce, Buffer.from(ha2)])
        : hashHex(hash, [Buffer.from(ha1), nonce, Buffer.from(nc), headerBytes(cnonce ?? ''), Buffer.from(digest.qop), Buffer.from(ha2)]);

    const params: string[] = [];
    if (digest.userhash) params.push(`username=${quote(hashHex(hash, [utf8(username), realm]))}`);
    else if (PLAIN_USERNAME.test(username)) params.push(`username=${quote(username)}`);
    else params.push(`username*=${extValue(username)}`);
    params.push(`realm=${quote(digest.realm)}`, `uri=${quote(request.uri)}`);
    if (digest.algorithmGiven) params.push(`algorithm=${digest.algorithm.label}`);
    params.push(`nonce=${quote(digest.nonce)}`);
    if (digest.qop !== undefined) params.push(`nc=${nc}`);
    if (cnonce !== undefined) params.push(`cnonce=${quote(cnonce)}`);
    if (digest.qop !== undefined) params.push(`qop=${digest.qop}`);
    params.push(`response=${quote(response)}`);
    if (digest.opaque !== undefined) params.push(`opaque=${quote(digest.opaque)}`);
    if (digest.userhash) params.push('userhash=true');
    return `Digest ${params.join(', ')}`;
  }
}

/**
 * One connection attempt: `first` goes on its first request; after each 401, `unauthorized` says whether to
 * send the request again (with which header) or to end the attempt as HTTP_401 with a message for the report.
 * At most three requests per attempt: the first, one answer, and one more answer only if that was stale.
 */
export class AuthAttempt {
  /** The Authorization header for the attempt's first request, or undefined to send none. */
  readonly first: string | undefined;
  readonly #auth: CameraAuth;
  readonly #request: AuthRequest;
  #answered = false;
  #staleAnswered = false;
  #scheme: 'basic' | 'digest' | undefined;

  constructor(auth: CameraAuth, request: AuthRequest) {
    this.#auth = auth;
    this.#request = request;
    this.first = auth.preemptive(request);
  }

  /** After a 401: the WWW-Authenticate header value(s) as received. */
  unauthorized(wwwAuthenticate: string | readonly string[] | undefined): AuthStep {
    const challenges = parseChallenges(wwwAuthenticate);
    if (!this.#answered) {
      // A refused preemptive header proves nothing about the password: the nonce may simply have expired.
      if (this.first !== undefined) this.#auth.forgetReusable();
      return this.#respond(challenges);
    }
    const stale = this.#scheme === 'digest' && challenges.some((c) => c.scheme === 'digest' && c.params.get('stale')?.toLowerCase() === 'true');
    if (stale && !this.#staleAnswered) {
      this.#staleAnswered = true;
      return this.#respond(challenges);
    }
    return { refused: `the camera refused the credentials (${this.#scheme === 'digest' ? 'Digest' : 'Basic'} answer met with HTTP 401)` };
  }

  /** The response was 2xx: a Digest nonce or Basic header can be reused by the next connection. */
  succeeded(): void {
    if (this.#answered || this.first !== undefined) this.#auth.accepted();
  }

  #respond(challenges: readonly Challenge[]): AuthStep {
    this.#answered = true;
    const answer = this.#auth.answer(challenges, this.#request);
    if ('unsupported' in answer) return { refused: answer.unsupported };
    this.#scheme = answer.scheme;
    return { retry: answer.header };
  }
}
