import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/report-types.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { scrapeUntilClosed, type Scrape } from '../helpers/metrics-text.js';
import { readJson } from '../helpers/read-json.js';
import { startCli, waitForExit, waitForLine, type CliResult } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

// --storm-at with --metrics-port, the CLI spawned like a user against the simulated fleet over real sockets: the
// endpoint counts each storm as it strikes and the dropped viewers until they are back, and ends on the report's storms.

const dir = tempDir('storm-metrics');
const PROMTOOL = '/usr/bin/promtool';

describe('run --storm-at --metrics-port', () => {
  let sim: RunningSimulator;
  let run: CliResult;
  let scrapes: Scrape[];
  let report: Report;

  beforeAll(async () => {
    sim = await startSimulator({ cameras: 2, inactive: 0, fps: 10, frameBytes: 2_000, seed: 3 });
    const output = join(dir, 'run.json');
    const child = startCli([
      '--api-url',
      sim.apiUrl,
      '--streams-per-camera',
      '2',
      '--duration',
      '3',
      '--storm-at',
      '1s,2s:immediate',
      '--metrics-port',
      '0',
      '--output',
      output,
      '--log',
      join(dir, 'run.log'),
    ]);
    child.stdin.end();
    const exit = waitForExit(child, 25_000);
    const url = (await waitForLine(child, /^Metrics: http:\/\/127\.0\.0\.1:\d+\/metrics$/)).slice('Metrics: '.length);
    scrapes = (await scrapeUntilClosed(url, 50)).scrapes;
    run = await exit;
    report = readJson<Report>(output);
  }, 40_000);
  afterAll(() => sim.close());

  it('ran its two storms, every viewer back, and was scraped through them', () => {
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    const open = report.summary.streamsPlanned;
    expect(open).toBeGreaterThanOrEqual(2);
    expect(report.storms?.map((s) => [s.storm, s.viewers, s.recovered])).toEqual([
      [1, open, open],
      [2, open, open],
    ]);
    expect(scrapes.length).toBeGreaterThanOrEqual(20);
  });

  /** The scrapes from the run's set-up on: the endpoint listens before the runner exists, and serves its families from then. */
  const followed = (): Scrape[] => scrapes.slice(scrapes.findIndex((s) => s.values.has('camera_load_storms_total')));

  it('counted the storms as they struck, never going back, from the run`s set-up on', () => {
    const struck = followed().map((s) => s.values.get('camera_load_storms_total'));
    expect(struck.every((n) => n !== undefined)).toBe(true);
    expect(struck).toEqual([...struck].sort((a, b) => (a ?? 0) - (b ?? 0)));
    expect([...new Set(struck)]).toEqual([0, 1, 2]);
  });

  it('saw dropped viewers still without a frame, never more than a storm dropped, and ends with none', () => {
    const recovering = followed().map((s) => s.values.get('camera_load_storm_recovering_viewers') ?? Number.NaN);
    expect(recovering.every((n) => n >= 0 && n <= report.summary.streamsPlanned)).toBe(true);
    // Reconnecting under backoff takes up to a second: some scrape falls in it.
    expect(recovering.some((n) => n > 0)).toBe(true);
    expect(recovering.at(-1)).toBe(0);
    expect(scrapes.at(-1)?.values.get('camera_load_storms_total')).toBe(report.storms?.length);
  });

  it.skipIf(!existsSync(PROMTOOL))('promtool check metrics passes, during the run and at its end', () => {
    for (const scrape of [scrapes[Math.floor(scrapes.length / 2)], scrapes.at(-1)]) {
      const result = spawnSync(PROMTOOL, ['check', 'metrics'], { input: scrape?.text ?? '', encoding: 'utf8', timeout: 10_000 });
      expect(`${result.stdout}${result.stderr}`).toBe('');
    }
  });
});
