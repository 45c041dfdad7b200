import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { json, startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { schemaErrors } from '../helpers/report-schema.js';
import { runCli, startCli, waitForExit, waitForLine, type CliResult } from '../helpers/run-cli.js';
import { readJson } from '../helpers/read-json.js';
import { caseFolders } from '../helpers/temp-dir.js';

// Every output is checked before anything runs, and a run whose output fails at the end is never lost.

const dir = mkdtempSync(join(tmpdir(), 'camera-load-outputs-'));
// Anything "inside" a regular file fails with ENOTDIR, for root too (tests run as root: chmod proves nothing).
const blocker = join(dir, 'a-regular-file');
writeFileSync(blocker, '');
const freshFolder = caseFolders(dir);

/** Runs the CLI and measures how long it took, in milliseconds. */
// Wall-clock bounds a loaded 2-core machine keeps (CI once read 3,169 ms against a 3,000 ms bound): they catch a
// hang, not a slow start. A usage error comes with --duration 60s, so that exit 2 itself proves nothing ran; a run
// must end within its duration plus the shutdown budget (10 s), and a spawned Node process may take 3 s to start.
const USAGE_ERROR_MS = 15_000;
const WITHIN_BUDGET_MS = 10_000 + 3_000;

async function timed(run: () => Promise<CliResult>): Promise<CliResult & { ms: number }> {
  const started = performance.now();
  const result = await run();
  return { ...result, ms: performance.now() - started };
}

/** Waits (bounded) until `ready` holds: the run has its streams open. */
async function until(ready: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!ready()) {
    if (performance.now() > deadline) throw new Error(`not ready within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Replaces a folder by a regular file of the same name: every later write into it fails (ENOTDIR). */
function replaceByFile(folder: string): void {
  rmSync(folder, { recursive: true, force: true });
  writeFileSync(folder, '');
}

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('outputs are checked before anything runs: exit 2, one line, no request', () => {
  let server: FixtureServer;
  beforeAll(async () => {
    // Counts every request: the camera API and the stream alike.
    server = await startFixtureServer((req, res, origin) => {
      if (req.url?.startsWith('/api')) json(res, 200, { results: [{ id: 1, status: 1, fr_url: `${origin}/stream` }], next: null });
      else json(res, 503, { detail: 'not a stream' });
    });
  });
  afterAll(() => server.close());

  it.each([
    ['run', '--output'],
    ['run', '--log'],
    ['run', '--junit'],
    ['max', '--output'],
    ['max', '--log'],
  ])('%s %s under a regular file', async (command, flag) => {
    const cwd = freshFolder();
    const paths: Record<string, string> = { '--output': join(cwd, 'r.json'), '--log': join(cwd, 'r.log') };
    if (command === 'run') paths['--junit'] = join(cwd, 'j.xml');
    const bad = join(blocker, 'sub', 'out');
    paths[flag] = bad;
    const timing = command === 'run' ? ['--duration', '60s', '--max-streams', '1'] : ['--trial', '60s'];
    const result = await timed(() =>
      runCli([command, '--api-url', `${server.url}/api`, ...timing, ...Object.entries(paths).flat()], { cwd, timeoutMs: 30_000 }),
    );
    expect(result.code).toBe(2);
    expect(result.ms).toBeLessThan(USAGE_ERROR_MS);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`${flag} ${bad}`);
    expect(lines[0]).toContain('(ENOTDIR)');
    expect(server.requests).toHaveLength(0);
    // Not even the log or the probe's temporary file is left behind.
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('a refused camera and an --output under /proc: exit 2 at once (was: a hang at full CPU, deaf to SIGTERM)', async () => {
    const cwd = freshFolder();
    const result = await timed(() =>
      runCli(['--url', 'http://127.0.0.1:1/x', '--duration', '60', '--output', '/proc/nope/r.json', '--log', join(cwd, 'r.log')], { cwd, timeoutMs: 30_000 }),
    );
    expect(result.code).toBe(2);
    expect(result.ms).toBeLessThan(USAGE_ERROR_MS);
    expect(result.stderr.trimEnd().split('\n')).toEqual(['camera-load: --output /proc/nope/r.json: cannot create the folder (ENOENT)']);
  });

  it.each([
    [['--output', 'same.json', '--log', './same.json'], '--output and --log'],
    [['--output', 'r.json', '--junit', 'sub/../r.json'], '--output and --junit'],
    [['--output', 'r.json', '--log', 'same.log', '--junit', 'same.log'], '--log and --junit'],
  ])('two outputs naming one file %j: exit 2', async (args, pair) => {
    const cwd = freshFolder();
    const result = await timed(() => runCli(['--api-url', `${server.url}/api`, '--duration', '60s', ...args], { cwd, timeoutMs: 30_000 }));
    expect(result.code).toBe(2);
    expect(result.ms).toBeLessThan(USAGE_ERROR_MS);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(pair);
    expect(server.requests).toHaveLength(0);
  });
});

describe('an output that fails at the end: the run is kept, exit 5', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ cameras: 2, inactive: 0, fps: 5, frameBytes: 2_000 });
  });
  afterAll(() => sim.close());
  const streaming = (): boolean => sim.stats().openStreams > 0;

  it('the --output folder becomes a file mid-run: summary printed, report in the working folder', async () => {
    const cwd = freshFolder();
    const out = join(cwd, 'out');
    mkdirSync(out);
    const started = performance.now();
    const child = startCli(['--api-url', sim.apiUrl, '--max-streams', '2', '--duration', '3s', '--output', join(out, 'r.json'), '--log', join(cwd, 'r.log')], {
      cwd,
    });
    const exited = waitForExit(child, 30_000);
    await waitForLine(child, /^Streaming 2 streams/);
    replaceByFile(out);
    const result = await exited;
    expect(performance.now() - started).toBeLessThan(3_000 + WITHIN_BUDGET_MS);
    expect(result.code).toBe(5);
    expect(result.stdout).toMatch(/Streams opened: +2 of 2 streams/);
    const fallback = /saved to (\S+) instead/.exec(result.stderr)?.[1] ?? '';
    expect(result.stderr).toContain(`--output ${join(out, 'r.json')}: could not be written (ENOTDIR)`);
    expect(dirname(fallback)).toBe(cwd);
    expect(basename(fallback)).toMatch(/^camera_stream_load_test_report_\d{8}_\d{6}\.json$/);
    expect(schemaErrors(readJson(fallback))).toBe('');
    expect(result.stdout).toContain(`Report: ${fallback}`);
  });

  it('the working folder is gone too: the report goes to the temporary folder', async () => {
    const cwd = freshFolder();
    const temporary = freshFolder();
    const result = await timed(async () => {
      const child = startCli(
        [
          '--api-url',
          sim.apiUrl,
          '--max-streams',
          '2',
          '--duration',
          '2s',
          '--quiet',
          '--output',
          join(cwd, 'out', 'r.json'),
          '--log',
          join(temporary, 'r.log'),
        ],
        {
          cwd,
          env: { TMPDIR: temporary },
        },
      );
      const exited = waitForExit(child, 30_000);
      await until(streaming);
      replaceByFile(cwd);
      return exited;
    });
    expect(result.ms).toBeLessThan(2_000 + WITHIN_BUDGET_MS);
    expect(result.code).toBe(5);
    const fallback = /saved to (\S+) instead/.exec(result.stderr)?.[1] ?? '';
    expect(dirname(fallback)).toBe(temporary);
    expect(schemaErrors(readJson(fallback))).toBe('');
  });

  it('no folder works at all: the report comes out on stdout rather than be lost', async () => {
    const cwd = freshFolder();
    const logs = freshFolder();
    const result = await timed(async () => {
      const child = startCli(
        ['--api-url', sim.apiUrl, '--max-streams', '2', '--duration', '2s', '--quiet', '--output', join(cwd, 'r.json'), '--log', join(logs, 'r.log')],
        {
          cwd,
          env: { TMPDIR: join(blocker, 'tmp') },
        },
      );
      const exited = waitForExit(child, 30_000);
      await until(streaming);
      replaceByFile(cwd);
      return exited;
    });
    expect(result.ms).toBeLessThan(2_000 + WITHIN_BUDGET_MS);
    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(/it follows on stdout/);
    expect(schemaErrors(JSON.parse(result.stdout))).toBe('');
  });

  it('a log that fails mid-run (disk full): the run goes on, "log incomplete", exit 5', async () => {
    const cwd = freshFolder();
    const report = join(cwd, 'r.json');
    const result = await timed(() =>
      runCli(['--api-url', sim.apiUrl, '--max-streams', '2', '--duration', '2s', '--output', report, '--log', '/dev/full'], { cwd, timeoutMs: 30_000 }),
    );
    expect(result.ms).toBeLessThan(2_000 + WITHIN_BUDGET_MS);
    expect(result.code).toBe(5);
    expect(result.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^camera-load: --log \/dev\/full: log incomplete: ENOSPC/) as string]);
    expect(result.stdout).toMatch(/Streams opened: +2 of 2 streams/);
    expect(schemaErrors(readJson(report))).toBe('');
  });

  it('GITHUB_STEP_SUMMARY that cannot be written is best-effort: a warning, and the verdict stands', async () => {
    const cwd = freshFolder();
    const report = join(cwd, 'r.json');
    const result = await timed(() =>
      runCli(['--api-url', sim.apiUrl, '--max-streams', '2', '--duration', '1s', '--output', report, '--log', join(cwd, 'r.log')], {
        cwd,
        env: { GITHUB_STEP_SUMMARY: join(blocker, 'summary.md') },
        timeoutMs: 30_000,
      }),
    );
    expect(result.ms).toBeLessThan(1_000 + WITHIN_BUDGET_MS);
    expect(result.code).toBe(0);
    expect(result.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^camera-load: warning: GITHUB_STEP_SUMMARY .*\(ENOTDIR\)/) as string]);
    expect(schemaErrors(readJson(report))).toBe('');
  });

  it('max: the --output folder becomes a file mid-search: the trials are kept, exit 5', async () => {
    const cwd = freshFolder();
    const out = join(cwd, 'out');
    mkdirSync(out);
    const started = performance.now();
    const child = startCli(['max', '--api-url', sim.apiUrl, '--trial', '2s', '--cooldown', '0', '--output', join(out, 'm.json'), '--log', join(cwd, 'm.log')], {
      cwd,
    });
    const exited = waitForExit(child, 30_000);
    await waitForLine(child, /^Finding the maximum/);
    replaceByFile(out);
    const result = await exited;
    // One trial: both cameras hold at the start level.
    expect(performance.now() - started).toBeLessThan(2_000 + WITHIN_BUDGET_MS);
    expect(result.code).toBe(5);
    expect(result.stdout).toContain('camera-load: PASSED — maximum stable: at least 2 streams');
    const fallback = /saved to (\S+) instead/.exec(result.stderr)?.[1] ?? '';
    expect(basename(fallback)).toMatch(/^camera_max_capacity_report_\d{8}_\d{6}\.json$/);
    expect(readJson(fallback)).toMatchObject({ command: 'max', result: { maxStableStreams: 2 } });
  });
});

describe('every run ends in bounded time', () => {
  it('a FIFO with no reader (an open that never returns, and then holds the process at exit): --log exit 2, the step summary skipped', async () => {
    const cwd = freshFolder();
    const fifo = join(cwd, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const asLog = await timed(() =>
      runCli(['--url', 'http://127.0.0.1:1/x', '--duration', '60s', '--output', join(cwd, 'r.json'), '--log', fifo], { cwd, timeoutMs: 30_000 }),
    );
    expect(asLog.ms).toBeLessThan(USAGE_ERROR_MS);
    expect(asLog.code).toBe(2);
    expect(asLog.stderr).toContain(`--log ${fifo}: cannot append to it (ENXIO)`);
    const asSummary = await timed(() =>
      runCli(['--url', 'http://127.0.0.1:1/x', '--duration', '1s', '--quiet', '--output', join(cwd, 'r.json'), '--log', join(cwd, 'r.log')], {
        cwd,
        env: { GITHUB_STEP_SUMMARY: fifo },
      }),
    );
    expect(asSummary.ms).toBeLessThan(1_000 + WITHIN_BUDGET_MS);
    // Nothing listens on port 1: nothing measured, exit 1; what matters here is that the run ended in time.
    expect(asSummary.code).toBe(1);
    expect(asSummary.stderr).toMatch(/warning: GITHUB_STEP_SUMMARY .*\(ENXIO\); the job summary will be skipped/);
  });

  it('SIGTERM with a camera that refuses every connection: exit 130 within 5 s, report written', async () => {
    const cwd = freshFolder();
    const report = join(cwd, 'r.json');
    const child = startCli(['--url', 'http://127.0.0.1:1/x', '--duration', '60s', '--output', report, '--log', join(cwd, 'r.log')], { cwd });
    const exited = waitForExit(child, 20_000);
    await waitForLine(child, /^Streaming 1 stream/);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const signalledAt = performance.now();
    child.kill('SIGTERM');
    const result = await exited;
    expect(performance.now() - signalledAt).toBeLessThan(5_000);
    expect(result.code).toBe(130);
    expect(readJson(report)).toMatchObject({ interrupted: true, summary: { streamsOpened: 0 } });
  });
});
