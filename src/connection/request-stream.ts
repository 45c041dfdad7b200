import type { Dispatcher } from 'undici';
import type { AuthAttempt, CameraAuth } from './http-auth.js';
import type { StreamTarget } from './stream-target.js';

/**
 * How much of a body that is not read (a 401 about to be answered, an answer that is no stream) is drained, so that
 * the connection ends cleanly, before the connection is dropped instead: undici's body.dump() limit.
 */
export const DISCARD_LIMIT = 64 * 1024;

type Headers = Dispatcher.ResponseData['headers'];

/** The request for `target` as undici's dispatch() takes it: GET its URL, as request() would send it. */
export function streamRequest(target: StreamTarget, authorization: string | undefined): Dispatcher.DispatchOptions {
  const url = new URL(target.url);
  const { headers } = target;
  return {
    origin: url.origin,
    path: url.search ? `${url.pathname}${url.search}` : url.pathname,
    method: 'GET',
    headers: authorization === undefined ? headers : { ...headers, authorization },
  };
}

/** A body declared longer than the drain limit is dropped at once, as body.dump() does. */
export function tooLongToDrain(headers: Headers): boolean {
  const length = Number(headers['content-length']);
  return length > DISCARD_LIMIT;
}

/**
 * One connection attempt's requests for a stream with credentials, answering its camera's 401 challenge: at most one
 * answer per attempt (two when the nonce was stale), so a wrong password is one HTTP_401 and a backoff, never a storm.
 * Each 401 answered is read to its end first, so that the answer goes out on the same kept-alive connection, as a
 * camera expects.
 */
export class AuthRounds {
  private readonly attempt: AuthAttempt;
  /** The Authorization header for the next request; undefined: none. */
  authorization: string | undefined;

  constructor(auth: CameraAuth, target: StreamTarget) {
    const url = new URL(target.url);
    this.attempt = auth.attempt({ method: 'GET', uri: `${url.pathname}${url.search}` });
    this.authorization = this.attempt.first;
  }

  /** A response came: a 401 to answer with the request again (`retry`), or the answer, with why a 401 was refused. */
  answered(statusCode: number, headers: Headers): { retry: true } | { retry: false; refused: string | undefined } {
    if (statusCode !== 401) {
      if (statusCode >= 200 && statusCode <= 299) this.attempt.succeeded();
      return { retry: false, refused: undefined };
    }
    const step = this.attempt.unauthorized(headers['www-authenticate']);
    if ('refused' in step) return { retry: false, refused: step.refused };
    this.authorization = step.retry;
    return { retry: true };
  }
}
