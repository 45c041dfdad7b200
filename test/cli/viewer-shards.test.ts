import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/report-types.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { readJson } from '../helpers/read-json.js';
import { schemaErrors } from '../helpers/report-schema.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

// Viewer groups in a sharded run, as users run one: every shard draws the same groups over the whole plan (the
// seed), so the shards' streams carry the groups one process would have given them, and the merge's groups are
// the shards' streams summed again, exactly.

const dir = tempDir('viewer-shards');

describe('viewer groups over shards', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ cameras: 8, inactive: 0, fps: 10, frameBytes: 4_000 });
  });
  afterAll(() => sim.close());

  it('the shards draw one plan of groups, and merge sums each group from their streams', async () => {
    const report = (name: string): string => join(dir, `${name}.json`);
    const common = ['--api-url', sim.apiUrl, '--max-streams', '8', '--duration', '4s', '--quiet', '--seed', '7'];
    const groups = ['--slow-viewers', '25%@20kB/s', '--stuck-viewers', '25%', '--lead-in', '1s'];
    const runs = await Promise.all([
      runCli([...common, ...groups, '--output', report('whole'), '--log', join(dir, 'whole.log')]),
      ...[1, 2].map((i) => runCli([...common, ...groups, '--shard', `${i}/2`, '--output', report(`shard-${i}`), '--log', join(dir, `shard-${i}.log`)])),
    ]);
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    const merged = await runCli(['merge', report('shard-1'), report('shard-2'), '--output', report('merged'), '--quiet']);
    expect(merged.code, merged.stderr).toBe(0);
    const [whole, one, two, sum] = ['whole', 'shard-1', 'shard-2', 'merged'].map((name) => readJson<Report>(report(name)));
    const groupOf = (r: Report | undefined) => Object.fromEntries((r?.streams ?? []).map((s) => [s.index, s.viewers]));
    // The same stream index, the same group, in the whole run and in whichever shard holds it.
    expect({ ...groupOf(one), ...groupOf(two) }).toEqual(groupOf(whole));
    expect(Object.values(groupOf(whole)).sort()).toEqual(['normal', 'normal', 'normal', 'normal', 'slow', 'slow', 'stuck', 'stuck']);
    // Spread over the cameras: each group's streams on distinct cameras.
    for (const name of ['slow', 'stuck']) {
      const cameras = (whole?.streams ?? []).filter((s) => s.viewers === name).map((s) => s.cameraId);
      expect(new Set(cameras).size).toBe(cameras.length);
    }
    expect(one?.planFingerprint).toBe(two?.planFingerprint);
    expect(schemaErrors(sum)).toBe('');
    for (const group of sum?.viewerGroups ?? []) {
      const streams = (sum?.streams ?? []).filter((s) => (s.viewers ?? 'normal') === group.group);
      expect(group.summary.streamsPlanned).toBe(streams.length);
      expect(group.summary.totalFrames).toBe(streams.reduce((n, s) => n + s.frames, 0));
    }
    expect(sum?.viewerGroups?.find((g) => g.group === 'normal')?.isolation).toBeDefined();
  }, 60_000);

  it('a different seed draws other groups, and the fingerprint says the plans differ', async () => {
    const run = (seed: string, name: string) =>
      runCli([
        '--api-url',
        sim.apiUrl,
        '--max-streams',
        '8',
        '--duration',
        '2s',
        '--quiet',
        '--seed',
        seed,
        '--stuck-viewers',
        '50%',
        '--lead-in',
        '1s',
        '--output',
        join(dir, `${name}.json`),
        '--log',
        join(dir, `${name}.log`),
      ]);
    const results = await Promise.all([run('1', 'seed-1'), run('2', 'seed-2')]);
    for (const result of results) expect(result.code, result.stderr).toBe(0);
    const [a, b] = ['seed-1', 'seed-2'].map((name) => readJson<Report>(join(dir, `${name}.json`)));
    expect(a?.planFingerprint).not.toBe(b?.planFingerprint);
    expect(a?.streams.map((s) => s.viewers)).not.toEqual(b?.streams.map((s) => s.viewers));
  }, 60_000);
});
