import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MaxReport } from '../../src/max/max-report.js';
import type { SimulatorOptions } from '../../src/sim/options.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

const dir = tempDir('max');
let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

let counter = 0;
async function findMax(fleet: Partial<SimulatorOptions>, args: string[]) {
  sim = await startSimulator({ inactive: 0, fps: 5, frameBytes: 10_000, ...fleet });
  counter++;
  const report = join(dir, `max-${counter}.json`);
  const result = await runCli(
    [
      'max',
      '--api-url',
      sim.apiUrl,
      '--trial',
      '2s',
      '--cooldown',
      '200ms',
      '--interval',
      '500ms',
      '--output',
      report,
      '--log',
      join(dir, `max-${counter}.log`),
      ...args,
    ],
    { timeoutMs: 90_000 },
  );
  return { result, report: JSON.parse(readFileSync(report, 'utf8')) as MaxReport };
}

describe('camera-load max: ground truth from the simulated capacity model', () => {
  it('--max-clients 23: finds exactly 23 in at most ⌈log2(start)⌉ + 3 trials', async () => {
    const { result, report } = await findMax({ cameras: 40, maxClients: 23 }, ['--start', '32']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^camera-load: PASSED — maximum stable: 23 streams at \d\.\d\d fps per stream$/m);
    expect(report.result.maxStableStreams).toBe(23);
    expect(report.result).toMatchObject({ cameraCapacity: 40, boundedByCameras: false });
    expect(result.stdout).not.toContain('Bounded by the cameras');
    expect(report.trials.length).toBeLessThanOrEqual(Math.ceil(Math.log2(32)) + 3);
    expect(new Set(report.trials.map((t) => t.level)).size).toBe(report.trials.length);
    // One line per trial as it finished, then the table sorted by level.
    expect(result.stdout.match(/^trial \d+: /gm)).toHaveLength(report.trials.length);
    const table = result.stdout.slice(result.stdout.indexOf('TRIALS'));
    const levels = [...table.matchAll(/^ +(\d+) +\d+ /gm)].map((m) => Number(m[1]));
    expect(levels).toEqual([...levels].sort((a, b) => a - b));
  });

  it('--bandwidth: finds the level beyond which streams drop below the frame-rate floor', async () => {
    // 420 KB/s shared by ~50.35 KB/s streams: fps per stream = 41.7 / N above 8 streams; ≥ 4 fps up to N = 10.
    const { result, report } = await findMax({ cameras: 30, bandwidthBytesPerSecond: 420_000 }, ['--start', '20', '--min-fps', '4', '--trial', '3s']);
    expect(result.code).toBe(0);
    expect(report.result.maxStableStreams).toBe(10);
    expect(report.result.fpsPerStreamAtMax).toBeGreaterThan(4);
    expect(report.result.fpsPerStreamAtMax).toBeLessThan(4.4);
  });

  it('a fleet stable at every level: the start level, after one trial', async () => {
    const { result, report } = await findMax({ cameras: 12 }, []);
    expect(result.code).toBe(0);
    expect(report.trials).toHaveLength(1);
    expect(report.result.maxStableStreams).toBe(12);
    // 12 is every stream the 12 cameras allow: the answer is the cameras', and says so.
    expect(result.stdout).toMatch(/^camera-load: PASSED — maximum stable: at least 12 streams at \d\.\d\d fps per stream, every stream the cameras allow$/m);
    expect(result.stdout).toMatch(
      /Bounded by the cameras, not the server: 12 is every stream the cameras allow, and all held\. To go past it: --streams-per-camera K/,
    );
    expect(report.result).toMatchObject({ cameraCapacity: 12, boundedByCameras: true });
  });

  it('a fleet unstable even at 1 stream: exit 1 with a clear message', async () => {
    const { result, report } = await findMax({ cameras: 8, faults: { errorResponse: { value: 503, share: 1 } } }, []);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^camera-load: NOTHING MEASURED — no stream delivered a frame in any of 4 trials \(HTTP_503 ×\d+/m);
    expect(report.result.maxStableStreams).toBeNull();
    expect(report.trials.map((t) => t.level)).toEqual([8, 4, 2, 1]);
  });
});
