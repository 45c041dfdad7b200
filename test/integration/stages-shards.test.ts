import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/report-types.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { readJson } from '../helpers/read-json.js';
import { runCli } from '../helpers/run-cli.js';
import { plannedMoves, stagePlan } from '../helpers/stage-plan.js';
import { tempDir } from '../helpers/temp-dir.js';

// A staged run split over two processes (--shard 1/2, --shard 2/2) against one simulated fleet, as two pods would run
// it: each opens and closes its own slots of the plan at the plan's instants, and together they make the plan's
// arrivals and departures, stage by stage.

const dir = tempDir('stages-shards');
const shardFile = (i: number): string => join(dir, `shard-${i}.json`);

// 2 cameras × 2 streams at 10 fps. Up to 4 over 1 s (0, 0.25, 0.5, 0.75 s), down to 1 over 1 s (slots 3 and 2 leave
// at 1.33 and 1.67 s; slot 1 closes at 2 s and opens again at once), back up to 4 over 1 s (2 and 3 return at 2.33
// and 2.67 s): every arrival and departure 0.25 s or more from a stage's boundary.
const STAGES = '1s:4,1s:1,1s:4';

describe('a staged run in two shards', () => {
  const plan = stagePlan(STAGES);
  let sim: RunningSimulator;
  let shards: Report[];

  beforeAll(async () => {
    sim = await startSimulator({ cameras: 2, inactive: 0, fps: 10, frameBytes: 2_000 });
    const common = ['--api-url', sim.apiUrl, '--streams-per-camera', '2', '--stages', STAGES, '--quiet'];
    const runs = await Promise.all(
      [1, 2].map((i) => runCli([...common, '--shard', `${i}/2`, '--output', shardFile(i), '--log', join(dir, `shard-${i}.log`)], { timeoutMs: 30_000 })),
    );
    for (const run of runs) expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    shards = [1, 2].map((i) => readJson<Report>(shardFile(i)));
  }, 60_000);
  afterAll(() => sim.close());

  it("each shard's arrivals and departures per stage are its own slots' in the plan, and both add up to the plan's", () => {
    const moves = (r: Report) => r.stages?.map(({ arrivals, departures }) => ({ arrivals, departures }));
    expect(shards.map((r) => r.streams.map((s) => s.index))).toEqual([
      [0, 2],
      [1, 3],
    ]);
    expect(new Set(shards.map((r) => r.planFingerprint)).size).toBe(1);
    // Shard i (1-based) holds the slots i − 1, i − 1 + 2, … (round-robin).
    for (const [i, shard] of shards.entries()) expect(moves(shard)).toEqual(plannedMoves(plan, (slot) => slot % 2 === i));
    const whole = plannedMoves(plan);
    expect(whole).toEqual([
      { arrivals: 4, departures: 0 },
      { arrivals: 0, departures: 2 },
      { arrivals: 2, departures: 0 },
    ]);
    const added = whole.map((_, stage) => ({
      arrivals: shards.reduce((n, r) => n + (r.stages?.[stage]?.arrivals ?? 0), 0),
      departures: shards.reduce((n, r) => n + (r.stages?.[stage]?.departures ?? 0), 0),
    }));
    expect(added).toEqual(whole);
    // One connection per arrival, whichever shard made it.
    expect(sim.stats().totals.connections).toBe(6);
  });

  it("merged, the report's stage table has the plan's arrivals and departures", async () => {
    const out = join(dir, 'merged.json');
    const result = await runCli(['merge', shardFile(2), shardFile(1), '--output', out, '--quiet']);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    const merged = readJson<Report>(out);
    expect(merged.streams.map((s) => s.index)).toEqual([0, 1, 2, 3]);
    expect(merged.stages?.map(({ arrivals, departures }) => ({ arrivals, departures }))).toEqual(plannedMoves(plan));
    expect(merged.stages?.map((s) => s.target)).toEqual(plan.spans.map((s) => ({ from: s.fromTarget, to: s.toTarget })));
    expect(merged.stages?.reduce((n, s) => n + s.frames, 0)).toBeLessThanOrEqual(merged.summary.totalFrames);
  });
});
