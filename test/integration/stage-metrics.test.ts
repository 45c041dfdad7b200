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

// --stages with --metrics-port, the CLI spawned like a user against the simulated fleet over real sockets: the
// endpoint serves the stage under way and the target now while it runs, and ends on the last stage.

const dir = tempDir('stage-metrics');
const PROMTOOL = '/usr/bin/promtool';

describe('run --stages --metrics-port', () => {
  let sim: RunningSimulator;
  let run: CliResult;
  let scrapes: Scrape[];
  let report: Report;

  beforeAll(async () => {
    sim = await startSimulator({ cameras: 2, inactive: 0, fps: 10, frameBytes: 2_000, seed: 3 });
    const output = join(dir, 'run.json');
    // Up to 4 streams over 1 s, held for 1 s, down to 0 over 1 s.
    const child = startCli([
      '--api-url',
      sim.apiUrl,
      '--streams-per-camera',
      '2',
      '--stages',
      '1s:4,1s:4,1s:0',
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
    scrapes = (await scrapeUntilClosed(url, 100)).scrapes;
    run = await exit;
    report = readJson<Report>(output);
  }, 40_000);
  afterAll(() => sim.close());

  it('ran its three stages and was scraped through them', () => {
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(report.stages?.map((s) => s.stage)).toEqual([1, 2, 3]);
    expect(scrapes.length).toBeGreaterThanOrEqual(10);
  });

  it('served each stage in turn, never going back, with the target within its stage`s ends', () => {
    const seen = scrapes.flatMap((s) => {
      const stage = s.values.get('camera_load_stage');
      return stage === undefined ? [] : [{ stage, target: s.values.get('camera_load_stage_target_streams') ?? Number.NaN }];
    });
    const stages = seen.map((s) => s.stage);
    expect([...new Set(stages)]).toEqual([1, 2, 3]);
    expect(stages).toEqual([...stages].sort((a, b) => a - b));
    const bounds: Record<number, [number, number]> = { 1: [0, 4], 2: [4, 4], 3: [0, 4] };
    for (const { stage, target } of seen) {
      const [low, high] = bounds[stage] ?? [Number.NaN, Number.NaN];
      expect({ stage, target, within: target >= low && target <= high }).toEqual({ stage, target, within: true });
    }
    // The ramp up is seen part of the way, not only at its ends.
    expect(seen.some((s) => s.stage === 1 && s.target > 0 && s.target < 4)).toBe(true);
  });

  it('ends on the last stage and its last target, labelled with its schedule', () => {
    const last = scrapes.at(-1)?.values ?? new Map<string, number>();
    expect(last.get('camera_load_stage')).toBe(3);
    expect(last.get('camera_load_stage_target_streams')).toBe(0);
    expect(last.get('camera_load_stage_info{stage="3",target_from="4",target_to="0"}')).toBe(1);
  });

  it.skipIf(!existsSync(PROMTOOL))('promtool check metrics passes, during the run and at its end', () => {
    for (const scrape of [scrapes[Math.floor(scrapes.length / 2)], scrapes.at(-1)]) {
      const result = spawnSync(PROMTOOL, ['check', 'metrics'], { input: scrape?.text ?? '', encoding: 'utf8', timeout: 10_000 });
      expect(`${result.stdout}${result.stderr}`).toBe('');
    }
  });
});
