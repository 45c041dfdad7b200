import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMetricsEndpoint } from '../../src/prometheus/endpoint.js';
import type { Report } from '../../src/report/report-types.js';
import { Runner } from '../../src/run/runner.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import type { ViewerPlan } from '../../src/viewers.js';
import { activeCameras } from '../helpers/fleet.js';
import { parseMetricsText as parse } from '../helpers/metrics-text.js';
import { testGroupedPlan, testReport } from '../helpers/run-plan.js';

// The live endpoint of a run with viewer groups, over real sockets: the real Runner holds slow, stuck and normal
// viewers of the simulated fleet (which drops some streams), the endpoint is scraped over HTTP while they run and
// after, and each group's labelled series end on the report's figures for that group. promtool checks the text.

const PROMTOOL = '/usr/bin/promtool';
const havePromtool = existsSync(PROMTOOL);
if (!havePromtool) console.warn(`SKIPPED: the promtool check of the viewer groups' series: ${PROMTOOL} is missing (Debian package prometheus)`);

const VIEWERS: ViewerPlan = {
  behaviours: [
    { group: 'slow', share: 0.25, bytesPerSecond: 20_000 },
    { group: 'stuck', share: 0.25 },
  ],
  leadInMs: 800,
};
const DURATION_MS = 2_500;

describe('--metrics-port with viewer groups, against the simulated fleet', () => {
  let sim: RunningSimulator;
  let report: Report;
  let during: Map<string, number>[];
  let last: { text: string; values: Map<string, number> };

  beforeAll(async () => {
    sim = await startSimulator({ cameras: 8, inactive: 0, fps: 20, frameBytes: 5_000, seed: 11, faults: { dropEveryFrames: { value: 15, share: 0.5 } } });
    const fleet = activeCameras(sim);
    const stdout = new PassThrough();
    const metrics = await openMetricsEndpoint('run', { metrics: { port: 0, host: '127.0.0.1', perCamera: false }, quiet: false }, 'test', {
      stdout,
      mustFinishWithin: () => undefined,
    });
    const url = /^Metrics: (\S+)$/m.exec(String(stdout.read()))?.[1] ?? '';
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const runner = new Runner(testGroupedPlan(fleet, VIEWERS, { durationMs: DURATION_MS, stallTimeoutMs: 1_000 }));
    metrics.follow(runner, fleet.length, VIEWERS);
    const running = runner.run(new AbortController().signal);
    during = [];
    // Scraped every 200 ms while the runner runs (its promise settles when the run is over).
    const run = { over: false };
    void running.finally(() => {
      run.over = true;
    });
    while (!run.over) {
      during.push(parse(await (await fetch(url)).text()));
      await sleep(200);
    }
    const outcome = await running;
    const text = await (await fetch(url)).text();
    last = { text, values: parse(text) };
    await metrics.close({ lastScrape: false });
    report = testReport(outcome, DURATION_MS, { viewers: VIEWERS });
  }, 20_000);
  afterAll(() => sim.close());

  it("each group's series end on the report's figures for that group", () => {
    expect(report.viewerGroups?.map((g) => g.group)).toEqual(['normal', 'slow', 'stuck']);
    expect(report.summary.totalReconnections).toBeGreaterThan(0);
    for (const group of report.viewerGroups ?? []) {
      const s = group.summary;
      const v = (name: string): number | undefined => last.values.get(`camera_load_viewers_${name}{viewers="${group.group}"}`);
      expect(
        {
          frames: v('frames_total'),
          bytes: v('received_bytes_total'),
          reconnections: v('reconnections_total'),
          stalls: v('stalls_total'),
          planned: v('streams_planned'),
          open: v('streams_open'),
          gaps: v('frame_gap_seconds_count'),
          timestamped: v('frame_delay_seconds_count'),
        },
        group.group,
      ).toEqual({
        frames: s.totalFrames,
        bytes: s.totalBytes,
        reconnections: s.totalReconnections,
        stalls: s.totalStalls,
        planned: s.streamsPlanned,
        open: 0,
        gaps: s.frameGapMs.count,
        timestamped: s.freshness.timestampedFrames,
      });
      const ends = Object.fromEntries(
        [...last.values].flatMap(([k, n]) => {
          const code = new RegExp(`^camera_load_viewers_connection_ends_total\\{viewers="${group.group}",code="(.+)"\\}$`).exec(k)?.[1];
          return code === undefined ? [] : [[code, n]];
        }),
      );
      expect(ends, group.group).toEqual(s.errors);
    }
  });

  it('the unlabelled series stay the whole run, the groups adding up to them', () => {
    const sum = (prefix: string): number => [...last.values].filter(([k]) => k.startsWith(prefix)).reduce((n, [, v]) => n + v, 0);
    expect(last.values.get('camera_load_frames_total')).toBe(report.summary.totalFrames);
    expect(sum('camera_load_viewers_frames_total{')).toBe(report.summary.totalFrames);
    expect(sum('camera_load_viewers_received_bytes_total{')).toBe(report.summary.totalBytes);
    expect(sum('camera_load_viewers_streams_planned{')).toBe(8);
  });

  it('while the run lasted, the stuck and slow viewers were seen to fall behind the normal ones', () => {
    const mid = during.at(-1) ?? new Map<string, number>();
    const perStream = (group: string): number =>
      (mid.get(`camera_load_viewers_frames_total{viewers="${group}"}`) ?? 0) / (mid.get(`camera_load_viewers_streams_planned{viewers="${group}"}`) ?? 1);
    expect(during.length).toBeGreaterThanOrEqual(5);
    expect(perStream('stuck')).toBeLessThan(perStream('normal') / 2);
    expect(perStream('slow')).toBeLessThan(perStream('normal'));
  });

  it.skipIf(!havePromtool)('promtool check metrics passes', () => {
    const result = spawnSync(PROMTOOL, ['check', 'metrics'], { input: last.text, encoding: 'utf8', timeout: 10_000 });
    expect(`${result.stdout}${result.stderr}`).toBe('');
  });
});
