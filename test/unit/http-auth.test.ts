import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CameraAuth, parseChallenges, type AuthAnswer, type Challenge, type Credentials } from '../../src/connection/http-auth.js';

const MUFASA: Credentials = { username: 'Mufasa', password: 'Circle of Life' };
const GET_INDEX = { method: 'GET', uri: '/dir/index.html' };
const RFC7616_CNONCE = 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ';
const RFC7616_NONCE = '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v';
const RFC7616_OPAQUE = 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS';

/** RFC 7616 §3.9.1's challenge for one algorithm. */
const rfc7616Challenge = (algorithm: string): string =>
  `Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=${algorithm}, nonce="${RFC7616_NONCE}", opaque="${RFC7616_OPAQUE}"`;

/** cnonces c1, c2, … so answers are predictable and visibly fresh each time. */
function counting(prefix = 'c'): () => string {
  let n = 0;
  return () => `${prefix}${++n}`;
}

function header(answer: AuthAnswer): string {
  if ('unsupported' in answer) throw new Error(`unsupported: ${answer.unsupported}`);
  return answer.header;
}

/** The params of an Authorization header, read with a regex independent of the module's parser. */
function authParams(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of value.replace(/^\S+\s+/, '').matchAll(/([\w*-]+)=("((?:[^"\\]|\\.)*)"|[^,\s]*)/g)) {
    out[m[1]!] = m[3] !== undefined ? m[3].replace(/\\(.)/g, '$1') : m[2]!;
  }
  return out;
}

const simple = (c: Challenge): { scheme: string; params: Record<string, string>; token68?: string } => ({
  scheme: c.scheme,
  params: Object.fromEntries(c.params),
  ...(c.token68 !== undefined ? { token68: c.token68 } : {}),
});

describe('parseChallenges', () => {
  it('reads the RFC 7235 §4.1 example: two challenges on one line, an escaped quote inside a quoted string', () => {
    const parsed = parseChallenges('Newauth realm="apps", type=1, title="Login to \\"apps\\"", Basic realm="simple"');
    expect(parsed.map(simple)).toEqual([
      { scheme: 'newauth', params: { realm: 'apps', type: '1', title: 'Login to "apps"' } },
      { scheme: 'basic', params: { realm: 'simple' } },
    ]);
    expect(parsed[0]!.name).toBe('Newauth');
  });

  it('reads several header lines, in order', () => {
    const parsed = parseChallenges(['Digest realm="r", nonce="n1", algorithm=SHA-256', 'Digest realm="r", nonce="n1", algorithm=MD5', 'Basic realm="r"']);
    expect(parsed.map((c) => [c.scheme, c.params.get('algorithm')])).toEqual([
      ['digest', 'SHA-256'],
      ['digest', 'MD5'],
      ['basic', undefined],
    ]);
  });

  it('keeps commas and equals signs inside quoted strings', () => {
    const [digest] = parseChallenges('Digest realm="a, b=c", nonce="x,y", qop="auth,auth-int"');
    expect(simple(digest!)).toEqual({ scheme: 'digest', params: { realm: 'a, b=c', nonce: 'x,y', qop: 'auth,auth-int' } });
  });

  it('keeps spaces in a Basic realm', () => {
    expect(parseChallenges('Basic realm="IP Camera  Lobby (east)"').map(simple)).toEqual([{ scheme: 'basic', params: { realm: 'IP Camera  Lobby (east)' } }]);
  });

  it('compares scheme and parameter names without case, keeping the scheme as written for messages', () => {
    const [c] = parseChallenges('dIgEsT REALM="x", NoNcE="n", Algorithm=sha-256, STALE=TRUE');
    expect(c!.scheme).toBe('digest');
    expect(c!.name).toBe('dIgEsT');
    expect(Object.fromEntries(c!.params)).toEqual({ realm: 'x', nonce: 'n', algorithm: 'sha-256', stale: 'TRUE' });
  });

  it('reads bare schemes and token68 challenges (NTLM, Negotiate, Bearer)', () => {
    expect(parseChallenges('NTLM, Negotiate YIIGhgYGKwYBBQUC+/9==, Bearer realm="cams", error="invalid_token"').map(simple)).toEqual([
      { scheme: 'ntlm', params: {} },
      { scheme: 'negotiate', params: {}, token68: 'YIIGhgYGKwYBBQUC+/9==' },
      { scheme: 'bearer', params: { realm: 'cams', error: 'invalid_token' } },
    ]);
  });

  it('allows empty list elements and whitespace around "="', () => {
    expect(parseChallenges(' , ,Basic realm = "x" ,, Digest nonce= n ,realm="r",').map(simple)).toEqual([
      { scheme: 'basic', params: { realm: 'x' } },
      { scheme: 'digest', params: { nonce: 'n', realm: 'r' } },
    ]);
  });

  it('skips what it cannot parse up to the next comma, and keeps the first of a repeated parameter', () => {
    expect(parseChallenges('Basic realm="x" junk "q,uoted", charset=UTF-8, realm="second", =oops, Digest nonce="n"').map(simple)).toEqual([
      { scheme: 'basic', params: { realm: 'x', charset: 'UTF-8' } },
      { scheme: 'digest', params: { nonce: 'n' } },
    ]);
  });

  it('ends an unterminated quoted string at the end of the line', () => {
    expect(parseChallenges('Basic realm="abc\\').map(simple)).toEqual([{ scheme: 'basic', params: { realm: 'abc' } }]);
  });

  it('gives nothing for no header, an empty one, or parameters without a scheme', () => {
    expect(parseChallenges(undefined)).toEqual([]);
    expect(parseChallenges('')).toEqual([]);
    expect(parseChallenges([])).toEqual([]);
    expect(parseChallenges('realm="x", nonce="y"')).toEqual([]);
  });

  it('never throws, whatever the camera sends', () => {
    const pieces = fc.constantFrom('Digest', 'Basic', ' ', ',', '=', '"', '\\', 'realm', 'x', '\t', '==', 'é', '\u0000');
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.array(pieces, { maxLength: 40 }).map((p) => p.join('')),
    );
    fc.assert(
      fc.property(fc.oneof(text, fc.array(text, { maxLength: 4 })), (value) => {
        const parsed = parseChallenges(value);
        for (const c of parsed) expect(c.scheme).toMatch(/^[!#$%&'*+\-.^_`|~0-9a-z]+$/);
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips challenges built from tokens and arbitrary quoted values', () => {
    const tchar = fc.constantFrom(...Array.from("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"));
    const token = fc.string({ unit: tchar, minLength: 1, maxLength: 12 });
    const token68 = fc
      .tuple(fc.string({ unit: fc.constantFrom(...Array.from('abcXYZ019-._~+/')), minLength: 1, maxLength: 20 }), fc.integer({ min: 0, max: 2 }))
      .map(([body, pad]) => body + '='.repeat(pad));
    const value = fc.oneof(
      token.map((v) => ({ v, quoted: false })),
      fc.string({ maxLength: 30 }).map((v) => ({ v, quoted: true })),
    );
    const params = fc.uniqueArray(fc.tuple(token, value), { maxLength: 5, selector: ([name]) => name.toLowerCase() });
    const challenge = fc.oneof(
      fc.record({ scheme: token, params }),
      fc.record({ scheme: token, token68 }).map((c) => ({ ...c, params: [] as [string, { v: string; quoted: boolean }][] })),
    );
    const quote = (v: string): string => `"${v.replace(/["\\]/g, '\\$&')}"`;
    const space = fc.constantFrom('', ' ', '  ', '\t');
    fc.assert(
      fc.property(fc.array(challenge, { minLength: 1, maxLength: 4 }), space, fc.boolean(), (challenges, ows, split) => {
        const written = challenges.map((c) => {
          const rest = 'token68' in c ? c.token68 : c.params.map(([n, { v, quoted }]) => `${n}${ows}=${ows}${quoted ? quote(v) : v}`).join(`${ows},${ows}`);
          return rest === '' ? c.scheme : `${c.scheme} ${rest}`;
        });
        const parsed = parseChallenges(split ? written : written.join(`${ows},${ows}`));
        expect(parsed.map(simple)).toEqual(
          challenges.map((c) => ({
            scheme: c.scheme.toLowerCase(),
            params: Object.fromEntries(c.params.map(([n, { v }]) => [n.toLowerCase(), v])),
            ...('token68' in c ? { token68: c.token68 } : {}),
          })),
        );
        expect(parsed.map((c) => c.name)).toEqual(challenges.map((c) => c.scheme));
      }),
      { numRuns: 500 },
    );
  });
});

describe('Digest answers: the RFC test vectors', () => {
  it('RFC 7616 §3.9.1, MD5: the Authorization header of the RFC, field for field', () => {
    const auth = new CameraAuth(MUFASA, { cnonce: () => RFC7616_CNONCE });
    expect(header(auth.answer(parseChallenges(rfc7616Challenge('MD5')), GET_INDEX))).toBe(
      'Digest username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", algorithm=MD5, ' +
        `nonce="${RFC7616_NONCE}", nc=00000001, cnonce="${RFC7616_CNONCE}", qop=auth, ` +
        `response="8ca523f5e9506fed4657c9700eebdbec", opaque="${RFC7616_OPAQUE}"`,
    );
  });

  it('RFC 7616 §3.9.1, SHA-256, chosen over MD5 whichever the camera lists first', () => {
    for (const order of [
      ['SHA-256', 'MD5'],
      ['MD5', 'SHA-256'],
    ]) {
      const auth = new CameraAuth(MUFASA, { cnonce: () => RFC7616_CNONCE });
      const sent = authParams(header(auth.answer(parseChallenges(order.map(rfc7616Challenge)), GET_INDEX)));
      expect(sent).toMatchObject({ algorithm: 'SHA-256', qop: 'auth', nc: '00000001', opaque: RFC7616_OPAQUE });
      expect(sent.response).toBe('753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1');
    }
  });

  it('RFC 2617 §3.5: MD5 with qop=auth and no algorithm named (none is sent back)', () => {
    const auth = new CameraAuth({ username: 'Mufasa', password: 'Circle Of Life' }, { cnonce: () => '0a4f113b' });
    const challenge =
      'Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"';
    const sent = header(auth.answer(parseChallenges(challenge), GET_INDEX));
    expect(authParams(sent)).toEqual({
      username: 'Mufasa',
      realm: 'testrealm@host.com',
      uri: '/dir/index.html',
      nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
      nc: '00000001',
      cnonce: '0a4f113b',
      qop: 'auth',
      response: '6629fae49393a05397450978507c4ef1',
      opaque: '5ccc069c403ebaf9f0171e9517f40e41',
    });
  });

  // Expected values below were computed with Python's hashlib, not with node:crypto.
  it('RFC 2069 (no qop): no nc, no cnonce, response = H(HA1:nonce:HA2)', () => {
    const auth = new CameraAuth({ username: 'Mufasa', password: 'Circle Of Life' }, { cnonce: counting() });
    const sent = authParams(header(auth.answer(parseChallenges('Digest realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093"'), GET_INDEX)));
    expect(sent).toEqual({
      username: 'Mufasa',
      realm: 'testrealm@host.com',
      uri: '/dir/index.html',
      nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
      response: '670fd8c2df070c60b045671b8b24ff02',
    });
  });

  it('MD5-sess: the session key hashes HA1 with the nonce and the cnonce sent', () => {
    const auth = new CameraAuth({ username: 'Mufasa', password: 'Circle Of Life' }, { cnonce: () => '0a4f113b' });
    const sent = authParams(
      header(
        auth.answer(
          parseChallenges('Digest realm="testrealm@host.com", qop="auth", algorithm=MD5-sess, nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093"'),
          GET_INDEX,
        ),
      ),
    );
    expect(sent).toMatchObject({ algorithm: 'MD5-sess', cnonce: '0a4f113b', response: '8e3825c57e897f5a0dec6c2d4e5059d0' });
  });

  it('RFC 7616 §3.9.2 inputs, SHA-512-256 with userhash (the RFC prints wrong hashes; see its errata)', () => {
    const auth = new CameraAuth({ username: 'Jäsøn Doe', password: 'Secret, or not?' }, { cnonce: () => 'NTg6RKcb9boFIAS3KrFK9BGeh+iDa/sm6jUMp2wds69v' });
    const challenge =
      'Digest realm="api@example.org", qop="auth", algorithm=SHA-512-256, nonce="5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK", ' +
      'opaque="HRPCssKJSGjCrkzDg8OhwpzCiGPChXYjwrI2QmXDnsOS", charset=UTF-8, userhash=true';
    const sent = header(auth.answer(parseChallenges(challenge), { method: 'GET', uri: '/doe.json' }));
    expect(authParams(sent)).toMatchObject({
      username: '793263caabb707a56211940d90411ea4a575adeccb7e360aeb624ed06ece9b0b',
      userhash: 'true',
      response: '3798d4131c277846293534c3edc11bd8a5e4cdcbff78b05db9d95eeb1cec68a5',
    });
    expect(sent).not.toContain('username*');
  });
});

describe('Digest answers: usernames, counts, nonces', () => {
  it('sends a non-ASCII username as username* (RFC 8187), as RFC 7616 §3.9.2 shows', () => {
    const auth = new CameraAuth({ username: 'Jäsøn Doe', password: 'p' }, { cnonce: counting() });
    const sent = header(
      auth.answer(parseChallenges('Digest realm="api@example.org", qop=auth, nonce="n", charset=UTF-8'), { method: 'GET', uri: '/doe.json' }),
    );
    expect(sent).toContain("username*=UTF-8''J%C3%A4s%C3%B8n%20Doe, ");
    expect(sent).not.toMatch(/username=/);
  });

  it('sends a username with a quote or a backslash as username*, a plain one quoted', () => {
    const sent = (username: string): string =>
      header(new CameraAuth({ username, password: 'p' }, { cnonce: counting() }).answer(parseChallenges('Digest realm="r", nonce="n"'), GET_INDEX));
    expect(sent('ad"min')).toContain("username*=UTF-8''ad%22min");
    expect(sent('dom\\user')).toContain("username*=UTF-8''dom%5Cuser");
    expect(sent('admin 2')).toContain('username="admin 2"');
  });

  it('normalizes to NFC when the camera says charset=UTF-8 (RFC 7616 §4)', () => {
    const challenge = parseChallenges('Digest realm="r", qop=auth, nonce="n", charset=UTF-8');
    const composed = authParams(header(new CameraAuth({ username: 'Jäsøn', password: 'pässwörd' }, { cnonce: () => 'c' }).answer(challenge, GET_INDEX)));
    const decomposed = authParams(
      header(new CameraAuth({ username: 'Ja\u0308søn', password: 'pa\u0308sswo\u0308rd' }, { cnonce: () => 'c' }).answer(challenge, GET_INDEX)),
    );
    expect(decomposed.response).toBe(composed.response);
    expect(decomposed['username*']).toBe(composed['username*']);
  });

  it('counts the uses of a nonce in nc, with a fresh cnonce each time, and starts over for a new nonce', () => {
    const auth = new CameraAuth(MUFASA, { cnonce: counting() });
    const first = parseChallenges('Digest realm="r", qop="auth", nonce="one"');
    const sent = [
      authParams(header(auth.answer(first, GET_INDEX))),
      authParams(header(auth.answer(first, GET_INDEX))),
      authParams(header(auth.answer(first, GET_INDEX))),
      authParams(header(auth.answer(parseChallenges('Digest realm="r", qop="auth", nonce="two"'), GET_INDEX))),
    ];
    expect(sent.map((p) => [p.nonce, p.nc, p.cnonce])).toEqual([
      ['one', '00000001', 'c1'],
      ['one', '00000002', 'c2'],
      ['one', '00000003', 'c3'],
      ['two', '00000001', 'c4'],
    ]);
    expect(new Set(sent.map((p) => p.response)).size).toBe(4);
  });

  it('writes nc in hexadecimal past 9', () => {
    const auth = new CameraAuth(MUFASA, { cnonce: counting() });
    const challenge = parseChallenges('Digest realm="r", qop="auth", nonce="n"');
    let nc = '';
    for (let i = 0; i < 10; i++) nc = authParams(header(auth.answer(challenge, GET_INDEX))).nc!;
    expect(nc).toBe('0000000a');
  });

  it('echoes realm, nonce and opaque with their quotes escaped', () => {
    const auth = new CameraAuth(MUFASA, { cnonce: counting() });
    const sent = header(auth.answer(parseChallenges('Digest realm="Cam \\"Lobby\\"", nonce="a\\\\b", opaque="o,p"'), GET_INDEX));
    expect(sent).toContain('realm="Cam \\"Lobby\\""');
    expect(sent).toContain('nonce="a\\\\b"');
    expect(sent).toContain('opaque="o,p"');
  });

  it('says stale when the camera only refused an expired nonce', () => {
    const auth = new CameraAuth(MUFASA, { cnonce: counting() });
    const answer = auth.answer(parseChallenges('Digest realm="r", qop="auth", nonce="new", stale=true'), GET_INDEX);
    expect(answer).toMatchObject({ scheme: 'digest', stale: true });
    expect(auth.answer(parseChallenges('Digest realm="r", qop="auth", nonce="new", stale=FALSE'), GET_INDEX)).toMatchObject({ stale: false });
  });

  it('reuses an accepted nonce with the next nc, and not before a camera accepted it', () => {
    const auth = new CameraAuth(MUFASA, { cnonce: counting() });
    expect(auth.preemptive(GET_INDEX)).toBeUndefined();
    header(auth.answer(parseChallenges(rfc7616Challenge('SHA-256')), GET_INDEX));
    expect(auth.preemptive(GET_INDEX)).toBeUndefined();
    auth.accepted();
    const again = authParams(auth.preemptive(GET_INDEX)!);
    expect(again).toMatchObject({ nonce: RFC7616_NONCE, nc: '00000002', cnonce: 'c2', algorithm: 'SHA-256', opaque: RFC7616_OPAQUE });
    expect(authParams(auth.preemptive(GET_INDEX)!).nc).toBe('00000003');
    auth.forgetReusable();
    expect(auth.preemptive(GET_INDEX)).toBeUndefined();
  });
});

describe('scheme choice', () => {
  it('answers Basic with base64 of UTF-8 user:pass (RFC 7617 examples)', () => {
    expect(new CameraAuth({ username: 'Aladdin', password: 'open sesame' }).answer(parseChallenges('Basic realm="WallyWorld"'), GET_INDEX)).toEqual({
      header: 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==',
      scheme: 'basic',
      stale: false,
    });
    expect(header(new CameraAuth({ username: 'test', password: '123£' }).answer(parseChallenges('Basic realm="foo", charset="UTF-8"'), GET_INDEX))).toBe(
      'Basic dGVzdDoxMjPCow==',
    );
  });

  it('prefers Digest to Basic whatever the order, and Basic when no Digest challenge is usable', () => {
    const auth = new CameraAuth(MUFASA, { cnonce: counting() });
    expect(auth.answer(parseChallenges('Basic realm="r", Digest realm="r", nonce="n"'), GET_INDEX)).toMatchObject({ scheme: 'digest' });
    expect(auth.answer(parseChallenges(['Digest realm="r", nonce="n", qop="auth-int"', 'Basic realm="r"']), GET_INDEX)).toMatchObject({ scheme: 'basic' });
    expect(auth.answer(parseChallenges('NTLM, Basic realm="r"'), GET_INDEX)).toMatchObject({ scheme: 'basic' });
  });

  it('prefers SHA-256 over MD5, keeping the camera order between equals (-sess or not)', () => {
    const auth = new CameraAuth(MUFASA, { cnonce: counting() });
    const pick = (...algorithms: string[]): string | undefined =>
      authParams(header(auth.answer(parseChallenges(algorithms.map((a) => `Digest realm="r", qop=auth, nonce="n", algorithm=${a}`)), GET_INDEX))).algorithm;
    expect(pick('MD5', 'SHA-256')).toBe('SHA-256');
    expect(pick('MD5-sess', 'SHA-256-sess', 'MD5')).toBe('SHA-256-sess');
    expect(pick('SHA-256-sess', 'SHA-256')).toBe('SHA-256-sess');
    expect(pick('SHA-256', 'SHA-256-sess')).toBe('SHA-256');
    expect(pick('sha-256', 'MD5')).toBe('sha-256');
    expect(pick('SHA-512', 'MD5')).toBe('MD5');
  });

  it.each([
    ['NTLM', /asks for NTLM authentication, which camera-load does not speak/],
    ['Negotiate, NTLM', /asks for Negotiate or NTLM authentication/],
    ['Bearer realm="cams", error="invalid_token"', /asks for Bearer authentication/],
    ['Digest realm="r", nonce="n", qop="auth-int"', /Digest with qop=auth-int only, which camera-load does not support/],
    ['Digest realm="r", nonce="n", qop="auth-int, auth-conf"', /Digest with qop=auth-int,auth-conf only/],
    ['Digest realm="r", nonce="n", algorithm=SHA-512', /Digest algorithm SHA-512, which camera-load does not support/],
    ['Digest realm="r", qop="auth"', /Digest challenge without a nonce/],
    ['', /without a WWW-Authenticate challenge/],
  ])('says what it cannot answer: %s', (value, message) => {
    const answer = new CameraAuth(MUFASA).answer(parseChallenges(value), GET_INDEX);
    expect(answer).toEqual({ unsupported: expect.stringMatching(message) as unknown });
  });

  it('never shows camera text beyond a short token in a message', () => {
    const answer = new CameraAuth(MUFASA).answer(parseChallenges(`Digest nonce="n", algorithm="\u001b[31m${'x'.repeat(100)}"`), GET_INDEX);
    expect('unsupported' in answer && answer.unsupported).toBe(`asks for Digest algorithm 31m${'x'.repeat(37)}…, which camera-load does not support`);
  });

  it('refuses to echo a challenge with control characters', () => {
    expect(new CameraAuth(MUFASA).answer(parseChallenges('Digest realm="a\u0000b", nonce="n"'), GET_INDEX)).toEqual({
      unsupported: 'sent a malformed Digest challenge',
    });
  });

  it('never puts the credentials in anything but the header', () => {
    const secret = fc.string({ unit: fc.constantFrom(...Array.from('abcdefghijklmnopqrstuvwxyz0123456789')), minLength: 6, maxLength: 20 });
    const challenges = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.constantFrom(
        'Digest realm="r", nonce="n", qop="auth"',
        'Digest realm="r", nonce="n", stale=true',
        'Digest realm="r", nonce="n", qop="auth-int"',
        'Digest realm="r", algorithm=SHA-1, nonce="n"',
        'Basic realm="r"',
        'NTLM, Negotiate',
        '',
      ),
    );
    fc.assert(
      fc.property(secret, secret, challenges, (username, password, challenge) => {
        // Camera text is shown (as a short token); a secret the camera itself sent is not a leak.
        fc.pre(!challenge.includes(username) && !challenge.includes(password));
        const auth = new CameraAuth({ username, password });
        const attempt = auth.attempt(GET_INDEX);
        const steps = [attempt.unauthorized(challenge), attempt.unauthorized(challenge), attempt.unauthorized(challenge)];
        for (const step of steps) {
          if ('refused' in step) {
            expect(step.refused).not.toContain(username);
            expect(step.refused).not.toContain(password);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('one connection attempt (the one-answer rule)', () => {
  const digest = (extra = ''): string => `Digest realm="cam", qop="auth", nonce="n1", opaque="o"${extra}`;

  it('answers the first 401 and stops at the second: a wrong password is one extra request, not a storm', () => {
    const auth = new CameraAuth({ username: 'admin', password: 'wrong-pass' }, { cnonce: counting() });
    const attempt = auth.attempt(GET_INDEX);
    expect(attempt.first).toBeUndefined();
    expect(attempt.unauthorized(digest())).toEqual({ retry: expect.stringMatching(/^Digest username="admin"/) as unknown });
    const second = attempt.unauthorized(digest());
    expect(second).toEqual({ refused: 'the camera refused the credentials (Digest answer met with HTTP 401)' });
    expect(attempt.unauthorized(digest())).toEqual(second);
  });

  it('answers a stale refusal once more, and not twice', () => {
    const auth = new CameraAuth(MUFASA, { cnonce: counting() });
    const attempt = auth.attempt(GET_INDEX);
    expect(attempt.unauthorized(digest())).toHaveProperty('retry');
    const again = attempt.unauthorized(['Digest realm="cam", qop="auth", nonce="n2", opaque="o", stale=true']);
    expect('retry' in again && authParams(again.retry)).toMatchObject({ nonce: 'n2', nc: '00000001' });
    expect(attempt.unauthorized('Digest realm="cam", qop="auth", nonce="n3", stale=true')).toHaveProperty('refused');
  });

  it('does not treat stale=true as a pass for Basic', () => {
    const attempt = new CameraAuth(MUFASA).attempt(GET_INDEX);
    expect(attempt.unauthorized('Basic realm="cam"')).toEqual({ retry: 'Basic TXVmYXNhOkNpcmNsZSBvZiBMaWZl' });
    expect(attempt.unauthorized('Basic realm="cam", stale=true')).toEqual({ refused: 'the camera refused the credentials (Basic answer met with HTTP 401)' });
  });

  it('ends at once when nothing offered can be answered', () => {
    const attempt = new CameraAuth(MUFASA).attempt(GET_INDEX);
    expect(attempt.unauthorized(['NTLM', 'Negotiate'])).toEqual({ refused: 'asks for NTLM or Negotiate authentication, which camera-load does not speak' });
  });

  it('after a success, the next attempt sends the nonce again; if refused, it answers the new challenge once', () => {
    const auth = new CameraAuth(MUFASA, { cnonce: counting() });
    const one = auth.attempt(GET_INDEX);
    expect(one.unauthorized(digest())).toHaveProperty('retry');
    one.succeeded();

    const two = auth.attempt(GET_INDEX);
    expect(authParams(two.first!)).toMatchObject({ nonce: 'n1', nc: '00000002' });
    two.succeeded();

    const three = auth.attempt(GET_INDEX);
    expect(authParams(three.first!)).toMatchObject({ nonce: 'n1', nc: '00000003' });
    // The camera expired the nonce: a plain new challenge (no stale flag) is still answered, as this attempt's one answer.
    const answer = three.unauthorized('Digest realm="cam", qop="auth", nonce="n9", opaque="o"');
    expect('retry' in answer && authParams(answer.retry)).toMatchObject({ nonce: 'n9', nc: '00000001' });
    expect(three.unauthorized('Digest realm="cam", qop="auth", nonce="n10", opaque="o"')).toHaveProperty('refused');

    // Refused twice: the next attempt starts without a header rather than spend a request on a dead nonce.
    expect(auth.attempt(GET_INDEX).first).toBeUndefined();
  });
});
