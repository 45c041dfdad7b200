import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/report-types.js';
import type { FleetStats } from '../../src/sim/fleet-stats.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { activeCameras } from '../helpers/fleet.js';
import {
  closestToBoundary,
  openModelArgs,
  openModelPlan,
  peakOpen,
  plannedArrivalsPerStage,
  plannedMoves,
  type OpenModelFlags,
  type OpenModelPlan,
} from '../helpers/open-model-plan.js';
import { fleetAfter, runOpenModel } from '../helpers/open-model-run.js';
import { readJson } from '../helpers/read-json.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

// An open-model run split over two processes (--shard 1/2, --shard 2/2, one --seed, one --start-at) against one
// simulated fleet, as two pods would run it: each plans the whole run, keeps its own slots (round-robin) and its
// share of the dropped arrivals (the k-th to shard k % 2), and `camera-load merge` gives back the whole plan.

const dir = tempDir('open-model-shards');

// 3 cameras, 7 s: arrivals are dropped in every stage (1, 4 and 1 of them) and the 8 slots split 4 and 4. Each
// connection sends 4 frames at 40 fps and then nothing (--stall-after 4), and every visit lasts 1 s or more or is cut
// by the run's end 100 ms or more after it began, so the frames camera-load counts are exactly the fleet's.
const SHARDED: OpenModelFlags = { rate: '2s:2/s,3s:6/s,2s:2/s', watch: '1s..2s', popularity: 'uniform', maxStreams: 4, seed: 226 };
const SHARDS = [1, 2] as const;

const moves = (r: Report) => r.stages?.map(({ arrivals, departures, droppedArrivals }) => ({ arrivals, departures, droppedArrivals }));

describe('an open-model run in two shards, merged', () => {
  let sim: RunningSimulator;
  let plan: OpenModelPlan;
  let shards: Report[];
  let merged: Report;
  let fleet: FleetStats;

  beforeAll(async () => {
    sim = await startSimulator({ cameras: 3, inactive: 0, fps: 40, frameBytes: 2_000, faults: { stallAfterFrames: { value: 4, share: 1 } } });
    plan = openModelPlan(activeCameras(sim), SHARDED);
    // Both start on one instant, as two pods would, so the fleet sees the plan's concurrency: 2 s ahead covers both
    // processes' start even on a loaded machine (and a start a little past still starts at once).
    const startAt = new Date(Date.now() + 2_000).toISOString();
    const common = [...openModelArgs(SHARDED), '--stall-timeout', '60s', '--start-at', startAt];
    const runs = await Promise.all(SHARDS.map((i) => runOpenModel(sim, dir, `shard-${i}`, [...common, '--shard', `${i}/2`])));
    shards = runs.map((r) => r.report);
    const out = join(dir, 'merged.json');
    const result = await runCli(['merge', join(dir, 'shard-2.json'), join(dir, 'shard-1.json'), '--output', out, '--quiet']);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    merged = readJson<Report>(out);
    fleet = await fleetAfter(
      sim,
      shards
        .map((r) => r.endedAt)
        .sort()
        .at(-1) as string,
    );
  }, 60_000);
  afterAll(() => sim.close());

  it("the seed's plan drops arrivals in every stage and keeps its instants 100 ms or more from the stages' boundaries", () => {
    expect(plan.slots).toHaveLength(8);
    expect(plannedMoves(plan).map((m) => m.droppedArrivals)).toEqual([1, 4, 1]);
    expect(closestToBoundary(plan)).toBeGreaterThanOrEqual(100);
  });

  it('each shard holds its own slots, on their cameras, and its share of the arrivals taken and dropped, stage by stage', () => {
    expect(new Set(shards.map((r) => r.planFingerprint)).size).toBe(1);
    for (const [k, shard] of shards.entries()) {
      const share = { index: k + 1, count: 2 };
      const mine = plan.slots.flatMap((slot, index) => (index % 2 === k ? [[index, slot.cameraId]] : []));
      expect(
        shard.streams.map((s) => [s.index, s.cameraId]),
        `shard ${share.index}`,
      ).toEqual(mine);
      expect(moves(shard), `shard ${share.index}`).toEqual(plannedMoves(plan, share));
    }
  });

  it("merged: the whole plan's arrivals and dropped arrivals per stage, each arrival's lateness, every slot once", () => {
    const stages = merged.stages ?? [];
    expect(moves(merged)).toEqual(plannedMoves(plan));
    expect(stages.map((s) => s.arrivals + s.droppedArrivals)).toEqual(plannedArrivalsPerStage(plan));
    expect(stages.map((s) => s.arrivalsPerSecond)).toEqual([2, 6, 2]);
    expect(stages.map((s) => s.clientLatenessMs?.count)).toEqual(stages.map((s) => s.arrivals));
    for (const s of stages) expect(s.clientLatenessMs?.p99, `stage ${s.stage}`).toBeLessThan(500);
    expect(merged.streams.map((s) => [s.index, s.cameraId])).toEqual(plan.slots.map((slot, index) => [index, slot.cameraId]));
    expect(merged.summary.streamsRequested).toBe(plan.slots.length);
  });

  it('merged: every frame the fleet sent, one connection per visit, and the cap kept across both processes', () => {
    const visits = plan.slots.reduce((n, s) => n + s.visits.length, 0);
    expect(fleet.totals.connections).toBe(visits);
    expect(fleet.totals.framesSent).toBe(4 * visits);
    expect(merged.summary.totalFrames).toBe(fleet.totals.framesSent);
    expect(merged.summary.totalReconnections).toBe(0);
    // As in one process (open-model.test.ts), a close may reach the fleet a few ms after the arrival that took its
    // place; here the two processes' clocks also start apart by their timers' lateness at --start-at.
    const allowed = peakOpen(plan, 50);
    expect(allowed - SHARDED.maxStreams).toBeLessThanOrEqual(1);
    expect(fleet.peakOpenStreams).toBeLessThanOrEqual(allowed);
    expect(fleet.peakOpenStreams).toBeGreaterThanOrEqual(SHARDED.maxStreams);
  });
});
