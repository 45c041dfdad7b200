import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report, StormReport } from '../../src/report/report-types.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { readJson } from '../helpers/read-json.js';
import { schemaErrors } from '../helpers/report-schema.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

// A run with --storm-at as users run one, against the simulated fleet: its report (storms, config.storms) fits the
// schema, and so do its shards' and their merge, whose storms are the shards' added and pass the threshold.

const dir = tempDir('storms-report');

describe('a stormed run’s report', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ cameras: 4, inactive: 0, fps: 10, frameBytes: 4_000 });
  });
  afterAll(() => sim.close());

  it('whole, sharded and merged: every report fits the schema, the merge adds the shards’ storms', async () => {
    const file = (name: string): string => join(dir, `${name}.json`);
    const common = ['--api-url', sim.apiUrl, '--duration', '4s', '--storm-at', '1500ms,3s:immediate', '--quiet', '--threshold', 'storm.recovery_ms.max<10s'];
    const runs = await Promise.all([
      runCli([...common, '--output', file('whole'), '--log', join(dir, 'whole.log')]),
      ...[1, 2].map((i) => runCli([...common, '--shard', `${i}/2`, '--output', file(`shard-${i}`), '--log', join(dir, `shard-${i}.log`)])),
    ]);
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    const merged = await runCli(['merge', file('shard-1'), file('shard-2'), '--output', file('merged'), '--quiet']);
    expect(merged.code, merged.stderr).toBe(0);
    const [whole, one, two, sum] = ['whole', 'shard-1', 'shard-2', 'merged'].map((name) => readJson<Report>(file(name)));
    for (const report of [whole, one, two, sum]) {
      expect(schemaErrors(report)).toBe('');
      expect(report?.storms?.map((s) => [s.storm, s.atSeconds, s.immediate])).toEqual([
        [1, 1.5, false],
        [2, 3, true],
      ]);
      expect(report?.config.storms).toEqual([
        { atSeconds: 1.5, immediate: false },
        { atSeconds: 3, immediate: true },
      ]);
    }
    const shardStorms = [one, two].map((r) => r?.storms as StormReport[]);
    sum?.storms?.forEach((storm, i) => {
      for (const key of ['viewers', 'recovered', 'attempts'] as const)
        expect(storm[key], `storm ${i + 1} ${key}`).toBe(shardStorms.reduce((n, s) => n + (s[i]?.[key] ?? 0), 0));
      expect(storm.recoveryMs.count).toBe(storm.recovered);
    });
    // Every stream was open at each storm, so each dropped all four, in the whole run as over the shards.
    expect(sum?.storms?.map((s) => s.viewers)).toEqual([4, 4]);
    expect(whole?.storms?.map((s) => s.viewers)).toEqual([4, 4]);
    expect(sum?.thresholds.map((t) => [t.expression, t.passed])).toEqual([['storm.recovery_ms.max<10s', true]]);
    expect(sum?.thresholds[0]?.actual).toBe(Math.max(...(sum?.storms ?? []).map((s) => s.recoveryAllMs ?? Infinity)));
  }, 60_000);
});
