import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/report-types.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { schemaErrors } from '../helpers/report-schema.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

const dir = tempDir('merge-stdout');

describe('merge --output -', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ cameras: 2, inactive: 0, fps: 10, frameBytes: 2_000 });
  });
  afterAll(() => sim.close());

  it('prints the summary, then the merged report as the last line; --quiet prints the report alone', async () => {
    const shard = (i: number): string => join(dir, `shard-${i}.json`);
    const common = ['--api-url', sim.apiUrl, '--max-streams', '2', '--duration', '1s', '--quiet'];
    const runs = await Promise.all([1, 2].map((i) => runCli([...common, '--shard', `${i}/2`, '--output', shard(i), '--log', join(dir, `shard-${i}.log`)])));
    for (const run of runs) expect(run.code).toBe(0);
    const result = await runCli(['merge', shard(1), shard(2), '--output', '-'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const last = result.stdout.trimEnd().split('\n').at(-1) ?? '';
    const merged = JSON.parse(last) as Report;
    expect(schemaErrors(merged)).toBe('');
    expect(merged.streams.map((s) => s.index)).toEqual([0, 1]);
    expect(result.stdout.indexOf('KEY METRICS')).toBeLessThan(result.stdout.indexOf(last));
    const quiet = await runCli(['merge', shard(1), shard(2), '--output', '-', '--quiet'], { cwd: dir });
    expect(quiet.code).toBe(0);
    expect(JSON.parse(quiet.stdout)).toEqual(merged);
  }, 30_000);
});
