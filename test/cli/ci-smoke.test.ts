import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { Report } from '../../src/report/report-types.js';
import { METRICS } from '../../src/report/threshold-metrics.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { schemaErrors } from '../helpers/report-schema.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

const dir = tempDir('ci');
let sim: RunningSimulator;
beforeAll(async () => {
  // Two cameras of four never open (503): a run with something to fail on.
  sim = await startSimulator({ cameras: 4, inactive: 0, frameBytes: 4_000, faults: { errorResponse: { value: 503, share: 0.5 } } });
});
afterAll(() => sim.close());

let counter = 0;
async function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  counter++;
  const out = { report: join(dir, `r${counter}.json`), log: join(dir, `r${counter}.log`), junit: join(dir, `j${counter}.xml`) };
  const result = await runCli(['--api-url', sim.apiUrl, '--duration', '2s', '--output', out.report, '--log', out.log, ...args], {
    env,
    timeoutMs: 30_000,
  });
  return { result, out };
}
const every = (exprs: string[]) => exprs.flatMap((e) => ['--threshold', e]);

describe('thresholds decide the exit code', () => {
  it('a passing set: exit 0, each threshold with its actual value and ✓', async () => {
    const { result, out } = await run(every(['streams.opened>=2', 'fps.avg>=4', 'corrupt_frames==0', 'streams.opened_ratio<=0.5']));
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/THRESHOLDS\n {2}✓ streams\.opened>=2 {2}\(actual 2\)\n {2}✓ fps\.avg>=4 {2}\(actual \d\.\d+ fps\)/);
    const report = JSON.parse(readFileSync(out.report, 'utf8')) as Report;
    expect(schemaErrors(report)).toBe('');
    expect(report.thresholds.map((t) => t.passed)).toEqual([true, true, true, true]);
  });

  it('a failing set: exit 1, the failure shown with ✗ and its actual value', async () => {
    const { result, out } = await run(every(['streams.opened_ratio>=1', 'errors==0', 'fps.avg>=4']));
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/✗ streams\.opened_ratio>=1 {2}\(actual 0\.5\)/);
    expect(result.stdout).toMatch(/✗ errors==0 {2}\(actual [1-9]\d*\)/);
    expect(result.stdout).toMatch(/✓ fps\.avg>=4/);
    const report = JSON.parse(readFileSync(out.report, 'utf8')) as Report;
    expect(report.thresholds).toEqual([
      { expression: 'streams.opened_ratio>=1', actual: 0.5, passed: false },
      expect.objectContaining({ expression: 'errors==0', passed: false }),
      expect.objectContaining({ expression: 'fps.avg>=4', passed: true }),
    ]);
  });

  it('every metric name resolves to the figure in the report', async () => {
    const { out } = await run(every(METRICS.map((m) => `${m.name}>=0`)));
    const report = JSON.parse(readFileSync(out.report, 'utf8')) as Report;
    const actual = Object.fromEntries(report.thresholds.map((t) => [t.expression.replace('>=0', ''), t.actual]));
    const s = report.summary;
    const f = s.freshness;
    expect(actual).toEqual({
      'streams.opened': s.streamsOpened,
      'streams.opened_ratio': s.streamsOpened / s.streamsPlanned,
      'streams.open_at_end': s.streamsOpenAtEnd,
      'fps.avg': s.avgFpsPerStream,
      'fps.min': s.fpsPerStream.min,
      'fps.p5': s.fpsPerStream.p5,
      'fps.p50': s.fpsPerStream.p50,
      'fps.aggregate': s.aggregateFps,
      'frame_gap_ms.p50': s.frameGapMs.p50,
      'frame_gap_ms.p95': s.frameGapMs.p95,
      'frame_gap_ms.p99': s.frameGapMs.p99,
      'frame_gap_ms.max': s.frameGapMs.max,
      'ttff_ms.p50': s.timeToFirstFrameMs?.p50,
      'ttff_ms.p95': s.timeToFirstFrameMs?.p95,
      'ttff_ms.max': s.timeToFirstFrameMs?.max,
      ...Object.fromEntries(
        (
          [
            ['client_lateness_ms', 'clientLatenessMs'],
            ['connect_queue_ms', 'connectQueueMs'],
            ['time_to_headers_ms', 'timeToHeadersMs'],
          ] as const
        ).flatMap(([name, key]) => (['p50', 'p95', 'p99', 'max'] as const).map((p) => [`${name}.${p}`, s.start?.[key]?.[p]])),
      ),
      reconnections: s.totalReconnections,
      errors: Object.values(s.errors).reduce((a, b) => a + b, 0),
      stalls: s.totalStalls,
      corrupt_frames: s.corruptFrames,
      frames: s.totalFrames,
      bandwidth_mbps: s.bandwidthMbps,
      'uptime.min': s.uptimeMin,
      'uptime.avg': s.uptimeAvg,
      'delay_ms.p50': f.delayMs.p50,
      'delay_ms.p95': f.delayMs.p95,
      'delay_ms.p99': f.delayMs.p99,
      'delay_ms.max': f.delayMs.max,
      'age_ms.p50': f.ageMs?.p50,
      'age_ms.p95': f.ageMs?.p95,
      'age_ms.p99': f.ageMs?.p99,
      'age_ms.max': f.ageMs?.max,
      'fresh_fps.min': f.freshFpsPerStream.min,
      'fresh_fps.p5': f.freshFpsPerStream.p5,
      'fresh_fps.p50': f.freshFpsPerStream.p50,
      'fresh_fps.avg': f.avgFreshFpsPerStream,
      frozen: f.frozenEvents,
      repeated_frames: f.repeatedFrames,
      'streams.growing_delay': f.streamsWithGrowingDelay,
      skipped_frames: f.skippedFrames ?? null,
      // A run without viewer groups has no isolation to judge: those thresholds fail, never pass unseen.
      'isolation.fps_change_pct': null,
      'isolation.gap_change_ms': null,
      'isolation.delay_change_ms': null,
      // Nor storms without --storm-at.
      'storm.recovery_ms.p95': null,
      'storm.recovery_ms.max': null,
      'storm.lost_viewers': null,
    });
    // The simulated fleet stamps every part: the delay and the age were measured, not left out.
    expect(f.delayMs.count).toBe(s.totalFrames);
    expect(f.ageMs?.count).toBe(s.totalFrames);
  });

  it.each([
    [['--threshold', 'fps.avrage>=4'], /unknown metric 'fps.avrage'/],
    [['--threshold', 'fps.avg>>4'], /expected METRIC OP VALUE/],
    [['--threshold', 'fps.avg>=four'], /'four' is not a number/],
  ])('%j: exit 2 before any connection is made', async (args, message) => {
    const before = sim.stats().totals.requests;
    const { result, out } = await run(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(sim.stats().totals.requests).toBe(before);
    expect(existsSync(out.report)).toBe(false);
  });
});

describe('CI output', () => {
  it('--junit: one case per threshold and one per stream, failures where they failed', async () => {
    const { result, out } = await run([...every(['streams.opened_ratio>=1', 'fps.avg>=4']), '--junit', join(dir, 'junit.xml')]);
    expect(result.code).toBe(1);
    const xml = readFileSync(join(dir, 'junit.xml'), 'utf8');
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml) as {
      testsuites: { tests: string; failures: string; testsuite: { name: string; testcase: { name: string; failure?: { message: string } }[] }[] };
    };
    expect(doc.testsuites.tests).toBe('6');
    expect(doc.testsuites.failures).toBe('3');
    const [thresholds, streams] = doc.testsuites.testsuite;
    expect(thresholds?.testcase.map((c) => c.name)).toEqual(['streams.opened_ratio>=1', 'fps.avg>=4']);
    expect(thresholds?.testcase[0]?.failure?.message).toBe('expected streams.opened_ratio>=1, actual 0.5');
    expect(thresholds?.testcase[1]?.failure).toBeUndefined();
    expect(streams?.testcase).toHaveLength(4);
    const failed = streams?.testcase.filter((c) => c.failure) ?? [];
    expect(failed).toHaveLength(2);
    expect(failed[0]?.failure?.message).toMatch(/^never opened \(HTTP_503: answered HTTP 503\)$/);
    expect(existsSync(out.report)).toBe(true);
  });

  it('GITHUB_STEP_SUMMARY: appends a Markdown summary with the thresholds and the cameras with problems', async () => {
    const summaryFile = join(dir, 'step-summary.md');
    writeFileSync(summaryFile, '# earlier step\n');
    const { result } = await run(every(['fps.avg>=4', 'streams.opened_ratio>=1']), { GITHUB_STEP_SUMMARY: summaryFile });
    expect(result.code).toBe(1);
    const markdown = readFileSync(summaryFile, 'utf8');
    expect(markdown.slice(0, 200)).toMatch(/^# earlier step\n## camera-load: FAILED\n\n1 of 2 thresholds failed: streams\.opened_ratio\\>=1 \(actual 0\.5\)\n/);
    expect(markdown).toMatch(/\| `fps\.avg>=4` \| [\d.]+ \| ✅ pass \|/);
    expect(markdown).toMatch(/\| `streams\.opened_ratio>=1` \| 0\.5 \| ❌ fail \|/);
    expect(markdown.match(/\| no \| \d+ \| HTTP_503: answered HTTP 503 \|/g)).toHaveLength(2);
  });

  it('not a terminal: plain lines, no ANSI escape codes', async () => {
    const { result } = await run(['--duration', '11s', ...every(['fps.avg>=4'])]);
    expect(result.code).toBe(0);
    // eslint-disable-next-line no-control-regex
    expect(result.stdout).not.toMatch(/\x1b\[/);
    expect(result.stdout).toMatch(/^\[0:1\d \/ 0:11\] open 2\/4, /m);
  });

  it('the ready workflow is valid YAML with the expected steps', () => {
    const workflow = parseYaml(readFileSync(new URL('../../.github/workflows/camera-smoke.yml', import.meta.url), 'utf8')) as {
      on: Record<string, unknown>;
      jobs: { smoke: { steps: { name: string; run?: string; uses?: string; with?: Record<string, unknown>; if?: string; env?: Record<string, string> }[] } };
    };
    expect(Object.keys(workflow.on).sort()).toEqual(['schedule', 'workflow_dispatch']);
    const steps = workflow.jobs.smoke.steps;
    expect(steps.map((s) => s.uses ?? s.run?.split(' ')[0])).toEqual([
      'actions/checkout@v4',
      'actions/setup-node@v4',
      'npm',
      'npx',
      'actions/upload-artifact@v4',
    ]);
    const test = steps[3];
    expect(test?.env?.CAMERA_API_TOKEN).toBe('${{ secrets.STAGING_CAMERA_API_TOKEN }}');
    expect(test?.run).toContain('--threshold');
    expect(test?.run).toContain('--junit camera-load-junit.xml');
    // Every threshold in the workflow must parse: a typo there would fail every scheduled run.
    const expressions = [...(test?.run ?? '').matchAll(/--threshold '([^']+)'/g)].map((m) => m[1] ?? '');
    expect(expressions.length).toBeGreaterThanOrEqual(5);
    for (const e of expressions) expect(METRICS.some((m) => e.startsWith(m.name))).toBe(true);
    expect(steps[4]?.if).toBe('always()');
  });
});
