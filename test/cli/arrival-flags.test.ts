import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOneCameraApi, type FixtureServer } from '../helpers/fixture-server.js';
import { readJson } from '../helpers/read-json.js';
import { runCli } from '../helpers/run-cli.js';
import { caseFolders, tempDir } from '../helpers/temp-dir.js';
import { expectRefusedBeforeRun } from '../helpers/refused-run.js';

// The open model's flags (issue 30) spawned like a user: a bad value or a bad combination is exit 2 with one line
// before any camera is asked for, and a good one reaches the report's config.

const freshFolder = caseFolders(tempDir('arrival-flags'));

let api: FixtureServer;
beforeAll(async () => {
  api = await startOneCameraApi();
});
afterAll(async () => {
  await api.close();
});

describe('camera-load run: the open model refused before anything runs', () => {
  it.each([
    [
      ['--arrival-rate', '20', '--watch-time', '30s'],
      /^camera-load: --arrival-rate: the rate \('20', from character 1\) is not new viewers per second or minute \(n\/s or n\/m, decimals allowed\), e\.g\. 20\/s, .*; got '20'$/,
    ],
    [
      ['--arrival-rate', '1m:5/s,2m:x', '--watch-time', '30s'],
      /^camera-load: --arrival-rate: span 2 \('2m:x', from character 8\) needs a rate of new viewers as n\/s or n\/m .*e\.g\. .*1m:5\/s,5m:20\/s; got '1m:5\/s,2m:x'$/,
    ],
    [['--arrival-rate', '20/s'], /^camera-load: --arrival-rate: an arrival rate needs --watch-time, e\.g\. 30s, exp:30s or 10s\.\.60s$/],
    [
      ['--arrival-rate', '20/s', '--watch-time', '2m'],
      /^camera-load: --watch-time: the watch time \('2m', from character 1\) is longer than the run \(60 s\): .*e\.g\. 30s, exp:30s or 10s\.\.60s; got '2m'$/,
    ],
    [
      ['--arrival-rate', '20/s', '--watch-time', '10s..90s'],
      /^camera-load: --watch-time: the longest \('90s', from character 6\) is longer than the run \(60 s\)/,
    ],
    [
      ['--arrival-rate', '20/s', '--watch-time', '30s', '--camera-popularity', 'zipf:0'],
      /^camera-load: --camera-popularity: the exponent \('0', from character 6\) is not a number above 0 and at most 10, e\.g\. uniform, zipf or zipf:1\.2; got 'zipf:0'$/,
    ],
    [['--arrival-rate', '20/s', '--watch-time', '30s', '--stages', '10s:5'], /^camera-load: choose one of --stages and --arrival-rate/],
    [['--arrival-rate', '20/s', '--watch-time', '30s', '--ramp-up', '10s'], /^camera-load: --arrival-rate sets the load's shape: leave out --ramp-up/],
    [['--watch-time', '30s'], /^camera-load: --watch-time needs --arrival-rate/],
    [['--camera-popularity', 'zipf'], /^camera-load: --camera-popularity needs --arrival-rate/],
  ])('%j: exit 2, one line naming the flag, no camera asked for, no file written', async (args, message) => {
    await expectRefusedBeforeRun(api, freshFolder(), args, message);
  });

  it('a staged rate beside --duration: exit 2, the spans set the length', async () => {
    const cwd = freshFolder();
    const result = await runCli(['run', '--api-url', `${api.url}/api`, '--duration', '60s', '--arrival-rate', '10s:5/s,20s:1/s', '--watch-time', '5s'], {
      cwd,
      timeoutMs: 20_000,
    });
    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toEqual(["camera-load: --arrival-rate: its spans set the run's length (their sum): leave out --duration"]);
  });
});

describe('camera-load run: the open model accepted', () => {
  it("commander hands the three flags through: the report's config records them as checked", async () => {
    const cwd = freshFolder();
    const report = join(cwd, 'r.json');
    const flags = ['--arrival-rate', '1s:2/s,1s:60/m', '--watch-time', 'exp:500ms', '--camera-popularity', 'zipf:1.2', '--max-streams', '2'];
    const result = await runCli(['run', '--simulate', '2', ...flags, '--output', report, '--log', join(cwd, 'r.log'), '--quiet'], { cwd, timeoutMs: 30_000 });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const { config } = readJson<{ config: Record<string, unknown> }>(report);
    expect(config).toMatchObject({
      maxStreams: 2,
      durationSeconds: 2,
      rampUpSeconds: 0,
      stages: null,
      arrivalRate: [
        { durationSeconds: 1, perSecond: 2 },
        { durationSeconds: 1, perSecond: 1 },
      ],
      watchTime: { kind: 'exp', meanSeconds: 0.5 },
      cameraPopularity: { kind: 'zipf', s: 1.2 },
    });
  });
});
