import { request, type Dispatcher } from 'undici';
import type { EventEmitter } from 'node:events';
import type { CameraAuth } from './http-auth.js';
import type { StreamTarget } from './stream-target.js';

type Response = Dispatcher.ResponseData;

/** Reads and drops a body we do not want (bounded by undici's dump limit), so the connection ends cleanly. */
export async function discard(body: Dispatcher.ResponseData['body']): Promise<void> {
  await body.dump({ limit: 64 * 1024 }).catch(() => undefined);
}

/**
 * The request, answering the camera's 401 challenge when the stream has credentials: at most one answer per
 * attempt (two when the nonce was stale), so a wrong password is one HTTP_401 and a backoff, never a storm.
 */
export async function requestStream(
  { url, headers }: StreamTarget,
  dispatcher: Dispatcher,
  auth: CameraAuth | undefined,
  signal: EventEmitter,
  /** How much of the body undici holds unread before it stops reading the socket (default 64 KiB). */
  highWaterMark?: number,
): Promise<{ response: Response; refused?: string }> {
  const send = (authorization: string | undefined): Promise<Response> =>
    request(url, {
      dispatcher,
      headers: authorization === undefined ? headers : { ...headers, authorization },
      signal,
      ...(highWaterMark === undefined ? {} : { highWaterMark }),
    });
  if (!auth) return { response: await send(undefined) };
  const target = new URL(url);
  const attempt = auth.attempt({ method: 'GET', uri: `${target.pathname}${target.search}` });
  let authorization = attempt.first;
  // Bounded by the attempt's rule: three requests at most.
  for (;;) {
    const response = await send(authorization);
    if (response.statusCode !== 401) {
      if (response.statusCode >= 200 && response.statusCode <= 299) attempt.succeeded();
      return { response };
    }
    const step = attempt.unauthorized(response.headers['www-authenticate']);
    if ('refused' in step) return { response, refused: step.refused };
    // Read to the end, so that the answer goes out on the same kept-alive connection, as a camera expects.
    await discard(response.body);
    authorization = step.retry;
  }
}
