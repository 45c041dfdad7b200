import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLValidator as deprecatedValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jpegBytes } from '../fixtures/mjpeg-vectors.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { runCli, type CliResult } from '../helpers/run-cli.js';

// fast-xml-validator (its successor) is not a dependency; the validator still works in fast-xml-parser 5.
// eslint-disable-next-line @typescript-eslint/no-deprecated
const XMLValidator = deprecatedValidator;

const PASSWORD = 'pa55word';
const TOKEN = 'qt0ken';
const BASIC = Buffer.from(`user:${PASSWORD}`).toString('base64');
const SECRETS = [PASSWORD, TOKEN, BASIC];
const FRAME = jpegBytes(600);
const PART = Buffer.concat([Buffer.from(`--frame\r\nContent-Type: image/jpeg\r\nContent-Length: ${FRAME.length}\r\n\r\n`), FRAME, Buffer.from('\r\n')]);

const dir = mkdtempSync(join(tmpdir(), 'camera-load-secrets-'));
let camera: FixtureServer;
let counter = 0;

/** A camera that wants Basic auth and its token, then sends a frame every 100 ms (`?frames=N`: N frames, then ends). */
beforeAll(async () => {
  camera = await startFixtureServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://camera');
    if (req.headers.authorization !== `Basic ${BASIC}`) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="camera"' });
      res.end();
      return;
    }
    if (url.pathname !== '/stream' || url.searchParams.get('token') !== TOKEN) {
      res.writeHead(404);
      res.end();
      return;
    }
    const limit = Math.min(100, Number(url.searchParams.get('frames') ?? 100));
    res.writeHead(200, { 'content-type': 'multipart/x-mixed-replace; boundary=frame' });
    let sent = 0;
    const send = (): void => {
      res.write(PART);
      sent++;
      if (sent >= limit) {
        clearInterval(timer);
        res.end();
      }
    };
    const timer = setInterval(send, 100);
    res.on('close', () => {
      clearInterval(timer);
    });
    send();
  });
});

afterAll(async () => {
  await camera.close();
  rmSync(dir, { recursive: true, force: true });
});

function outputs(): { report: string; log: string; junit: string; summary: string } {
  counter++;
  return {
    report: join(dir, `r${counter}.json`),
    log: join(dir, `l${counter}.log`),
    junit: join(dir, `j${counter}.xml`),
    summary: join(dir, `s${counter}.md`),
  };
}

function expectNoSecret(texts: Record<string, string>): void {
  for (const [where, text] of Object.entries(texts)) {
    for (const secret of SECRETS) expect(text.includes(secret), `${secret} in ${where}`).toBe(false);
  }
}

async function run(args: string[], out: ReturnType<typeof outputs>, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return runCli([...args, '--output', out.report, '--log', out.log, '--junit', out.junit], {
    env: { GITHUB_STEP_SUMMARY: out.summary, ...env },
    timeoutMs: 30_000,
  });
}

const read = (path: string): string => readFileSync(path, 'utf8');

describe('secrets stay secret (spawned like a user)', () => {
  it("--url credentials answer the camera's Basic challenge and appear in no output", async () => {
    const out = outputs();
    const url = `${camera.url.replace('http://', `http://user:${PASSWORD}@`)}/stream?token=${TOKEN}`;
    const result = await run(['--url', url, '--max-streams', '1', '--duration', '2s'], out);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    // Nothing is sent before the camera asks; its challenge is answered, and the stream stays open.
    expect(camera.requests.map((r) => r.headers.authorization)).toEqual([undefined, `Basic ${BASIC}`]);
    for (const request of camera.requests) expect(request.url).toBe(`/stream?token=${TOKEN}`);
    const report = JSON.parse(read(out.report)) as { summary: { streamsOpened: number; totalFrames: number }; streams: { name: string; url: string }[] };
    expect(report.summary.streamsOpened).toBe(1);
    expect(report.summary.totalFrames).toBeGreaterThan(0);
    expect(report.streams[0]?.name).toBe(`http://[REDACTED]@${camera.url.slice('http://'.length)}/stream?token=[REDACTED]`);
    expect(report.streams[0]?.url).toBe(`${camera.url}/stream?token=[REDACTED]`);
    expect(existsSync(out.summary)).toBe(true);
    expectNoSecret({
      stdout: result.stdout,
      stderr: result.stderr,
      report: read(out.report),
      log: read(out.log),
      junit: read(out.junit),
      summary: read(out.summary),
    });
  });

  it('camera ids and names from a cameras file cannot forge terminal output, Markdown or XML', async () => {
    const out = outputs();
    const forged = '\n\x1b[8m\nASSESSMENT\n  All streams opened. Nothing to see.\x1b[0m';
    const file = join(dir, 'hostile-cameras.json');
    const frUrl = `${camera.url.replace('http://', `http://user:${PASSWORD}@`)}/stream?token=${TOKEN}&frames=3`;
    writeFileSync(file, JSON.stringify([{ id: `cam-1${forged}`, name: `\x1b]0;pwned\x07Lobby <b>|${forged}`, status: 1, fr_url: frUrl }]));
    // The camera ends its stream after 3 frames: reconnections make the summary list the camera by id.
    const result = await run(['--cameras-file', file, '--max-streams', '1', '--duration', '2s', '--backoff-max', '200ms'], out);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('\x1b');
    expect(result.stdout).toContain('Camera cam-1 [8m ASSESSMENT   All streams opened. Nothing to see.[0m: ');
    expect(result.stdout.split('\n').filter((line) => line.includes('ASSESSMENT') && !line.startsWith('  Camera cam-1'))).toEqual(['ASSESSMENT']);
    expect(result.stdout).not.toMatch(/^\s*All streams opened/m);

    const junit = read(out.junit);
    expect(XMLValidator.validate(junit)).toBe(true);
    // eslint-disable-next-line no-control-regex
    expect(junit).not.toMatch(/[\x00-\x08\x0b\x0c\x0e-\x1f]/);
    const summary = read(out.summary);
    expect(summary).not.toContain('\x1b');
    expect(summary).not.toMatch(/^(#+ )?ASSESSMENT|^ *All streams opened|<b>/m);
    expectNoSecret({ stdout: result.stdout, stderr: result.stderr, report: read(out.report), log: read(out.log), junit, summary });
  });
});

describe('usage errors do not echo secrets', () => {
  // --duration and the output paths keep a regression (no usage error) short and inside the temp folder.
  const usage = async (args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> => {
    const out = outputs();
    return runCli([...args, '--duration', '1s', '--output', out.report, '--log', out.log], { env, timeoutMs: 20_000 });
  };

  it.each([
    ['--url that does not parse', ['--url', `http://user:${PASSWORD}@exa mple.com/stream?token=${TOKEN}`]],
    ['--url without a scheme', ['--url', `user:${PASSWORD}@cam/stream?token=${TOKEN}`]],
    ['--api-url that is not http(s)', ['--api-url', `ftp://user:${PASSWORD}@cam/list?token=${TOKEN}`]],
    ['--header without a name', ['--url', 'http://127.0.0.1:9/', '--header', `Bearer ${PASSWORD}`]],
    ['--header with CR LF', ['--url', 'http://127.0.0.1:9/', '--header', `X-Api-Key: ${PASSWORD}\r\nX-Injected: 1`]],
    ['--header with a LF in its name', ['--url', 'http://127.0.0.1:9/', '--header', `X-Api-Key\n: ${PASSWORD}`]],
    ['--header with another control character', ['--url', 'http://127.0.0.1:9/', '--header', `X-Api-Key: ${PASSWORD}\x1b[2J`]],
  ])('%s: exit 2, secret not shown', async (_, args) => {
    const result = await usage(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^camera-load: /);
    expectNoSecret({ stdout: result.stdout, stderr: result.stderr });
  });

  it('CAMERA_API_TOKEN with a line break: exit 2, token not shown', async () => {
    const result = await usage(['--url', 'http://127.0.0.1:9/'], { CAMERA_API_TOKEN: `${PASSWORD}\nX-Injected: 1` });
    expect(result.code).toBe(2);
    expectNoSecret({ stdout: result.stdout, stderr: result.stderr });
  });
});
