import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { json, startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { schemaErrors } from '../helpers/report-schema.js';
import { runCli, startCli, waitForExit, waitForLine } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { readJson } from '../helpers/read-json.js';

const dir = tempDir('run');
let counter = 0;
const paths = () => {
  counter++;
  return { report: join(dir, `report-${counter}.json`), log: join(dir, `log-${counter}.log`) };
};

describe('camera-load run (spawned like a user)', () => {
  it('runs a real load test against the simulated fleet: summary, report and log', async () => {
    const out = paths();
    // No --max-streams and not a terminal: one stream per camera for the 12 there are (fewer than the default 50).
    const result = await runCli(['--simulate', '12', '--duration', '3s', '--output', out.report, '--log', out.log], {
      timeoutMs: 30_000,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Streams opened: +12 of 12 streams$/m);
    // A first run has nothing to warn about.
    expect(result.stdout).not.toMatch(/^ {2}! /m);
    expect(result.stdout).toMatch(/^camera-load: PASSED — all 12 streams delivered frames; no thresholds set$/m);
    expect(result.stdout).toMatch(/Reconnections: +0/);
    expect(result.stdout).toMatch(/Duration: +3\.\d s \(target 3 s\)/);
    const fps = Number(/Average FPS per stream: +([\d.]+)/.exec(result.stdout)?.[1]);
    // 5 fps nominal; the first frame arrives at once, so a 3 s run sees up to 16 frames.
    expect(fps).toBeGreaterThan(4.5);
    expect(fps).toBeLessThan(5.5);
    expect(result.stdout).toContain(`Report: ${out.report}`);
    const report = readJson<Record<string, unknown>>(out.report) as { summary: Record<string, number>; streams: unknown[]; interrupted: boolean };
    expect(schemaErrors(report)).toBe('');
    expect(report.interrupted).toBe(false);
    expect(report.summary.streamsOpened).toBe(12);
    expect(report.summary.totalFrames).toBeGreaterThanOrEqual(12 * 13);
    expect(report.streams).toHaveLength(12);
    const log = readFileSync(out.log, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { event?: string });
    const events = log.map((entry) => entry.event);
    expect(events).toContain('start');
    expect(events).toContain('cameras');
    expect(events.filter((e) => e === 'first-frame')).toHaveLength(12);
    expect(events).toContain('end');
  });

  it('nothing measured never passes: two URLs nobody listens on are exit 1 without thresholds, NOTHING MEASURED and why', async () => {
    const out = paths();
    const dead = 'http://127.0.0.1:9/stream';
    const result = await runCli(['--url', dead, '--url', `${dead}2`, '--duration', '2s', '--output', out.report, '--log', out.log], { timeoutMs: 30_000 });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^camera-load: NOTHING MEASURED — none of 2 streams delivered a frame \(ECONNREFUSED ×\d+\)$/m);
    expect(existsSync(out.report)).toBe(true);
  });

  it('Ctrl+C stops cleanly, still writes the report and the log, and exits 130', async () => {
    const out = paths();
    const child = startCli(['--simulate', '2', '--duration', '60s', '--max-streams', '2', '--output', out.report, '--log', out.log]);
    const exited = waitForExit(child, 20_000);
    await waitForLine(child, /^Streaming 2 streams/);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const interruptedAt = performance.now();
    child.kill('SIGINT');
    const result = await exited;
    expect(performance.now() - interruptedAt).toBeLessThan(5_000);
    expect(result.code).toBe(130);
    expect(result.stdout).toContain('camera-load: INTERRUPTED — stopped after');
    const report = readJson<Record<string, unknown>>(out.report) as { interrupted: boolean; summary: { totalFrames: number } };
    expect(schemaErrors(report)).toBe('');
    expect(report.interrupted).toBe(true);
    expect(report.summary.totalFrames).toBeGreaterThan(0);
    expect(existsSync(out.log)).toBe(true);
  });

  it('a saturated client makes the run invalid: exit 4, said in plain words', async () => {
    const out = paths();
    // Every sample counts as saturated when the limit is 0% of a core.
    const result = await runCli(['--simulate', '2', '--duration', '5s', '--saturation-cpu', '0', '--output', out.report, '--log', out.log], {
      timeoutMs: 30_000,
    });
    expect(result.code).toBe(4);
    expect(result.stdout).toMatch(/Results are not valid: camera-load itself was saturated/);
    const report = readJson<Record<string, unknown>>(out.report) as { summary: { valid: boolean; invalidReason: string } };
    expect(report.summary.valid).toBe(false);
    expect(schemaErrors(report)).toBe('');
  });

  it('a second Ctrl+C exits at once', async () => {
    const out = paths();
    const child = startCli(['--simulate', '2', '--duration', '60s', '--output', out.report, '--log', out.log]);
    const exited = waitForExit(child, 20_000);
    await waitForLine(child, /^Streaming 2 streams/);
    child.kill('SIGINT');
    child.kill('SIGINT');
    const result = await exited;
    expect(result.code).toBe(130);
  });

  it.each([
    [['--max-streams', 'abc'], /--max-streams expects a whole number/],
    [['--max-streams', '0'], /--max-streams expects a whole number from 1/],
    [['--duration', '-5'], /--duration expects a duration/],
    [['--duration', '0'], /--duration must be above 0/],
    [['--unknown-flag'], /unknown option '--unknown-flag'/],
    [['--header', 'no-colon'], /--header expects 'Name: value'/],
    [['--api-url', 'ftp://x'], /--api-url expects an http\(s\) URL/],
    [['--simulate', '--url', 'http://127.0.0.1:1/x'], /choose one camera source/],
    [['--cameras-file', '/nonexistent/cameras.json'], /--cameras-file \/nonexistent\/cameras.json: cannot read it \(ENOENT\)/],
  ])('bad input %j: exit 2 and one line, before any connection', async (args, message) => {
    const out = paths();
    const result = await runCli([...args, '--output', out.report, '--log', out.log]);
    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
    expect(existsSync(out.report)).toBe(false);
  });
});

describe('camera source failures: exit 3 with the URL and the cause', () => {
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer((req, res) => {
      if (req.url === '/html') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html><body>Please log in</body></html>');
      } else if (req.url === '/inactive') json(res, 200, { results: [{ id: 1, status: 0, fr_url: '/x' }], next: null });
      else json(res, 500, { detail: 'boom' });
    });
  });
  afterAll(() => server.close());

  it.each([
    ['/html', /GET http:\/\/127\.0\.0\.1:\d+\/html: the answer is not JSON \(text\/html\)/],
    ['/inactive', /no camera has status 1 \(1 listed\)/],
    ['/error', /answered HTTP 500/],
  ])('%s', async (path, message) => {
    const out = paths();
    const result = await runCli(['--api-url', `${server.url}${path}`, '--duration', '1s', '--output', out.report, '--log', out.log]);
    expect(result.code).toBe(3);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
  });

  it('connection refused', async () => {
    const result = await runCli([
      '--api-url',
      'http://127.0.0.1:1/api/v1/camera/',
      '--duration',
      '1s',
      ...Object.values(paths()).flatMap((p, i) => [i === 0 ? '--output' : '--log', p]),
    ]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/GET http:\/\/127\.0\.0\.1:1\/api\/v1\/camera\/: connection refused/);
  });
});

describe('secrets never reach the report or the log', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ cameras: 2, inactive: 0, frameBytes: 2_000, requireToken: 'tok-SECRET-123' });
  });
  afterAll(() => sim.close());

  it('CAMERA_API_TOKEN and --header values are used but redacted', async () => {
    const out = paths();
    const result = await runCli(
      [
        '--api-url',
        `${sim.apiUrl}?key=KEY-SECRET-456`,
        '--header',
        'X-Extra: HDR-SECRET-789',
        '--duration',
        '2s',
        '--max-streams',
        '2',
        '--output',
        out.report,
        '--log',
        out.log,
      ],
      { env: { CAMERA_API_TOKEN: 'tok-SECRET-123' } },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Streams opened: +2 of 2/);
    for (const text of [readFileSync(out.report, 'utf8'), readFileSync(out.log, 'utf8'), result.stdout]) {
      expect(text).not.toMatch(/SECRET/);
    }
    expect(readFileSync(out.report, 'utf8')).toContain('[REDACTED]');
  });
});
