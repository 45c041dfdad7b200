import { setTimeout as sleep } from 'node:timers/promises';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MaxReport } from '../../src/max/max-report.js';
import type { Report } from '../../src/report/report-types.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { VERSION } from '../../src/version.js';
import { startCli, waitForExit, waitForLine, type CliResult } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { scrapeUntilClosed, type Scrape } from '../helpers/metrics-text.js';
import { freePort } from '../helpers/free-port.js';
import { readJson } from '../helpers/read-json.js';

// --metrics-port against real sockets: the CLI spawned like a user, a fleet that drops, stalls and corrupts,
// scraped over HTTP while it runs and after its streams stopped; the text checked by promtool; and a real
// Prometheus scraping it, whose last value must be the report's.

const dir = tempDir('metrics');
const PROMTOOL = '/usr/bin/promtool';
const PROMETHEUS = '/usr/bin/prometheus';
const FAULTS = { dropEveryFrames: { value: 7, share: 0.5 }, stallAfterFrames: { value: 5, share: 0.25 }, corruptEveryFrames: { value: 4, share: 0.25 } };
// Six repeats at 10 fps hold one picture for 600 ms, past --freeze-timeout 300ms: FROZEN events.
const STALE = { freeze: { value: { freshFrames: 4, repeatFrames: 6 }, share: 0.5 }, lag: { value: { stepMsPerSecond: 100, maxMs: 1_000 }, share: 0.5 } };

/** Every series whose name says it only counts up (counters, histogram buckets and counts) never went down. */
function wentDown(scrapes: readonly Scrape[]): string[] {
  const monotonic = /(_total|_bucket|_count)(\{|$)/;
  const found: string[] = [];
  for (let i = 1; i < scrapes.length; i++) {
    for (const [series, value] of scrapes[i]?.values ?? []) {
      const before = scrapes[i - 1]?.values.get(series);
      if (monotonic.test(series) && before !== undefined && value < before) found.push(`${series}: ${before} → ${value} (scrape ${i})`);
    }
  }
  return found;
}

function promtoolProblems(text: string): string | undefined {
  const result = spawnSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8', timeout: 10_000 });
  return result.status === 0 ? undefined : `${result.stdout}${result.stderr}`;
}

const havePromtool = existsSync(PROMTOOL);
const havePrometheus = existsSync(PROMETHEUS);
if (!havePromtool) console.warn(`SKIPPED: the promtool format checks: ${PROMTOOL} is missing (Debian package prometheus)`);
if (!havePrometheus) console.warn(`SKIPPED: the real-Prometheus test: ${PROMETHEUS} is missing (Debian package prometheus)`);

const sumOf = (values: Map<string, number>, prefix: string): number => [...values].filter(([k]) => k.startsWith(prefix)).reduce((n, [, v]) => n + v, 0);

describe('run --metrics-port against a fleet that drops, stalls and corrupts', () => {
  let sim: RunningSimulator;
  let run: CliResult;
  let scrapes: Scrape[];
  let closed: boolean;
  let refusedAfterExit: boolean;
  let report: Report;
  const output = join(dir, 'run.json');

  beforeAll(async () => {
    sim = await startSimulator({ cameras: 4, inactive: 0, fps: 10, frameBytes: 2_000, seed: 7, faults: { ...FAULTS, ...STALE } });
    const child = startCli([
      '--api-url',
      sim.apiUrl,
      '--max-streams',
      '6',
      '--streams-per-camera',
      '2',
      '--duration',
      '3s',
      '--stall-timeout',
      '400ms',
      '--backoff-max',
      '300ms',
      '--freeze-timeout',
      '300ms',
      '--metrics-port',
      '0',
      '--metrics-per-camera',
      '--output',
      output,
      '--log',
      join(dir, 'run.log'),
    ]);
    child.stdin.end();
    const exit = waitForExit(child, 25_000);
    const url = (await waitForLine(child, /^Metrics: http:\/\/127\.0\.0\.1:\d+\/metrics$/)).slice('Metrics: '.length);
    ({ scrapes, closed } = await scrapeUntilClosed(url, 200));
    run = await exit;
    refusedAfterExit = await fetch(url).then(
      () => false,
      () => true,
    );
    report = readJson<Report>(output);
  }, 40_000);
  afterAll(() => sim.close());

  it('ran, with faults, and was scraped while it ran', () => {
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(report.summary.totalReconnections).toBeGreaterThan(0);
    expect(report.summary.totalStalls).toBeGreaterThan(0);
    expect(report.summary.corruptFrames).toBeGreaterThan(0);
    expect(scrapes.length).toBeGreaterThanOrEqual(8);
    const during = scrapes.filter((s) => (s.values.get('camera_load_streams_open') ?? 0) > 0);
    expect(during.length).toBeGreaterThanOrEqual(3);
    expect(during[0]?.values.get('camera_load_streams_planned')).toBe(6);
  });

  it('every counter and bucket only went up', () => {
    expect(wentDown(scrapes)).toEqual([]);
    const frames = scrapes.map((s) => s.values.get('camera_load_frames_total') ?? -1);
    expect(new Set(frames).size).toBeGreaterThan(3);
  });

  it("the last scrape, after the streams stopped, holds the report's figures exactly", () => {
    const last = scrapes.at(-1)?.values ?? new Map<string, number>();
    const s = report.summary;
    expect(last.get('camera_load_frames_total')).toBe(s.totalFrames);
    expect(last.get('camera_load_received_bytes_total')).toBe(s.totalBytes);
    expect(last.get('camera_load_reconnections_total')).toBe(s.totalReconnections);
    expect(last.get('camera_load_stalls_total')).toBe(s.totalStalls);
    expect(last.get('camera_load_corrupt_frames_total')).toBe(s.corruptFrames);
    const ends = Object.fromEntries(
      [...last].flatMap(
        ([k, v]) =>
          /^camera_load_connection_ends_total\{code="(.+)"\}$/
            .exec(k)
            ?.slice(1, 2)
            .map((code) => [code, v]) ?? [],
      ),
    );
    expect(ends).toEqual(s.errors);
    expect(last.get('camera_load_streams_open')).toBe(0);
    expect(last.get('camera_load_frame_gap_seconds_count')).toBe(report.streams.reduce((n, stream) => n + stream.frameGapMs.count, 0));
    expect(last.get('camera_load_time_to_first_frame_seconds_count')).toBe(s.streamsOpened);
  });

  it("freshness: repeated frames, FROZEN events and timestamped frames end on the report's, the delay on what lag added", () => {
    const last = scrapes.at(-1)?.values ?? new Map<string, number>();
    const f = report.summary.freshness;
    expect(f.repeatedFrames).toBeGreaterThan(0);
    expect(f.frozenEvents).toBeGreaterThan(0);
    expect(f.timestampedFrames).toBeGreaterThan(0);
    expect(last.get('camera_load_frames_repeated_total')).toBe(f.repeatedFrames);
    expect(last.get('camera_load_frozen_total')).toBe(f.frozenEvents);
    expect(last.get('camera_load_frame_delay_seconds_count')).toBe(f.timestampedFrames);
    expect(sumOf(last, 'camera_load_camera_frames_repeated_total{')).toBe(f.repeatedFrames);
    expect(sumOf(last, 'camera_load_camera_frozen_total{')).toBe(f.frozenEvents);
    expect(sumOf(last, 'camera_load_camera_frame_delay_seconds_count{')).toBe(f.timestampedFrames);
    // Lag delays half the cameras' frames more and more (from each connection's start): some delay shows.
    expect(last.get('camera_load_frame_delay_max_seconds')).toBeGreaterThan(0);
    expect(last.get('camera_load_frame_delay_seconds_sum')).toBeGreaterThan(0);
  });

  it('per camera (--metrics-per-camera): one series per camera, adding up to the totals', () => {
    const last = scrapes.at(-1)?.values ?? new Map<string, number>();
    const cameras = new Set(report.streams.map((stream) => stream.cameraId));
    expect([...last.keys()].filter((k) => k.startsWith('camera_load_camera_frames_total{')).length).toBe(cameras.size);
    expect(sumOf(last, 'camera_load_camera_frames_total{')).toBe(report.summary.totalFrames);
    expect(sumOf(last, 'camera_load_camera_reconnections_total{')).toBe(report.summary.totalReconnections);
    expect(sumOf(last, 'camera_load_camera_received_bytes_total{')).toBe(report.summary.totalBytes);
  });

  it('the endpoint closed when the run ended', () => {
    expect(closed).toBe(true);
    expect(refusedAfterExit).toBe(true);
  });

  it.skipIf(!havePromtool)('promtool check metrics passes, during the run and at its end', () => {
    const middle = scrapes[Math.floor(scrapes.length / 2)]?.text ?? '';
    expect(promtoolProblems(middle)).toBeUndefined();
    expect(promtoolProblems(scrapes.at(-1)?.text ?? '')).toBeUndefined();
  });
});

describe('max --metrics-port: one series across the trials', () => {
  it('shows which trial runs, and its counters add up over the trials without going back', async () => {
    const sim = await startSimulator({ cameras: 4, inactive: 0, fps: 10, frameBytes: 2_000, seed: 3 });
    try {
      const output = join(dir, 'max.json');
      // No level can hold 100 fps: the search tries 4, then 2 (--min), and stops.
      const child = startCli([
        'max',
        '--api-url',
        sim.apiUrl,
        '--start',
        '4',
        '--min',
        '2',
        '--trial',
        '1s',
        '--cooldown',
        '0',
        '--min-fps',
        '100',
        '--metrics-port',
        '0',
        '--output',
        output,
        '--log',
        join(dir, 'max.log'),
      ]);
      child.stdin.end();
      const exit = waitForExit(child, 25_000);
      const url = (await waitForLine(child, /^Metrics: /)).slice('Metrics: '.length);
      const { scrapes, closed } = await scrapeUntilClosed(url, 150);
      const result = await exit;
      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 1, stderr: '' });
      const report = readJson<MaxReport>(output);
      expect(report.trials.map((t) => t.level)).toEqual([4, 2]);
      const trials = new Set(scrapes.flatMap((s) => [...s.values.keys()].filter((k) => k.startsWith('camera_load_trial_info'))));
      expect(trials).toEqual(new Set(['camera_load_trial_info{trial="1",streams="4"}', 'camera_load_trial_info{trial="2",streams="2"}']));
      expect(wentDown(scrapes)).toEqual([]);
      const last = scrapes.at(-1)?.values;
      expect(last?.get('camera_load_frames_total')).toBe(report.trials.reduce((n, t) => n + t.summary.totalFrames, 0));
      expect(last?.get('camera_load_received_bytes_total')).toBe(report.trials.reduce((n, t) => n + t.summary.totalBytes, 0));
      expect(last?.get(`camera_load_run_info{version="${VERSION}",command="max",shard="1/1"}`)).toBe(1);
      expect(closed).toBe(true);
      if (havePromtool) expect(promtoolProblems(scrapes.at(-1)?.text ?? '')).toBeUndefined();
    } finally {
      await sim.close();
    }
  }, 40_000);
});

describe('a real Prometheus scraping the run every second', () => {
  let prometheus: ChildProcess | undefined;
  afterAll(async () => {
    const child = prometheus;
    if (child?.exitCode !== null || child.signalCode !== null) return;
    // Bounded: SIGKILL if it has not stopped 3 s after SIGTERM.
    const stopped = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
    await stopped;
    clearTimeout(timer);
  });

  it.skipIf(!havePrometheus)(
    "ends on the report's totalFrames, from a scrape after the streams stopped",
    async () => {
      const sim = await startSimulator({
        cameras: 3,
        inactive: 0,
        fps: 10,
        frameBytes: 2_000,
        seed: 5,
        faults: { dropEveryFrames: { value: 9, share: 0.34 } },
      });
      try {
        const [metricsPort, webPort] = [await freePort(), await freePort()];
        const home = join(dir, 'prometheus');
        mkdirSync(home, { recursive: true });
        const config = join(home, 'prometheus.yml');
        writeFileSync(
          config,
          `global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n  - job_name: camera-load\n    static_configs:\n      - targets: ['127.0.0.1:${metricsPort}']\n`,
        );
        prometheus = spawn(PROMETHEUS, [`--config.file=${config}`, `--storage.tsdb.path=${join(home, 'data')}`, `--web.listen-address=127.0.0.1:${webPort}`], {
          stdio: 'ignore',
        });
        const api = `http://127.0.0.1:${webPort}`;
        // Ready, and the target discovered: Prometheus hands discovered targets to its scrapers at most every 5 s.
        // Before it is ready, Prometheus answers 503 in plain text, or not at all: count those as nothing yet.
        const targets = (): Promise<number> =>
          fetch(`${api}/api/v1/targets`)
            .then(async (r) => (r.ok ? ((await r.json()) as { data: { activeTargets: unknown[] } }).data.activeTargets.length : 0))
            .catch(() => 0);
        let discovered = 0;
        for (let i = 0; i < 150 && discovered === 0; i++) {
          discovered = await targets();
          if (discovered === 0) await sleep(100);
        }
        expect(discovered).toBe(1);

        const output = join(dir, 'prometheus-run.json');
        const child = startCli([
          '--api-url',
          sim.apiUrl,
          '--max-streams',
          '3',
          '--duration',
          '4s',
          '--backoff-max',
          '300ms',
          '--metrics-port',
          String(metricsPort),
          '--output',
          output,
          '--log',
          join(dir, 'prometheus-run.log'),
          '--quiet',
        ]);
        child.stdin.end();
        const result = await waitForExit(child, 25_000);
        expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
        const report = readJson<Report>(output);
        const query = async (expr: string): Promise<number | undefined> => {
          const response = await fetch(`${api}/api/v1/query?query=${encodeURIComponent(expr)}`);
          const body = (await response.json()) as { data?: { result?: { value: [number, string] }[] } };
          const value = body.data?.result?.[0]?.value[1];
          return value === undefined ? undefined : Number(value);
        };
        // Staleness markers follow the endpoint's close, so read the last sample over a window. The scrape the exporter
        // waited for is ingested when it answers; a few tries absorb Prometheus's own commit.
        let last: number | undefined;
        for (let i = 0; i < 20 && last !== report.summary.totalFrames; i++) {
          last = await query('last_over_time(camera_load_frames_total{job="camera-load"}[5m])');
          if (last !== report.summary.totalFrames) await sleep(100);
        }
        expect(report.summary.totalFrames).toBeGreaterThan(0);
        expect(last).toBe(report.summary.totalFrames);
        expect(await query('max_over_time(camera_load_frames_total{job="camera-load"}[5m])')).toBe(report.summary.totalFrames);
        expect(await query('last_over_time(camera_load_received_bytes_total{job="camera-load"}[5m])')).toBe(report.summary.totalBytes);
        expect(await query('last_over_time(camera_load_reconnections_total{job="camera-load"}[5m])')).toBe(report.summary.totalReconnections);
        // The simulator stamps every part: the delay summary's count is the report's timestamped frames.
        expect(await query('last_over_time(camera_load_frame_delay_seconds_count{job="camera-load"}[5m])')).toBe(report.summary.freshness.timestampedFrames);
        expect(await query('count_over_time(camera_load_frames_total{job="camera-load"}[5m])')).toBeGreaterThanOrEqual(3);
        // The dashboard's frame-gap query answers (a 200 ms gap at 10 fps).
        const p95 = await query('histogram_quantile(0.95, sum by (le) (increase(camera_load_frame_gap_seconds_bucket[1m])))');
        expect(p95).toBeGreaterThan(0.05);
      } finally {
        await sim.close();
      }
    },
    40_000,
  );
});

describe('bad --metrics-* input: exit 2 before anything opens', () => {
  let sim: RunningSimulator;
  let busy: Server;
  let busyPort: number;
  beforeAll(async () => {
    sim = await startSimulator({ cameras: 2, inactive: 0, fps: 10, frameBytes: 2_000 });
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    busyPort = (busy.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => busy.close(resolve));
    await sim.close();
  });

  it.each([
    ['run, a port in use', [], () => ['--metrics-port', String(busyPort)], /--metrics-port \d+: 127\.0\.0\.1:\d+ is already in use/],
    [
      'max, a port in use',
      ['max', '--trial', '1s', '--cooldown', '0'],
      () => ['--metrics-port', String(busyPort)],
      /--metrics-port \d+: 127\.0\.0\.1:\d+ is already in use/,
    ],
    ['a host that is not this machine', [], () => ['--metrics-port', '0', '--metrics-host', '192.0.2.1'], /--metrics-host 192\.0\.2\.1: cannot listen there/],
    ['a host that is not a host', [], () => ['--metrics-port', '0', '--metrics-host', 'http://x'], /--metrics-host expects a host name/],
    ['a port out of range', [], () => ['--metrics-port', '70000'], /--metrics-port/],
  ])('%s', async (name, command: string[], flags: () => string[], message: RegExp) => {
    const log = join(dir, `bad-${name.replace(/\W+/g, '-')}.log`);
    const child = startCli([
      ...(command.length > 0 ? command : ['run', '--duration', '2s']),
      '--api-url',
      sim.apiUrl,
      ...flags(),
      '--output',
      join(dir, 'bad.json'),
      '--log',
      log,
    ]);
    child.stdin.end();
    const result = await waitForExit(child, 15_000);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    // Nothing was asked of the fleet, and no log was started.
    expect(sim.stats().totals.requests).toBe(0);
    expect(existsSync(log)).toBe(false);
  });
});
