import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/report-types.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { schemaErrors } from '../helpers/report-schema.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { readJson } from '../helpers/read-json.js';

const dir = tempDir('shards');
const shardFile = (i: number): string => join(dir, `shard-${i}.json`);

describe('a sharded run: three processes as Indexed Job pods would start them, merged exactly', () => {
  let sim: RunningSimulator;
  let framesSent = 0;
  let connections = 0;
  let stdouts: string[] = [];

  beforeAll(async () => {
    sim = await startSimulator({ cameras: 6, inactive: 0, fps: 10, frameBytes: 2_000 });
    const common = ['--api-url', sim.apiUrl, '--max-streams', '9', '--streams-per-camera', '2', '--duration', '3s'];
    // Two pods by JOB_COMPLETION_INDEX (0-based), the middle one by hand (1-based): the same plan either way.
    const runs = await Promise.all([
      runCli([...common, '--shards', '3', '--output', shardFile(1), '--log', join(dir, 'shard-1.log')], {
        env: { JOB_COMPLETION_INDEX: '0' },
        timeoutMs: 30_000,
      }),
      runCli([...common, '--shard', '2/3', '--output', shardFile(2), '--log', join(dir, 'shard-2.log')], { timeoutMs: 30_000 }),
      runCli(
        [
          ...common,
          '--shards',
          '3',
          '--output',
          shardFile(3),
          '--log',
          join(dir, 'shard-3.log'),
          '--html',
          join(dir, 'shard-3.html'),
          '--junit',
          join(dir, 'shard-3.xml'),
        ],
        {
          env: { JOB_COMPLETION_INDEX: '2', GITHUB_STEP_SUMMARY: join(dir, 'step-summary-3.md') },
          timeoutMs: 30_000,
        },
      ),
    ]);
    for (const run of runs) expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    stdouts = runs.map((run) => run.stdout);
    // Let the fleet count the last writes of the closed connections.
    await new Promise((resolve) => setTimeout(resolve, 200));
    ({ framesSent, connections } = sim.stats().totals);
  }, 60_000);
  afterAll(() => sim.close());

  it('each shard opens its round-robin share and records it', () => {
    const shares = [1, 2, 3].map((i) => readJson<Report>(shardFile(i)));
    expect(shares.map((r) => r.streams.map((s) => s.index))).toEqual([
      [0, 3, 6],
      [1, 4, 7],
      [2, 5, 8],
    ]);
    expect(shares.map((r) => r.shard)).toEqual([1, 2, 3].map((index) => ({ index, count: 3 })));
    expect(new Set(shares.map((r) => r.planFingerprint)).size).toBe(1);
    for (const r of shares) expect(schemaErrors(r)).toBe('');
  });

  it('each shard says which share it is in every output, and that its verdict is its own only', () => {
    // --shard 2/3 by hand, and --shards 3 with JOB_COMPLETION_INDEX=2: the summary's first lines.
    for (const [i, stdout] of [
      [2, stdouts[1]],
      [3, stdouts[2]],
    ] as const) {
      const lines = (stdout ?? '').split('\n');
      expect(lines[0]).toMatch(new RegExp(`^Streaming 3 streams \\(shard ${i} of 3\\) from `));
      const verdict = lines.findIndex((line) => line.startsWith('camera-load: '));
      expect(lines[verdict]).toMatch(new RegExp(`^camera-load: PASSED \\(shard ${i} of 3\\) — `));
      expect(lines[verdict + 1]).toBe(
        `  This verdict is shard ${i} of 3's only (its 3 streams): \`camera-load merge\` of all 3 shard reports gives the whole test's.`,
      );
    }
    const markdown = readFileSync(join(dir, 'step-summary-3.md'), 'utf8');
    expect(markdown).toMatch(/^## camera-load: PASSED \(shard 3 of 3\)\n/);
    expect(markdown).toContain("> This verdict is shard 3 of 3's only (its 3 streams): `camera-load merge` of all 3 shard reports gives the whole test's.");
    const junit = readFileSync(join(dir, 'shard-3.xml'), 'utf8');
    expect(junit.match(/<testsuite name="[^"]*"/g)).toEqual([
      '<testsuite name="camera-load thresholds (shard 3 of 3)"',
      '<testsuite name="camera-load streams (shard 3 of 3)"',
    ]);
    expect(junit).toContain('<property name="camera-load.scope" value="This verdict is shard 3 of 3&apos;s only');
    const page = readFileSync(join(dir, 'shard-3.html'), 'utf8');
    expect(page).toContain('<title>camera-load: PASSED (shard 3 of 3)</title>');
    expect(page).toContain(
      'This verdict is shard 3 of 3&#39;s only (its 3 streams): <code>camera-load merge</code> of all 3 shard reports gives the whole test&#39;s.',
    );
    // The whole test's outputs need no such reminder: the merge's own summary names no shard.
  });

  it('merge: every stream once, in global order, frames as the simulator sent them', async () => {
    const out = join(dir, 'merged.json');
    const result = await runCli(['merge', shardFile(3), shardFile(1), shardFile(2), '--output', out, '--threshold', 'streams.opened_ratio>=1']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Streams opened: +9 of 9 streams/);
    const merged = readJson<Report>(out);
    expect(schemaErrors(merged)).toBe('');
    expect(result.stdout).not.toMatch(/shard \d of 3|This verdict is/);
    expect(merged.streams.map((s) => s.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(merged.shards?.map((s) => s.index)).toEqual([1, 2, 3]);
    // The configuration is the merge's: the threshold it checked, no shard's share or files as the test's.
    expect(merged.config.thresholds).toEqual(['streams.opened_ratio>=1']);
    expect(merged.config).not.toHaveProperty('shard');
    expect(merged.config).not.toHaveProperty('output');
    expect(merged.shards?.map((s) => s.config?.shard)).toEqual([1, 2, 3].map((index) => ({ index, count: 3 })));
    expect(merged.shards?.map((s) => s.config?.output)).toEqual([1, 2, 3].map(shardFile));
    const shardTotal = [1, 2, 3].reduce((sum, i) => sum + readJson<Report>(shardFile(i)).summary.totalFrames, 0);
    expect(merged.summary.totalFrames).toBe(shardTotal);
    expect(merged.summary.totalFrames).toBeLessThanOrEqual(framesSent);
    // A frame in flight when a shard stopped was sent but not received: at most one per connection.
    expect(merged.summary.totalFrames).toBeGreaterThanOrEqual(framesSent - connections);
    expect(merged.summary.streamsRequested).toBe(9);
    expect(merged.summary.camerasUsed).toBe(6);
    expect(merged.timeline.length).toBeGreaterThan(0);
  });

  it('a failed threshold on the merged figures exits 1', async () => {
    const result = await runCli([
      'merge',
      shardFile(1),
      shardFile(2),
      shardFile(3),
      '--output',
      join(dir, 'merged-1.json'),
      '--threshold',
      'frames<1',
      '--quiet',
    ]);
    expect(result.code).toBe(1);
  });

  it.each([
    ['a shard given twice', [1, 1, 2, 3]],
    ['a missing shard', [1, 3]],
  ])('refuses %s: exit 2, one line, nothing written', async (_, shardsGiven) => {
    const out = join(dir, `refused-${shardsGiven.join('')}.json`);
    const result = await runCli(['merge', ...shardsGiven.map(shardFile), '--output', out]);
    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(shardsGiven.length === 2 ? /ERR_MERGE_MISSING_SHARD/ : /ERR_MERGE_DUPLICATE_SHARD/);
    expect(existsSync(out)).toBe(false);
  });

  it('--allow-partial merges the shards there are, marked partial', async () => {
    const out = join(dir, 'partial.json');
    const result = await runCli(['merge', shardFile(1), shardFile(3), '--output', out, '--allow-partial']);
    expect(result.code).toBe(0);
    const merged = readJson<Report>(out);
    expect(merged.partial).toBe(true);
    expect(merged.missingShards).toEqual([2]);
    expect(merged.streams.map((s) => s.index)).toEqual([0, 2, 3, 5, 6, 8]);
  });

  it('a file that is not a report: exit 2', async () => {
    const junk = join(dir, 'junk.json');
    writeFileSync(junk, '{"hello": 1}');
    const result = await runCli(['merge', junk, '--output', join(dir, 'never.json')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/ERR_MERGE_NOT_A_REPORT/);
  });
});

describe('shard flags: a usage error before anything runs', () => {
  it.each([
    [['--shards', '3'], { JOB_COMPLETION_INDEX: '' }, /JOB_COMPLETION_INDEX/],
    [['--shards', '3'], { JOB_COMPLETION_INDEX: '3' }, /JOB_COMPLETION_INDEX must be a whole number from 0 to 2/],
    [['--shard', '4/3'], {}, /--shard expects i\/n/],
    [['--shard', '0/3'], {}, /--shard expects i\/n/],
    [['--shard', '1/3', '--shards', '3'], { JOB_COMPLETION_INDEX: '0' }, /choose one of --shard/],
  ])('%j', async (args, env, message) => {
    const result = await runCli(['--api-url', 'http://127.0.0.1:1/', ...args, '--output', join(dir, 'bad.json'), '--log', join(dir, 'bad.log')], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});
