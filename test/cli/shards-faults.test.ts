import { setTimeout as sleep } from 'node:timers/promises';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/report-types.js';
import type { FleetStats } from '../../src/sim/fleet-stats.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { schemaErrors } from '../helpers/report-schema.js';
import { runCli, startCli, waitForExit, waitForLine, type CliResult } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { readJson } from '../helpers/read-json.js';

// The integration test: shards started as Kubernetes starts Indexed Job pods (the same command, only
// JOB_COMPLETION_INDEX differs, one --start-at) against a fleet that drops and stalls, merged and held against
// what the simulator counted it sent.

const dir = tempDir('shards-faults');
const FAULTS = { dropEveryFrames: { value: 7, share: 0.5 }, stallAfterFrames: { value: 5, share: 0.34 } };

function fleet(): Promise<RunningSimulator> {
  return startSimulator({ cameras: 6, inactive: 0, fps: 10, frameBytes: 2_000, seed: 4, faults: FAULTS });
}

/** Three pods of one Indexed Job: `--shards 3`, the index from the environment, one start for all. */
function startPods(sim: RunningSimulator, name: string, env: (index: number) => NodeJS.ProcessEnv = () => ({})): ReturnType<typeof startCli>[] {
  const startAt = new Date(Date.now() + 2_500).toISOString();
  const args = [
    '--api-url',
    sim.apiUrl,
    '--max-streams',
    '9',
    '--streams-per-camera',
    '2',
    '--duration',
    '4s',
    '--stall-timeout',
    '500ms',
    '--backoff-max',
    '1s',
    '--shards',
    '3',
    '--start-at',
    startAt,
  ];
  return [0, 1, 2].map((index) =>
    startCli([...args, '--output', join(dir, `${name}-${index + 1}.json`), '--log', join(dir, `${name}-${index + 1}.log`)], {
      env: { ...env(index), JOB_COMPLETION_INDEX: String(index) },
    }),
  );
}

/** The fleet's counters once every connection the shards opened has closed (bounded: 3 s). */
async function settledStats(sim: RunningSimulator): Promise<FleetStats> {
  for (let waited = 0; sim.stats().openStreams > 0 && waited < 3_000; waited += 50) await sleep(50);
  // The last writes of a closing connection are counted a moment after it closes.
  await sleep(200);
  return sim.stats();
}

const pass = (run: CliResult): { code: number | null; stderr: string } => ({ code: run.code, stderr: run.stderr });

describe('three Indexed Job pods against a fleet that drops and stalls, merged: the simulator is the ground truth', () => {
  let sim: RunningSimulator;
  let stats: FleetStats;
  let merged: Report;
  const shardFile = (i: number): string => join(dir, `pod-${i}.json`);
  const out = join(dir, 'merged.json');

  beforeAll(async () => {
    sim = await fleet();
    const runs = await Promise.all(startPods(sim, 'pod').map((child) => waitForExit(child, 30_000)));
    for (const run of runs) expect(pass(run)).toEqual({ code: 0, stderr: '' });
    stats = await settledStats(sim);
    const result = await runCli(['merge', shardFile(2), shardFile(3), shardFile(1), '--output', out, '--threshold', 'streams.opened_ratio>=1']);
    expect(pass(result)).toEqual({ code: 0, stderr: '' });
    merged = readJson<Report>(out);
  }, 60_000);
  afterAll(() => sim.close());

  it('the faults happened: streams on faulty cameras reconnected and stalled', () => {
    expect(stats.cameras.filter((c) => c.faults.length > 0).length).toBeGreaterThan(0);
    expect(stats.totals.serverDrops).toBeGreaterThan(0);
    expect(merged.summary.totalReconnections).toBeGreaterThan(0);
    expect(merged.summary.totalStalls).toBeGreaterThan(0);
  });

  it('the pods started together and each opened its round-robin share', () => {
    const shares = [1, 2, 3].map((i) => readJson<Report>(shardFile(i)));
    expect(shares.map((r) => r.shard)).toEqual([1, 2, 3].map((index) => ({ index, count: 3 })));
    expect(shares.map((r) => r.streams.map((s) => s.index))).toEqual([
      [0, 3, 6],
      [1, 4, 7],
      [2, 5, 8],
    ]);
    const started = shares.map((r) => Date.parse(r.startedAt));
    expect(Math.max(...started) - Math.min(...started)).toBeLessThan(250);
    const startAt = Date.parse(shares[0]?.config.startAt as string);
    for (const at of started) expect(at).toBeGreaterThanOrEqual(startAt);
  });

  it('every stream once, in global order, and per camera the frames the simulator sent (one in flight per connection at most)', () => {
    expect(schemaErrors(merged)).toBe('');
    expect(merged.streams.map((s) => s.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(merged.shards?.map((s) => s.index)).toEqual([1, 2, 3]);
    expect(merged.summary.streamsOpened).toBe(9);
    const cameraIds = new Set(merged.streams.map((s) => s.cameraId));
    expect(cameraIds.size).toBe(6);
    for (const camera of stats.cameras) {
      const streams = merged.streams.filter((s) => s.cameraId === String(camera.id));
      const frames = streams.reduce((sum, s) => sum + s.frames, 0);
      const attempts = streams.reduce((sum, s) => sum + s.reconnections + 1, 0);
      const seen = { camera: camera.id, frames, framesSent: camera.framesSent };
      expect(frames, JSON.stringify(seen)).toBeLessThanOrEqual(camera.framesSent);
      expect(frames, JSON.stringify(seen)).toBeGreaterThanOrEqual(camera.framesSent - camera.connections);
      // The simulator answers every request with a stream; only an attempt cut off by the end of the run can miss it.
      expect(camera.connections).toBeLessThanOrEqual(attempts);
      expect(camera.connections).toBeGreaterThanOrEqual(attempts - streams.length);
    }
    expect(merged.summary.totalFrames).toBe(merged.streams.reduce((sum, s) => sum + s.frames, 0));
  });

  it('thresholds are applied to the merged figures, with run’s exit codes', async () => {
    const failed = await runCli(['merge', shardFile(1), shardFile(2), shardFile(3), '--output', join(dir, 'merged-1.json'), '--threshold', 'reconnections==0']);
    expect(failed.code).toBe(1);
    // Failed on the sum over all shards: the figure the merged report itself carries.
    expect(readJson<Report>(join(dir, 'merged-1.json')).thresholds).toEqual([
      expect.objectContaining({ expression: 'reconnections==0', passed: false, actual: merged.summary.totalReconnections }),
    ]);
    const passed = await runCli([
      'merge',
      shardFile(1),
      shardFile(2),
      shardFile(3),
      '--output',
      join(dir, 'merged-0.json'),
      '--threshold',
      'stalls>=1',
      '--quiet',
    ]);
    expect(passed.code).toBe(0);
  });

  it('a shard written by a camera-load before schema 2 (fps from the first attempt) is refused by name: exit 2, nothing written', async () => {
    const old = join(dir, 'pod-old-2.json');
    writeFileSync(old, JSON.stringify({ ...readJson<Report>(shardFile(2)), schemaVersion: 1 }));
    const result = await runCli(['merge', shardFile(1), old, shardFile(3), '--output', join(dir, 'merged-mixed.json')]);
    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/pod-old-2\.json has report schema 1 and .*pod-1\.json schema 2: their fps are defined differently.*ERR_MERGE_MIXED_SCHEMAS/);
    expect(existsSync(join(dir, 'merged-mixed.json'))).toBe(false);
  });
});

describe('a pod killed mid-run writes no report: the merge refuses it, or with --allow-partial names it', () => {
  let sim: RunningSimulator;
  const shardFile = (i: number): string => join(dir, `killed-${i}.json`);

  beforeAll(async () => {
    sim = await fleet();
    // A killed pod loses every process in it at once. `run` relaunches itself with GC flags, and its child stops
    // cleanly (an interrupted report) when only the launcher dies; so the doomed pod runs as one process.
    const pods = startPods(sim, 'killed', (index) => (index === 1 ? { CAMERA_LOAD_NO_RELAUNCH: '1' } : {}));
    const exits = pods.map((child) => waitForExit(child, 30_000));
    const victim = pods[1] as (typeof pods)[number];
    await waitForLine(victim, /^Streaming /, 15_000);
    await sleep(1_000);
    victim.kill('SIGKILL');
    const [first, killed, third] = await Promise.all(exits);
    expect(killed?.signal).toBe('SIGKILL');
    for (const run of [first, third]) expect(pass(run as CliResult)).toEqual({ code: 0, stderr: '' });
  }, 60_000);
  afterAll(() => sim.close());

  it('the killed pod left no report; the merge without --allow-partial exits 2 naming shard 2', async () => {
    expect(existsSync(shardFile(2))).toBe(false);
    const out = join(dir, 'killed-merged.json');
    const result = await runCli(['merge', shardFile(1), shardFile(3), '--output', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/ERR_MERGE_MISSING_SHARD/);
    // Named, so whoever merges knows which pod to look at.
    expect(result.stderr).toMatch(/\b2 of 3\b/);
    expect(existsSync(out)).toBe(false);
  });

  it('--allow-partial: exit 0, partial, the missing shard named, the others’ streams only', async () => {
    const out = join(dir, 'killed-partial.json');
    const result = await runCli(['merge', shardFile(3), shardFile(1), '--output', out, '--allow-partial']);
    expect(pass(result)).toEqual({ code: 0, stderr: '' });
    const merged = readJson<Report>(out);
    expect(schemaErrors(merged)).toBe('');
    expect(merged.partial).toBe(true);
    expect(merged.missingShards).toEqual([2]);
    expect(merged.shards?.map((s) => s.index)).toEqual([1, 3]);
    expect(merged.streams.map((s) => s.index)).toEqual([0, 2, 3, 5, 6, 8]);
    const failed = await runCli([
      'merge',
      shardFile(1),
      shardFile(3),
      '--output',
      join(dir, 'killed-partial-1.json'),
      '--allow-partial',
      '--threshold',
      'streams.opened>=9',
    ]);
    expect(failed.code).toBe(1);
  });
});
