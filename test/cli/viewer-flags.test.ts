import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOneCameraApi, type FixtureServer } from '../helpers/fixture-server.js';
import { readJson } from '../helpers/read-json.js';
import { runCli } from '../helpers/run-cli.js';
import { caseFolders, tempDir } from '../helpers/temp-dir.js';
import { expectRefusedBeforeRun } from '../helpers/refused-run.js';

// The viewer-group flags (issue 29) spawned like a user: a bad value is exit 2 with one line before anything runs,
// max does not take them, and a good one reaches the report's config.

const freshFolder = caseFolders(tempDir('viewer-flags'));

let api: FixtureServer;
beforeAll(async () => {
  api = await startOneCameraApi();
});
afterAll(async () => {
  await api.close();
});

describe('camera-load run: viewer groups refused before anything runs', () => {
  it.each([
    [['--slow-viewers', '0%@1Mbps'], /^camera-load: --slow-viewers expects a share of the streams above 0% and at most 100%.*got '0%@1Mbps'$/],
    [['--slow-viewers', '20%@0Mbps'], /^camera-load: --slow-viewers: a rate of 0 never reads \(that is --stuck-viewers\).*got '20%@0Mbps'$/],
    [['--pausing-viewers', '5%@60s/60s'], /^camera-load: --pausing-viewers: a pause of 60s every 60s never reads: make the pause shorter than its period/],
    [['--stuck-viewers', '101%'], /^camera-load: --stuck-viewers expects a share of the streams above 0% and at most 100%/],
    [['--slow-viewers', '60%@1Mbps', '--stuck-viewers', '50%'], /^camera-load: --slow-viewers and --stuck-viewers take 110% of the streams together/],
    [
      ['--stuck-viewers', '10%', '--lead-in', '60s'],
      /^camera-load: a run too short for the lead-in: .*--lead-in 60s.*--duration 60s: give a longer --duration or a shorter --lead-in$/,
    ],
    [['--lead-in', '10s'], /^camera-load: --lead-in applies to viewer groups: give --slow-viewers, --pausing-viewers or --stuck-viewers$/],
    [['--seed', '4294967296'], /^camera-load: --seed expects a whole number from 0 to 4294967295, e.g. 42; got '4294967296'$/],
    [['--slow-viewers', '20%@1Mbps', '--slow-viewers', '10%@1Mbps'], /^camera-load: --slow-viewers is taken once; got '20%@1Mbps' and '10%@1Mbps': give one$/],
  ])('%j: exit 2, one line naming the flag, no camera asked for, no file written', async (args, message) => {
    await expectRefusedBeforeRun(api, freshFolder(), args, message);
  });

  it('--simulate 2 --slow-viewers 0%@1Mbps: exit 2, no report and no log', async () => {
    const cwd = freshFolder();
    const result = await runCli(['run', '--simulate', '2', '--duration', '60s', '--slow-viewers', '0%@1Mbps'], { cwd, timeoutMs: 20_000 });
    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      "camera-load: --slow-viewers expects a share of the streams above 0% and at most 100% (decimals allowed: 2.5%), e.g. 20%@1Mbps; got '0%@1Mbps'",
    ]);
    expect(result.stdout).toBe('');
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('max takes no viewer groups: an unknown option, exit 2', async () => {
    const cwd = freshFolder();
    const result = await runCli(['max', '--simulate', '2', '--slow-viewers', '20%@1Mbps'], { cwd, timeoutMs: 20_000 });
    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toEqual(["camera-load max: unknown option '--slow-viewers' (see camera-load max --help)"]);
    expect(readdirSync(cwd)).toEqual([]);
  });
});

describe('camera-load run: viewer groups accepted', () => {
  it("a run with groups and a seed records them in its report's config", async () => {
    const cwd = freshFolder();
    const report = join(cwd, 'r.json');
    const result = await runCli(
      [
        'run',
        '--simulate',
        '2',
        '--max-streams',
        '2',
        '--duration',
        '3s',
        '--slow-viewers',
        '50%@1MiB/s',
        '--pausing-viewers',
        '25%@500ms/1s',
        '--lead-in',
        '1s',
        '--seed',
        '7',
        '--output',
        report,
        '--log',
        join(cwd, 'r.log'),
        '--quiet',
      ],
      { cwd, timeoutMs: 30_000 },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const { config } = readJson<{ config: Record<string, unknown> }>(report);
    expect(config.seed).toBe(7);
    expect(config.viewers).toEqual({
      leadInSeconds: 1,
      slow: { share: 0.5, bytesPerSecond: 1_048_576 },
      pausing: { share: 0.25, pauseSeconds: 0.5, everySeconds: 1 },
      stuck: null,
    });
  });
});
