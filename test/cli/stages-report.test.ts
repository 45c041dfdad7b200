import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report, StageReport } from '../../src/report/report-types.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { readJson } from '../helpers/read-json.js';
import { schemaErrors } from '../helpers/report-schema.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

// A run with --stages as users run one, against the simulated fleet: its report (stage table, streams' stages,
// config.stages) fits the schema, and so do its shards' and their merge, whose stage counts are the shards' added.

const dir = tempDir('stages-report');
const STAGES = '1s:4,2s:4,1s:1,1s:3';

describe('a staged run’s report', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ cameras: 4, inactive: 0, fps: 10, frameBytes: 4_000 });
  });
  afterAll(() => sim.close());

  it('whole, sharded and merged: every report fits the schema, the merge adds the shards’ stages', async () => {
    const file = (name: string): string => join(dir, `${name}.json`);
    const common = ['--api-url', sim.apiUrl, '--stages', STAGES, '--quiet', '--threshold', 'fps.p5{stage:2}>=1', '--threshold', 'errors{stage:3}<100'];
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
      expect(report?.stages?.map((s) => s.stage)).toEqual([1, 2, 3, 4]);
      expect(report?.config.stages).toEqual([
        { durationSeconds: 1, target: 4 },
        { durationSeconds: 2, target: 4 },
        { durationSeconds: 1, target: 1 },
        { durationSeconds: 1, target: 3 },
      ]);
    }
    const shardStages = [one, two].map((r) => r?.stages as StageReport[]);
    sum?.stages?.forEach((stage, i) => {
      for (const key of ['arrivals', 'departures', 'reconnections', 'frames'] as const)
        expect(stage[key], `stage ${i + 1} ${key}`).toBe(shardStages.reduce((n, s) => n + (s[i]?.[key] ?? 0), 0));
      expect(stage.frameGapMs.count).toBe(shardStages.reduce((n, s) => n + (s[i]?.frameGapMs.count ?? 0), 0));
    });
    // The stage thresholds, checked again on the merged figures.
    expect(sum?.thresholds.map((t) => [t.expression, t.passed])).toEqual([
      ['fps.p5{stage:2}>=1', true],
      ['errors{stage:3}<100', true],
    ]);
    // The slots that come and go are the same in a whole run and over the shards.
    expect(sum?.stages?.map((s) => [s.arrivals, s.departures])).toEqual(whole?.stages?.map((s) => [s.arrivals, s.departures]));
    expect(sum?.streams.map((s) => s.stages?.map((v) => v !== null))).toEqual(whole?.streams.map((s) => s.stages?.map((v) => v !== null)));
  }, 60_000);
});
