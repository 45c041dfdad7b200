import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Agent, request } from 'undici';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CameraAuth } from '../../src/connection/http-auth.js';
import { startAuthCamera, type AuthCamera, type AuthCameraOptions, type DigestAlgorithmName } from '../helpers/auth-camera.js';

// The auth camera is first proven right by an independent client (curl), then judges our module, driven by a
// loop written the way the stream session will use it: one attempt, at most one answered challenge.

const run = promisify(execFile);
const USER = 'admin';
const PASS = 'pa:ss wörd';

const cameras: AuthCamera[] = [];
afterEach(async () => {
  for (const camera of cameras.splice(0)) await camera.close();
});

const dispatcher = new Agent({ connect: { timeout: 2_000 }, headersTimeout: 2_000, bodyTimeout: 2_000 });
afterAll(async () => {
  await dispatcher.close();
});

async function camera(options: Partial<AuthCameraOptions> & Pick<AuthCameraOptions, 'scheme'>): Promise<AuthCamera> {
  const started = await startAuthCamera({ username: USER, password: PASS, ...options });
  cameras.push(started);
  return started;
}

/** curl's status code for one request: async, since the camera runs in this process. */
async function curl(args: readonly string[], url: string): Promise<string> {
  const { stdout } = await run('/usr/bin/curl', [...args, '-s', '-o', '/dev/null', '-w', '%{http_code}', '--max-time', '2', url], { timeout: 5_000 });
  return stdout;
}

const FRAME_START = Buffer.from('--frame\r\n');

function countFrames(body: Buffer): number {
  let count = 0;
  for (let at = body.indexOf(FRAME_START); at !== -1 && count < 10_000; at = body.indexOf(FRAME_START, at + 1)) count++;
  return count;
}

interface AttemptResult {
  status: number;
  frames: number;
  requests: number;
  /** Why the attempt ended without the stream (what the caller reports under HTTP_401). */
  refused?: string;
}

/** One connection attempt as the stream session will make it. */
async function connectAttempt(auth: CameraAuth, url: string): Promise<AttemptResult> {
  const target = new URL(url);
  const attempt = auth.attempt({ method: 'GET', uri: `${target.pathname}${target.search}` });
  let authorization = attempt.first;
  // The rule allows three requests (first, answer, stale re-answer); a fourth would be a bug, and fails below.
  for (let requests = 1; requests <= 4; requests++) {
    const response = await request(url, { dispatcher, headers: authorization === undefined ? {} : { authorization } });
    if (response.statusCode === 401) {
      await response.body.dump();
      const step = attempt.unauthorized(response.headers['www-authenticate']);
      if ('refused' in step) return { status: 401, frames: 0, requests, refused: step.refused };
      authorization = step.retry;
      continue;
    }
    if (response.statusCode >= 200 && response.statusCode < 300) attempt.succeeded();
    const body = Buffer.from(await response.body.arrayBuffer());
    return { status: response.statusCode, frames: countFrames(body), requests };
  }
  throw new Error('more requests in one attempt than the one-answer rule allows');
}

const DIGEST_CONFIGS: [string, Partial<AuthCameraOptions>][] = [
  ['MD5', { algorithms: ['MD5'] }],
  ['SHA-256', { algorithms: ['SHA-256'] }],
  ['MD5 and SHA-256 offered', { algorithms: ['MD5', 'SHA-256'] }],
  ['MD5-sess', { algorithms: ['MD5-sess'] }],
  ['SHA-256-sess', { algorithms: ['SHA-256-sess'] }],
  ['SHA-256 with userhash', { algorithms: ['SHA-256'], userhash: true }],
  ['RFC 2069, no qop', { qop: 'none' }],
  ['a realm with quotes and a backslash', { realm: 'Cam "Lobby" \\ 1' }],
];

describe('the auth camera, checked with curl', () => {
  it.each(DIGEST_CONFIGS)('Digest %s: curl --digest gets the stream, a wrong password gets 401', async (_, options) => {
    const cam = await camera({ scheme: 'digest', ...options });
    expect(await curl(['--digest', '-u', `${USER}:${PASS}`], cam.url)).toBe('200');
    expect(cam.counts).toMatchObject({ requests: 2, unauthorized: 1, successes: 1, framesSent: 3 });
    expect(await curl(['--digest', '-u', `${USER}:wrong`], cam.url)).toBe('401');
    expect(cam.counts.reasons).toEqual(['missing', 'missing', 'bad-response']);
  });

  it('Basic: curl --basic gets the stream, a wrong password or no credentials get 401', async () => {
    const cam = await camera({ scheme: 'basic' });
    expect(await curl(['--basic', '-u', `${USER}:${PASS}`], cam.url)).toBe('200');
    expect(await curl(['--basic', '-u', `${USER}:wrong`], cam.url)).toBe('401');
    expect(await curl([], cam.url)).toBe('401');
    expect(cam.counts).toMatchObject({ requests: 3, unauthorized: 2, successes: 1, reasons: ['bad-credentials', 'missing'] });
  });

  it('refuses a replayed answer (same nonce, same nc) and one computed for another URI', async () => {
    const cam = await camera({ scheme: 'digest', algorithms: ['SHA-256'] });
    expect(await curl(['--digest', '-u', `${USER}:${PASS}`], cam.url)).toBe('200');
    const accepted = cam.counts.authorizations[1]!;
    const replay = await request(cam.url, { dispatcher, headers: { authorization: accepted } });
    await replay.body.dump();
    const otherUri = accepted.replace(/uri="[^"]*"/, 'uri="/axis-cgi/mjpg/video.cgi?resolution=320x240"');
    const elsewhere = await request(cam.url, { dispatcher, headers: { authorization: otherUri } });
    await elsewhere.body.dump();
    expect([replay.statusCode, elsewhere.statusCode]).toEqual([401, 401]);
    expect(cam.counts.reasons).toEqual(['missing', 'nc-not-increasing', 'wrong-uri']);
  });
});

describe('CameraAuth against the auth camera', () => {
  it.each(DIGEST_CONFIGS)('Digest %s: 401, one answer, then the frames', async (_, options) => {
    const cam = await camera({ scheme: 'digest', ...options });
    expect(await connectAttempt(new CameraAuth({ username: USER, password: PASS }), cam.url)).toEqual({ status: 200, frames: 3, requests: 2 });
    expect(cam.counts).toMatchObject({ requests: 2, unauthorized: 1, successes: 1, reasons: ['missing'] });
  });

  it('picks SHA-256 when the camera lists MD5 first', async () => {
    const cam = await camera({ scheme: 'digest', algorithms: ['MD5', 'SHA-256'] });
    await connectAttempt(new CameraAuth({ username: USER, password: PASS }), cam.url);
    expect(cam.counts.authorizations[1]).toContain('algorithm=SHA-256');
  });

  it('Basic: 401, one answer, then the frames', async () => {
    const cam = await camera({ scheme: 'basic' });
    expect(await connectAttempt(new CameraAuth({ username: USER, password: PASS }), cam.url)).toEqual({ status: 200, frames: 3, requests: 2 });
  });

  it('sends a non-ASCII username as username* (charset=UTF-8), or hashed when userhash is offered', async () => {
    for (const userhash of [false, true]) {
      const cam = await startAuthCamera({ scheme: 'digest', username: 'Jäsøn Doe', password: PASS, charset: true, userhash, algorithms: ['SHA-256'] });
      cameras.push(cam);
      expect(await connectAttempt(new CameraAuth({ username: 'Jäsøn Doe', password: PASS }), cam.url)).toMatchObject({ status: 200, frames: 3 });
      expect(cam.counts.authorizations[1]).toMatch(userhash ? /username="[0-9a-f]{64}"/ : /username\*=UTF-8''J%C3%A4s%C3%B8n%20Doe/);
    }
  });

  it('a wrong password costs two requests per attempt and ends as a refusal, with no secret in the message', async () => {
    const cam = await camera({ scheme: 'digest', algorithms: ['SHA-256'] });
    const auth = new CameraAuth({ username: USER, password: 'not-the-password' });
    for (let i = 0; i < 3; i++) {
      const result = await connectAttempt(auth, cam.url);
      expect(result).toEqual({ status: 401, frames: 0, requests: 2, refused: 'the camera refused the credentials (Digest answer met with HTTP 401)' });
    }
    expect(cam.counts).toMatchObject({ requests: 6, unauthorized: 6, successes: 0 });
    expect(cam.counts.reasons).toEqual(['missing', 'bad-response', 'missing', 'bad-response', 'missing', 'bad-response']);
  });

  it('a wrong Basic password: two requests and a refusal', async () => {
    const cam = await camera({ scheme: 'basic' });
    const result = await connectAttempt(new CameraAuth({ username: USER, password: 'nope' }), cam.url);
    expect(result).toEqual({ status: 401, frames: 0, requests: 2, refused: 'the camera refused the credentials (Basic answer met with HTTP 401)' });
  });

  it('answers a stale nonce once more and gets the stream', async () => {
    const cam = await camera({ scheme: 'digest', staleAnswers: 1 });
    expect(await connectAttempt(new CameraAuth({ username: USER, password: PASS }), cam.url)).toEqual({ status: 200, frames: 3, requests: 3 });
    expect(cam.counts).toMatchObject({ requests: 3, unauthorized: 2, stale: 1, successes: 1, reasons: ['missing', 'stale'] });
  });

  it('stops after one stale re-answer', async () => {
    const cam = await camera({ scheme: 'digest', staleAnswers: 5 });
    const result = await connectAttempt(new CameraAuth({ username: USER, password: PASS }), cam.url);
    expect(result).toMatchObject({ status: 401, requests: 3 });
    expect(cam.counts).toMatchObject({ requests: 3, stale: 2, successes: 0 });
  });

  it('a reconnection reuses the nonce with nc=2, accepted without a new challenge', async () => {
    const cam = await camera({ scheme: 'digest', algorithms: ['SHA-256'] });
    const auth = new CameraAuth({ username: USER, password: PASS });
    expect(await connectAttempt(auth, cam.url)).toEqual({ status: 200, frames: 3, requests: 2 });
    expect(await connectAttempt(auth, cam.url)).toEqual({ status: 200, frames: 3, requests: 1 });
    expect(await connectAttempt(auth, cam.url)).toEqual({ status: 200, frames: 3, requests: 1 });
    expect(cam.counts).toMatchObject({ requests: 4, unauthorized: 1, successes: 3 });
    const ncs = cam.counts.authorizations.slice(1).map((a) => /nc=(\w+)/.exec(a ?? '')?.[1]);
    expect(ncs).toEqual(['00000001', '00000002', '00000003']);
    const nonces = new Set(cam.counts.authorizations.slice(1).map((a) => /nonce="([^"]+)"/.exec(a ?? '')?.[1]));
    expect(nonces.size).toBe(1);
  });

  it('when the reused nonce has expired, answers the new challenge and carries on', async () => {
    const cam = await camera({ scheme: 'digest', algorithms: ['MD5'], nonceUses: 1 });
    const auth = new CameraAuth({ username: USER, password: PASS });
    expect(await connectAttempt(auth, cam.url)).toEqual({ status: 200, frames: 3, requests: 2 });
    expect(await connectAttempt(auth, cam.url)).toEqual({ status: 200, frames: 3, requests: 2 });
    expect(cam.counts).toMatchObject({ requests: 4, unauthorized: 2, stale: 1, successes: 2, reasons: ['missing', 'stale'] });
  });

  it('a Basic reconnection sends the header at once', async () => {
    const cam = await camera({ scheme: 'basic' });
    const auth = new CameraAuth({ username: USER, password: PASS });
    await connectAttempt(auth, cam.url);
    expect(await connectAttempt(auth, cam.url)).toEqual({ status: 200, frames: 3, requests: 1 });
  });

  it('names a scheme it does not speak, after one request', async () => {
    const cam = await camera({ scheme: 'digest', only: true, otherChallenges: ['NTLM', 'Negotiate'] });
    expect(await connectAttempt(new CameraAuth({ username: USER, password: PASS }), cam.url)).toEqual({
      status: 401,
      frames: 0,
      requests: 1,
      refused: 'asks for NTLM or Negotiate authentication, which camera-load does not speak',
    });
  });

  it('answers Digest when NTLM is offered first', async () => {
    const cam = await camera({ scheme: 'digest', otherChallenges: ['NTLM'], algorithms: ['SHA-256-sess'] satisfies DigestAlgorithmName[] });
    expect(await connectAttempt(new CameraAuth({ username: USER, password: PASS }), cam.url)).toMatchObject({ status: 200, frames: 3 });
  });
});
