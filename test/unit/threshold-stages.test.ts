import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { mergeReports } from '../../src/report/merge-reports.js';
import { rank, round } from '../../src/report/numbers.js';
import type { Report, StageReport, ViewerGroupReport } from '../../src/report/report-types.js';
import { METRICS_BY_NAME } from '../../src/report/threshold-metrics.js';
import { STAGE_METRICS } from '../../src/report/threshold-stages.js';
import { checkThresholdStages, evaluateThresholds, formatThreshold, parseThreshold, type Operator } from '../../src/report/thresholds.js';
import { VIEWER_GROUPS } from '../../src/viewers.js';
import { slotStory, STAGES, stagedReport } from '../helpers/staged-report.js';

// `fps.p5{stage:3}>=4.5`: a threshold read within one stage of --stages, from the stage table and each viewer's own
// stages; with `{viewers:slow,stage:2}`, the fps of that group's viewers within it.

const check = (report: Report, ...texts: string[]) => evaluateThresholds(texts.map(parseThreshold), report);
const actual = (report: Report, text: string): number | null => check(report, text)[0]?.actual ?? null;
const stageOf = (report: Report, n: number): StageReport => report.stages?.[n - 1] as StageReport;

/** The staged run with slots 1 and 3 slow viewers (the group's summary is the run's: only the streams are read). */
function groupedStagedReport(): Report {
  const report = stagedReport();
  const group = (name: 'normal' | 'slow'): ViewerGroupReport => ({ group: name, behaviour: name, share: 0.5, beganAtSeconds: 0, summary: report.summary });
  return {
    ...report,
    streams: report.streams.map((s) => (s.index % 2 === 1 ? { ...s, viewers: 'slow' as const } : { ...s, viewers: 'normal' as const })),
    viewerGroups: [group('normal'), group('slow')],
  };
}

/** Each viewer's fps within stage `n` over the streams `keep` leaves, ascending (watched 1 s or more). */
const viewerFps = (report: Report, n: number, keep: (index: number) => boolean = () => true): number[] =>
  report.streams
    .filter((s) => keep(s.index))
    .flatMap((s) => {
      const v = s.stages?.[n - 1];
      return v && v.seconds >= 1 ? [v.frames / v.seconds] : [];
    })
    .sort((a, b) => a - b);

describe('the stage selector: parsing', () => {
  it.each([
    ['fps.p5{stage:3}>=4.5', { expression: 'fps.p5{stage:3}>=4.5', metric: 'fps.p5', selector: { stage: 3 }, operator: '>=', value: 4.5 }],
    // Keys in any order, spaces anywhere: one canonical form, viewers first.
    [' fps.p5 { stage : 2 , viewers : slow } >= 2', { expression: 'fps.p5{viewers:slow,stage:2}>=2', selector: { viewers: 'slow', stage: 2 } }],
    ['delay.p95{stage:1}<0.5s', { expression: 'delay.p95{stage:1}<0.5s', metric: 'delay.p95', selector: { stage: 1 }, value: 500 }],
    ['errors{stage:100}==0', { selector: { stage: 100 } }],
  ])('%j', (text, expected) => {
    const threshold = parseThreshold(text);
    expect(threshold).toMatchObject(expected);
    expect(parseThreshold(threshold.expression)).toEqual(threshold);
  });

  it.each([
    ['uptime.min{stage:2}>=0.9', 'uptime.min has no figure per stage; with {stage:N} use fps.avg, fps.min, fps.p5, fps.p50, frame_gap_ms.p50'],
    ['fps.aggregate{stage:1}>1', 'fps.aggregate has no figure per stage; with {stage:N} use'],
    ['isolation.fps_change_pct{stage:1}>-5', 'isolation.fps_change_pct has no figure per stage'],
    [
      'frame_gap_ms.p95{viewers:slow,stage:2}<500',
      'frame_gap_ms.p95 per stage is over all viewers of the stage, not one group’s; with {viewers:…,stage:N} use fps.avg, fps.min, fps.p5, fps.p50',
    ],
    ['delay.p95{stage:2,viewers:normal}<1s', 'delay.p95 per stage is over all viewers of the stage'],
    ['fps.p5{stage:0}>=1', "unknown value '0' for stage; known stage: a stage's number, 1 to 100, as --stages lists them (e.g. {stage:2})"],
    ['fps.p5{stage:101}>=1', "unknown value '101' for stage; known stage: a stage's number, 1 to 100"],
    ['fps.p5{stage:02}>=1', "unknown value '02' for stage"],
    ['fps.p5{stage:1.5}>=1', "unknown value '1.5' for stage"],
    ['fps.p5{stage:-1}>=1', "unknown value '-1' for stage"],
    ['fps.p5{stage:two}>=1', "unknown value 'two' for stage"],
    ['fps.p5{stage:1,stage:2}>=1', "selector key 'stage' given twice"],
    ['fps.p5{stages:2}>=1', "unknown selector key 'stages'; did you mean stage?"],
  ])('refuses %j with one line: ERR_BAD_THRESHOLD', (text, message) => {
    const refused = (): unknown => parseThreshold(text);
    expect(refused).toThrow(UsageError);
    expect(refused).toThrow(expect.objectContaining({ code: 'ERR_BAD_THRESHOLD' }) as Error);
    expect(refused).toThrow(`--threshold '${text}': ${message.replace('’', "'")}`);
    expect(refused).not.toThrow(/\n/);
  });

  it('every metric the stage selector takes is a threshold metric, and the refusal lists them all', () => {
    for (const name of STAGE_METRICS.keys()) expect(METRICS_BY_NAME.get(name)?.name).toBe(name);
    expect(() => parseThreshold('uptime.avg{stage:1}>0')).toThrow(`use ${[...STAGE_METRICS.keys()].join(', ')}`);
  });

  it('property: a stage threshold formatted and parsed back is the same threshold, with a viewer group or without', () => {
    const operators: Operator[] = ['<', '<=', '>', '>=', '=='];
    const perViewer = ['fps.avg', 'fps.min', 'fps.p5', 'fps.p50'];
    fc.assert(
      fc.property(
        fc.constantFrom(...STAGE_METRICS.keys()),
        fc.option(fc.constantFrom(...VIEWER_GROUPS), { nil: undefined }),
        fc.integer({ min: 1, max: 100 }),
        fc.constantFrom(...operators),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        (metric, viewers, stage, operator, value) => {
          const selector = viewers === undefined || !perViewer.includes(metric) ? { stage } : { viewers, stage };
          const text = formatThreshold({ metric, selector, operator, value });
          expect(parseThreshold(text)).toEqual({ expression: text, metric, selector, operator, value });
        },
      ),
    );
  });
});

describe('the stage selector: evaluation', () => {
  const report = stagedReport();

  it("fps, frame gaps, times to first frame and delays: the stage table's own figures", () => {
    for (let n = 1; n <= STAGES.length; n++) {
      const stage = stageOf(report, n);
      expect(actual(report, `fps.p5{stage:${n}}>=0`)).toBe(stage.fpsPerStream?.p5);
      expect(actual(report, `fps.p50{stage:${n}}>=0`)).toBe(stage.fpsPerStream?.p50);
      expect(actual(report, `fps.avg{stage:${n}}>=0`)).toBe(stage.fpsPerStream?.mean);
      expect(actual(report, `fps.min{stage:${n}}>=0`)).toBe(round(viewerFps(report, n)[0] ?? Number.NaN));
      expect(actual(report, `frame_gap_ms.p95{stage:${n}}>=0`)).toBe(stage.frameGapMs.p95);
      expect(actual(report, `delay.p99{stage:${n}}>=0`)).toBe(stage.delayMs.p99);
      expect(actual(report, `frames{stage:${n}}>=0`)).toBe(stage.frames);
    }
    expect(actual(report, 'ttff_ms.max{stage:1}>=0')).toBe(stageOf(report, 1).timeToFirstFrameMs.max);
  });

  it('counts: reconnections, errors and stalls within the stage', () => {
    // Slot 1 stalled once in stage 2 and came back; slot 2 had a 503 in stage 4.
    const [reconnections, errors, stalls, none, last] = check(
      report,
      'reconnections{stage:2}==1',
      'errors{stage:2}==1',
      'stalls{stage:2}==1',
      'errors{stage:3}==0',
      'stalls{stage:4}==0',
    );
    for (const result of [reconnections, errors, stalls, none, last]) expect(result).toMatchObject({ passed: true });
    expect(actual(report, 'errors{stage:4}==1')).toBe(1);
  });

  it('a figure the stage does not have fails: no arrival in stage 2 had a first frame', () => {
    expect(stageOf(report, 2).timeToFirstFrameMs.count).toBe(0);
    expect(check(report, 'ttff_ms.p95{stage:2}<100000')[0]).toEqual({ expression: 'ttff_ms.p95{stage:2}<100000', actual: null, passed: false });
  });

  it('a stage the run did not have fails, whatever the operator; so does any stage of a run without stages', () => {
    expect(check(report, 'errors{stage:5}>=0')[0]).toEqual({ expression: 'errors{stage:5}>=0', actual: null, passed: false });
    const { stages: _stages, ...plain } = report;
    expect(check(plain, 'fps.p5{stage:1}>=0')[0]).toMatchObject({ actual: null, passed: false });
  });

  it("with a viewer group: that group's viewers' fps within the stage", () => {
    const grouped = groupedStagedReport();
    for (let n = 1; n <= STAGES.length; n++) {
      const slow = viewerFps(grouped, n, (i) => i % 2 === 1);
      const normal = viewerFps(grouped, n, (i) => i % 2 === 0);
      expect(actual(grouped, `fps.p5{viewers:slow,stage:${n}}>=0`)).toBe(slow.length > 0 ? round(rank(slow, 5)) : null);
      expect(actual(grouped, `fps.min{viewers:normal,stage:${n}}>=0`)).toBe(normal.length > 0 ? round(normal[0] ?? 0) : null);
    }
    // A group the run did not have, in a stage it had: fails.
    expect(check(grouped, 'fps.p5{viewers:stuck,stage:2}>=0')[0]).toMatchObject({ actual: null, passed: false });
  });

  it("property: the stage table's fps, any stories; a group's lowest fps is never below the stage's", () => {
    fc.assert(
      fc.property(fc.array(slotStory, { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: STAGES.length }), (stories, n) => {
        const run = stagedReport({ stories });
        const fps = stageOf(run, n).fpsPerStream;
        expect(actual(run, `fps.p5{stage:${n}}>=0`)).toBe(fps?.p5 ?? null);
        expect(actual(run, `fps.p50{stage:${n}}>=0`)).toBe(fps?.p50 ?? null);
        expect(actual(run, `fps.avg{stage:${n}}>=0`)).toBe(fps?.mean ?? null);
        const whole = actual(run, `fps.min{stage:${n}}>=0`);
        const grouped = { ...run, streams: run.streams.map((s) => ({ ...s, viewers: s.index % 2 === 1 ? ('slow' as const) : ('normal' as const) })) };
        grouped.viewerGroups = (['normal', 'slow'] as const).map((group) => ({ group, behaviour: group, share: 0.5, beganAtSeconds: 0, summary: run.summary }));
        for (const group of ['normal', 'slow']) {
          const min = actual(grouped, `fps.min{viewers:${group},stage:${n}}>=0`);
          if (min !== null) expect(min).toBeGreaterThanOrEqual(whole ?? Infinity);
        }
      }),
      { numRuns: 40 },
    );
  });

  it("a merge's stage thresholds read the merged table, as the whole run's do", () => {
    const texts = ['fps.p5{stage:2}>=4', 'frame_gap_ms.p95{stage:1}<=250', 'errors{stage:2}==1', 'reconnections{stage:4}==1', 'ttff_ms.max{stage:4}<1000'];
    const shards = [1, 2].map((index) => stagedReport({ shard: { index, count: 2 }, thresholds: texts }));
    const merged = mergeReports(shards);
    expect(merged.thresholds).toEqual(check(report, ...texts));
    expect(merged.thresholds.map((t) => t.passed)).toEqual([true, true, true, true, true]);
  });
});

describe('checkThresholdStages: a stage the run will not have, refused before it runs', () => {
  const thresholds = ['fps.p5{stage:4}>=1', 'fps.p5>=1'].map(parseThreshold);
  const checked =
    (stages: number | undefined, given = thresholds) =>
    (): void => {
      checkThresholdStages(given, stages);
    };

  it('passes a stage within the run and thresholds without a stage', () => {
    expect(checked(4)).not.toThrow();
    expect(checked(undefined, [parseThreshold('fps.p5>=1')])).not.toThrow();
  });

  it('refuses a stage past the last, or any stage without --stages (ERR_BAD_THRESHOLD, one line)', () => {
    expect(checked(3)).toThrow("--threshold 'fps.p5{stage:4}>=1': the run has 3 stages (--stages), numbered from 1: there is no stage 4");
    expect(checked(1)).toThrow('the run has 1 stage (--stages)');
    expect(checked(undefined)).toThrow(
      expect.objectContaining({
        code: 'ERR_BAD_THRESHOLD',
        message: "--threshold 'fps.p5{stage:4}>=1': {stage:4} reads a stage of --stages, and the run has none",
      }) as Error,
    );
  });
});
