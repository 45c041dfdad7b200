import { randomBytes } from 'node:crypto';
import { parseChallenges, type Challenge } from './auth-challenges.js';
import { digestHeader, ECHOABLE, readDigest, shown, utf8, type AuthRequest, type Credentials, type Digest } from './digest.js';

export { parseChallenges, type Challenge } from './auth-challenges.js';
export type { AuthRequest, Credentials } from './digest.js';

// HTTP authentication for cameras that answer 401 (RFC 7235 challenges, RFC 7617 Basic, RFC 7616 Digest).
// Pure apart from hashing and the default cnonce. Nothing here throws, and nothing it returns holds the
// credentials except the Authorization header itself: a camera's 401 becomes a message the report can show.

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
    return digestHeader(this.#credentials, digest, request, count, this.#cnonce);
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
