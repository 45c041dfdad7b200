import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { UsageError } from '../../src/errors.js';
import { parseTimestampHeader } from '../../src/options/engine-options.js';
import type { Report } from '../../src/report/report-types.js';
import type { SimulatorOptions } from '../../src/sim/options.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { schemaErrors } from '../helpers/report-schema.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

// Freshness through the CLI, spawned as a user runs it: a fleet that keeps its frame rate but serves late or
// repeated pictures passes `fps.p5>=4` and fails the freshness thresholds, with the cause named.

const dir = tempDir('freshness');
let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

let counter = 0;
async function run(options: Partial<SimulatorOptions>, args: string[], timeoutMs = 40_000) {
  sim = await startSimulator({ cameras: 4, inactive: 0, fps: 5, frameBytes: 5_000, ...options });
  counter++;
  const out = join(dir, `report-${counter}.json`);
  const result = await runCli(['run', '--api-url', sim.apiUrl, '--max-streams', '4', '--output', out, '--log', join(dir, `log-${counter}.log`), ...args], {
    timeoutMs,
  });
  const report = existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as Report) : undefined;
  return { result, report, truth: sim.stats() };
}

const thresholds = (...expressions: string[]): string[] => expressions.flatMap((e) => ['--threshold', e]);
const passed = (report: Report | undefined): Record<string, boolean> => Object.fromEntries((report?.thresholds ?? []).map((t) => [t.expression, t.passed]));

/** The lines of one section of the summary, up to the next blank line. */
function section(stdout: string, title: string): string {
  const start = stdout.indexOf(`\n${title}`);
  if (start === -1) return '';
  const end = stdout.indexOf('\n\n', start + 1);
  return stdout.slice(start + 1, end === -1 ? undefined : end);
}

describe('a fleet that keeps its frame rate fails on freshness', () => {
  it('lag: delay and growing-delay thresholds fail while fps.p5>=4 passes; the queue named in summary and analysis', async () => {
    // Half the cameras queue: each frame 100 ms later per second of stream (0.7 s late after 7 s), at full rate.
    const { result, report, truth } = await run({ faults: { lag: { value: { stepMsPerSecond: 100, maxMs: 3_000 }, share: 0.5 } } }, [
      '--duration',
      '7s',
      ...thresholds('fps.p5>=4', 'delay.p95<300ms', 'delay_ms.max<0.3s', 'streams.growing_delay==0', 'frozen==0', 'repeated_frames==0'),
    ]);
    expect(result.stderr).toBe('');
    expect(result.code, result.stdout).toBe(1);
    expect(report).toBeDefined();
    if (!report) return;
    expect(passed(report)).toEqual({
      'fps.p5>=4': true,
      'delay.p95<300ms': false,
      'delay_ms.max<0.3s': false,
      'streams.growing_delay==0': false,
      'frozen==0': true,
      'repeated_frames==0': true,
    });
    const lagged = truth.cameras.filter((c) => c.faults.some((f) => f.startsWith('lag:'))).map((c) => String(c.id));
    expect(lagged).toHaveLength(2);
    // The streams named are exactly the lagged ones.
    const growing = report.streams.filter((s) => s.freshness.growingDelay).map((s) => s.cameraId);
    expect(growing.sort()).toEqual([...lagged].sort());
    expect(report.summary.freshness.streamsWithGrowingDelay).toBe(2);
    // The delay threshold read the figure in ms; the value written in seconds was read as 300 ms.
    const delayMax = report.thresholds.find((t) => t.expression === 'delay_ms.max<0.3s')?.actual ?? 0;
    expect(delayMax).toBe(report.summary.freshness.delayMs.max);
    expect(delayMax).toBeGreaterThan(300);
    expect(report.summary.freshness.delayMs.max).toBeLessThanOrEqual(Math.max(...truth.cameras.map((c) => c.lagDelayMaxMs)) + 15);

    // Named in report.analysis: the warning names the lagged cameras, the assessment says why.
    const warning = report.analysis.warnings.find((w) => w.includes('delay grew steadily')) ?? '';
    expect(warning).toMatch(/^2 streams' delay grew steadily, a queue that never drains: /);
    for (const id of lagged) expect(warning).toMatch(new RegExp(`\\b${id} \\(\\+\\d+ ms/s, \\d+ ms late at the end\\)`));
    // The assessment names the problem; its figures are the warning's, said once.
    expect(report.analysis.assessment).toMatch(/But the pictures were not fresh: a delay that kept growing\.$/);

    // Named in the summary.
    const freshness = section(result.stdout, 'FRESHNESS');
    expect(freshness, result.stdout).toMatch(/Queueing delay \(ms\): +p50 \d+, p95 \d+, p99 \d+, max \d+/);
    expect(freshness).toMatch(/4 of 4 streams timestamped: X-Timestamp in s/);
    expect(freshness).toMatch(/Growing delay: +2 streams whose delay rose steadily/);
    expect(freshness).toMatch(/Repeated frames: +0/);
    expect(section(result.stdout, 'ASSESSMENT')).toMatch(/But the pictures were not fresh: a delay that kept growing/);
    expect(result.stdout).toMatch(/✓ fps\.p5>=4 {2}\(actual [\d.]+ fps\)/);
    expect(result.stdout).toMatch(/✗ delay\.p95<300ms {2}\(actual \d+ ms\)/);
    expect(schemaErrors(report)).toBe('');
  });

  it('freeze: frozen and fresh-fps thresholds fail while fps.p5>=4 passes; repeats and FROZEN named', async () => {
    // Half the cameras re-send their last picture 15 times after every 10 new ones: 3 s frozen at 5 fps, over the
    // default --freeze-timeout of 2 s; one freeze within the 6 s run (the next would start at 7 s).
    const { result, report, truth } = await run({ faults: { freeze: { value: { freshFrames: 10, repeatFrames: 15 }, share: 0.5 } } }, [
      '--duration',
      '6s',
      ...thresholds('fps.p5>=4', 'frozen==0', 'freshFps.p5>=4', 'fresh_fps.min>=4', 'repeated_frames==0'),
    ]);
    expect(result.stderr).toBe('');
    expect(result.code, result.stdout).toBe(1);
    expect(report).toBeDefined();
    if (!report) return;
    expect(passed(report)).toEqual({
      'fps.p5>=4': true,
      'frozen==0': false,
      'freshFps.p5>=4': false,
      'fresh_fps.min>=4': false,
      'repeated_frames==0': false,
    });
    const frozen = truth.cameras.filter((c) => c.faults.includes('freeze:10:15')).map((c) => String(c.id));
    expect(frozen).toHaveLength(2);
    const f = report.summary.freshness;
    // Every repeat the fleet sent was counted, and nothing else.
    expect(truth.totals.framesRepeated).toBe(30);
    expect(f.repeatedFrames).toBe(truth.totals.framesRepeated);
    for (const camera of truth.cameras) {
      expect(report.streams.find((s) => s.cameraId === String(camera.id))?.freshness.repeatedFrames).toBe(camera.framesRepeated);
    }
    expect(f.frozenEvents).toBe(2);
    expect(f.streamsFrozen).toBe(2);
    expect(
      report.streams
        .filter((s) => s.freshness.frozen > 0)
        .map((s) => s.cameraId)
        .sort(),
    ).toEqual([...frozen].sort());

    const warnings = report.analysis.warnings.join('\n');
    expect(warnings).toMatch(new RegExp(`30 of \\d+ frames repeated the picture before on 2 streams`));
    expect(warnings).toMatch(/2 FROZEN events on 2 streams: the picture stood still while frames kept coming; longest: /);
    for (const id of frozen) expect(warnings).toMatch(new RegExp(`\\b${id} \\(\\d\\.\\d s\\)`));
    expect(report.analysis.assessment).toMatch(/But the pictures were not fresh: repeated pictures and FROZEN events\.$/);

    const freshness = section(result.stdout, 'FRESHNESS');
    expect(freshness, result.stdout).toMatch(/Repeated frames: +30 on 2 streams/);
    expect(freshness).toMatch(/Frozen: +2 FROZEN events on 2 streams/);
    expect(freshness).toMatch(/Fresh FPS per stream: +average [\d.]+; min [\d.]+/);
    expect(section(result.stdout, 'ASSESSMENT')).toMatch(/2 FROZEN events/);
    expect(result.stdout).toMatch(/✗ frozen==0 {2}\(actual 2\)/);
    expect(schemaErrors(report)).toBe('');
  });

  it('a fleet without faults passes the same thresholds: exit 0', async () => {
    const { result, report } = await run({}, [
      '--duration',
      '3s',
      ...thresholds('fps.p5>=4', 'delay.p95<300ms', 'freshFps.p5>=4', 'frozen==0', 'repeated_frames==0'),
    ]);
    expect(result.stderr).toBe('');
    expect(result.code, result.stdout).toBe(0);
    expect(report?.thresholds.every((t) => t.passed)).toBe(true);
    expect(report?.analysis.assessment).not.toMatch(/not fresh/);
    expect(schemaErrors(report)).toBe('');
  });
});

describe('usage errors: exit 2, one line, before any connection', () => {
  it.each([
    ['X Bad', /--timestamp-header expects a header name/],
    ['', /--timestamp-header expects a header name/],
    [':ms', /--timestamp-header expects a header name/],
    ['X-Ts:minutes', /--timestamp-header 'X-Ts:minutes': unit 'minutes' is not one of s, ms, us/],
    ['X-Ts:', /--timestamp-header 'X-Ts:': unit '' is not one of/],
    ['X-Ts:ms:s', /--timestamp-header expects a header name/],
    ['X-Tś', /--timestamp-header expects a header name/],
  ])('--timestamp-header %j', async (value, message) => {
    const { result, report, truth } = await run({ cameras: 1 }, ['--duration', '2s', '--timestamp-header', value]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stdout).toBe('');
    expect(report).toBeUndefined();
    expect(truth.totals.requests).toBe(0);
    // The code the error carries (the CLI prints the message, not the code).
    let code = '';
    try {
      parseTimestampHeader(value);
    } catch (error) {
      code = (error as UsageError).code;
    }
    expect(code).toBe('ERR_BAD_TIMESTAMP_HEADER');
  });

  it.each([
    ['frozen==0ms', /'ms' is not a unit of this metric \(count: give a plain number\)/],
    ['fps.avg>=4ms', /'ms' is not a unit of this metric \(frames\/s: give a plain number\)/],
    ['freshFps.p5>=4s', /'s' is not a unit of this metric/],
    ['repeated_frames<1s', /'s' is not a unit of this metric/],
    ['delay.p95<500us', /'us' is not a unit of this metric \(ms; use ms or s\)/],
    ['delay.p95<5min', /'min' is not a unit of this metric/],
  ])('--threshold %j: a unit that does not fit the metric', async (expression, message) => {
    const { result, report, truth } = await run({ cameras: 1 }, ['--duration', '2s', '--threshold', expression]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(report).toBeUndefined();
    expect(truth.totals.requests).toBe(0);
  });
});
