import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

// --stages that cannot run: a usage error (exit 2) in one line that names --stages and, for a stage that is not one,
// which stage and where, before any stream opens.

const dir = tempDir('stages-options');
const EXAMPLE = 'e.g. 30s:100,2m:100,30s:0';

describe('--stages refused: exit 2, one line, nothing run', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ cameras: 2, inactive: 0, fps: 10, frameBytes: 2_000 });
  });
  afterAll(() => sim.close());

  it.each([
    [['--stages', '30s'], `--stages: stage 1 ('30s', from character 1) has no target: write each stage as DURATION:STREAMS, ${EXAMPLE}; got '30s'`],
    [['--stages', ':100'], `--stages: stage 1 (':100', from character 1) has no duration before its ':', ${EXAMPLE}; got ':100'`],
    [
      ['--stages', '30s:-1'],
      `--stages: stage 1 ('30s:-1', from character 1) needs a target of 0 to 100000 concurrent streams, a whole number, ${EXAMPLE}; got '30s:-1'`,
    ],
    [
      ['--stages', '30s:1.5'],
      `--stages: stage 1 ('30s:1.5', from character 1) needs a target of 0 to 100000 concurrent streams, a whole number, ${EXAMPLE}; got '30s:1.5'`,
    ],
    [
      ['--stages', '10s:5,2x:3'],
      `--stages: stage 2 ('2x:3', from character 7) has a duration that is not one (such as 30s, 2m or 1h), ${EXAMPLE}; got '10s:5,2x:3'`,
    ],
    [['--stages', '10s:5', '--duration', '60'], "--stages sets the run's length (the stages' sum): leave out --duration"],
    [['--stages', '10s:5', '--ramp-up', '5s'], '--stages ramps the streams itself: leave out --ramp-up, or write the ramp as a stage, e.g. 30s:100'],
    [
      ['--stages', '10s:50', '--max-streams', '10'],
      "--stages reaches 50 concurrent streams (stage 1) but --max-streams is 10: raise --max-streams to 50 or lower the stages' targets",
    ],
  ])('%j', async (args, message) => {
    const output = join(dir, 'refused.json');
    const result = await runCli(['--api-url', sim.apiUrl, ...args, '--output', output, '--log', join(dir, 'refused.log')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`camera-load: ${message}\n`);
    expect(existsSync(output)).toBe(false);
    expect(sim.stats().totals.requests).toBe(0);
  });

  it('a plan the cameras cannot reach (5 streams from 2 cameras) is refused before any stream opens', async () => {
    const output = join(dir, 'unreachable.json');
    const result = await runCli(['--api-url', sim.apiUrl, '--stages', '2s:5', '--output', output, '--log', join(dir, 'unreachable.log')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "camera-load: --stages reaches 5 concurrent streams but the cameras give 2 (2 cameras × --streams-per-camera 1): raise --streams-per-camera or lower the stages' targets\n",
    );
    expect(existsSync(output)).toBe(false);
    // The camera list was read (it is what says the plan cannot be met); no stream was asked for.
    expect(sim.stats().totals).toMatchObject({ requests: 0, connections: 0 });
    expect(sim.stats().timeline.rows.every((row) => row.accepted === 0)).toBe(true);
  });
});
