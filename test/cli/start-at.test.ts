import { setTimeout as sleep } from 'node:timers/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/report-types.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { runCli, startCli, waitForExit, waitForLine } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { readJson } from '../helpers/read-json.js';

const dir = tempDir('start-at');

describe('run --start-at: plan first, wait, start the ramp at the instant', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ cameras: 4, inactive: 0, fps: 10, frameBytes: 2_000 });
  });
  afterAll(() => sim.close());

  const common = (): string[] => ['--api-url', sim.apiUrl, '--max-streams', '4', '--duration', '1s'];

  it('two shards started about 1 s apart begin streaming within 100 ms of each other', async () => {
    const startAt = new Date(Date.now() + 3_000).toISOString();
    const args = (i: number): string[] => [
      ...common(),
      '--shard',
      `${i}/2`,
      '--start-at',
      startAt,
      '--output',
      join(dir, `s${i}.json`),
      '--log',
      join(dir, `s${i}.log`),
    ];
    const first = startCli(args(1));
    const firstExit = waitForExit(first, 20_000);
    await sleep(1_000);
    const second = startCli(args(2));
    const [a, b] = await Promise.all([firstExit, waitForExit(second, 20_000)]);
    for (const run of [a, b]) expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(a.stdout).toMatch(/^Starting at .*, in 0:0[23]; Ctrl\+C to cancel$/m);
    const [r1, r2] = [readJson<Report>(join(dir, 's1.json')), readJson<Report>(join(dir, 's2.json'))];
    const started = [r1, r2].map((r) => Date.parse(r.startedAt));
    expect(Math.abs((started[0] as number) - (started[1] as number))).toBeLessThan(100);
    for (const at of started) expect(at).toBeGreaterThanOrEqual(Date.parse(startAt));
    expect(r1.config.startAt).toBe(startAt);
    expect(r1.summary.streamsOpened + r2.summary.streamsOpened).toBe(4);
  }, 30_000);

  it('a start more than 5 s past is a usage error (exit 2) before anything runs', async () => {
    const log = join(dir, 'passed.log');
    const result = await runCli([...common(), '--start-at', new Date(Date.now() - 60_000).toISOString(), '--log', log]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('ERR_START_PASSED');
    expect(existsSync(log)).toBe(false);
    const far = await runCli([...common(), '--start-at', new Date(Date.now() + 25 * 3_600_000).toISOString()]);
    expect(far.code).toBe(2);
    expect(far.stderr).toContain('ERR_START_TOO_FAR');
  });

  it('Ctrl+C while waiting exits 130 at once, with a report marked interrupted and nothing measured', async () => {
    const out = join(dir, 'interrupted.json');
    const child = startCli([...common(), '--start-at', new Date(Date.now() + 60_000).toISOString(), '--output', out, '--log', join(dir, 'interrupted.log')]);
    const exited = waitForExit(child, 15_000);
    await waitForLine(child, /^Starting at /);
    const asked = Date.now();
    child.kill('SIGINT');
    const result = await exited;
    expect(result.code).toBe(130);
    expect(Date.now() - asked).toBeLessThan(4_000);
    const report = readJson<Report>(out);
    expect(report.interrupted).toBe(true);
    expect(report.summary.streamsOpened).toBe(0);
    expect(report.summary.totalFrames).toBe(0);
    expect(result.stdout).not.toMatch(/^Streaming /m);
  }, 20_000);
});
