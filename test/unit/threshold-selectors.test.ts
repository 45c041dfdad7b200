import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { reportForViewers } from '../../src/report/report-for-viewers.js';
import type { Report, ReportSummary, ViewerGroupReport } from '../../src/report/report-types.js';
import { METRICS_BY_NAME } from '../../src/report/threshold-metrics.js';
import { evaluateThresholds, formatThreshold, parseThreshold, type Operator } from '../../src/report/thresholds.js';
import { VIEWER_GROUPS, type ViewerGroup } from '../../src/viewers.js';
import { runReport } from './html/pages.js';

// k6-style selectors on thresholds (issue 29): `fps.p5{viewers:slow}>=2` reads its metric from the slow viewers alone.

describe('threshold selectors: parsing', () => {
  it.each([
    [
      'fps.p5{viewers:normal}>=4.9',
      { expression: 'fps.p5{viewers:normal}>=4.9', metric: 'fps.p5', selector: { viewers: 'normal' }, operator: '>=', value: 4.9 },
    ],
    ['delay_ms.p95{viewers:slow}<2s', { expression: 'delay_ms.p95{viewers:slow}<2s', metric: 'delay_ms.p95', selector: { viewers: 'slow' }, value: 2000 }],
    // Whitespace around every token, as without a selector; the expression is canonical.
    ['  fps.avg { viewers : pausing } >= 4 ', { expression: 'fps.avg{viewers:pausing}>=4', selector: { viewers: 'pausing' }, value: 4 }],
    ['fps.avg{ viewers:stuck }<1', { expression: 'fps.avg{viewers:stuck}<1', selector: { viewers: 'stuck' } }],
    // An alias keeps the user's spelling, as it does without a selector.
    ['delay.p95{viewers:slow}<500ms', { expression: 'delay.p95{viewers:slow}<500ms', metric: 'delay.p95', value: 500 }],
  ])('%j', (text, expected) => {
    expect(parseThreshold(text)).toMatchObject(expected);
  });

  it('a threshold without a selector has no selector field (callers and reports as before)', () => {
    const threshold = parseThreshold('fps.p5 >= 4.9');
    expect(threshold).toEqual({ expression: 'fps.p5>=4.9', metric: 'fps.p5', operator: '>=', value: 4.9 });
    expect('selector' in threshold).toBe(false);
  });

  it('the canonical expression parses back to the same threshold (merge re-reads the shards’ expressions)', () => {
    for (const text of [' fps.p5 {viewers : slow}>=2', 'delay.p95{viewers:normal}<0.5s', 'errors{viewers:stuck}==0']) {
      const threshold = parseThreshold(text);
      expect(parseThreshold(threshold.expression)).toEqual(threshold);
    }
  });

  it.each([
    ['fps.p5{}>=1', 'empty selector {}; give KEY:VALUE (keys: viewers, stage) or leave the braces out'],
    ['fps.p5{ }>=1', 'empty selector {}; give KEY:VALUE (keys: viewers, stage) or leave the braces out'],
    ['fps.p5{viewer:slow}>=1', "unknown selector key 'viewer'; did you mean viewers?"],
    ['fps.p5{group:slow}>=1', "unknown selector key 'group'; known keys: viewers, stage"],
    ['fps.p5{viewers:slw}>=1', "unknown value 'slw' for viewers; did you mean slow?"],
    ['fps.p5{viewers:Normal}>=1', "unknown value 'Normal' for viewers; did you mean normal?"],
    ['fps.p5{viewers:fast}>=1', "unknown value 'fast' for viewers; known viewers: normal, slow, pausing, stuck"],
    ['fps.p5{viewers:slow,viewers:stuck}>=1', "selector key 'viewers' given twice"],
    ['fps.p5{viewers:slow,viewers:slow}>=1', "selector key 'viewers' given twice"],
    ['fps.p5{viewers:slow,}>=1', 'empty entry in selector {viewers:slow,}; entries are KEY:VALUE separated by commas'],
    ['fps.p5{viewers}>=1', "selector entry 'viewers' is not KEY:VALUE (e.g. {viewers:slow})"],
    ['fps.p5{viewers:}>=1', "selector entry 'viewers:' is not KEY:VALUE (e.g. {viewers:slow})"],
    ['fps.p5{viewers=slow}>=1', "selector entry 'viewers=slow' is not KEY:VALUE (e.g. {viewers:slow})"],
    ['fps.p5{viewers:slow stuck}>=1', "selector entry 'viewers:slow stuck' is not KEY:VALUE (e.g. {viewers:slow})"],
    ['fps.p5{viewers:slow>=1', "malformed selector; expected METRIC{KEY:VALUE[,KEY:VALUE]} OP VALUE, e.g. 'fps.p5{viewers:slow}>=2'"],
    ['fps.p5viewers:slow}>=1', 'malformed selector; expected'],
    ['fps.p5{{viewers:slow}}>=1', 'malformed selector; expected'],
    ['fps.p5{viewers:slow}{viewers:stuck}>=1', 'malformed selector; expected'],
    ['fps.p5>=1{viewers:slow}', 'malformed selector; expected'],
    ['{viewers:slow}>=1', 'malformed selector; expected'],
    // The metric is checked first: its error is the one that helps.
    ['fps.avrg{viewers:slow}>=1', "unknown metric 'fps.avrg'; did you mean fps.avg?"],
  ])('refuses %j: one line naming it, what is wrong and what is known', (text, message) => {
    expect(() => parseThreshold(text)).toThrow(UsageError);
    expect(() => parseThreshold(text)).toThrow(expect.objectContaining({ code: 'ERR_BAD_THRESHOLD' }) as Error);
    expect(() => parseThreshold(text)).toThrow(`--threshold '${text}': ${message}`);
    expect(() => parseThreshold(text)).not.toThrow(/\n/);
  });

  it('every threshold error carries ERR_BAD_THRESHOLD, those without a selector too', () => {
    for (const text of ['fps.avrg>=4', 'fps.avg>=', 'fps.avg>=fast', 'frozen==0ms']) {
      expect(() => parseThreshold(text)).toThrow(expect.objectContaining({ code: 'ERR_BAD_THRESHOLD' }) as Error);
    }
  });

  it('property: a threshold with a selector, formatted and parsed back, is the same metric, group, operator and value', () => {
    const operators: Operator[] = ['<', '<=', '>', '>=', '=='];
    fc.assert(
      fc.property(
        // The storm metrics are over every viewer a storm dropped, whatever its group: they take no selector.
        fc.constantFrom(...[...METRICS_BY_NAME.keys()].filter((name) => !name.startsWith('storm.'))),
        fc.constantFrom(...VIEWER_GROUPS),
        fc.constantFrom(...operators),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        (metric, viewers, operator, value) => {
          const text = formatThreshold({ metric, selector: { viewers }, operator, value });
          const parsed = parseThreshold(text);
          expect(parsed).toEqual({ expression: text, metric, selector: { viewers }, operator, value });
        },
      ),
    );
  });

  it('formatThreshold writes values the parser reads: no exponent, -0 kept', () => {
    expect(formatThreshold({ metric: 'fps.avg', operator: '>=', value: 1.5e-7 })).toBe('fps.avg>=0.00000015');
    expect(formatThreshold({ metric: 'frames', operator: '>', value: 2e21 })).toBe('frames>2000000000000000000000');
    expect(formatThreshold({ metric: 'errors', operator: '==', value: -0 })).toBe('errors==-0');
    expect(formatThreshold({ metric: 'errors', selector: { viewers: 'slow' }, operator: '==', value: 0 })).toBe('errors{viewers:slow}==0');
  });
});

const groupSummary = (base: ReportSummary, over: Partial<ReportSummary>): ReportSummary => ({ ...base, ...over });

/**
 * The fixture run (12 streams, all opened, fps 4.97 to 5.57) made into a run with groups: streams 0-7 normal (0-1
 * without a `viewers` field, as older writers leave it), 8-9 slow, 10-11 pausing; no stuck viewers.
 */
function groupedReport(): Report {
  const report = runReport();
  const viewersOf = (index: number): ViewerGroup | undefined => (index <= 1 ? undefined : index <= 7 ? 'normal' : index <= 9 ? 'slow' : 'pausing');
  report.streams = report.streams.map((stream) => {
    const viewers = viewersOf(stream.index);
    // The pausing viewers were never viewed for 1 s (a stream without an fps), to show the streams are narrowed too.
    const fps = viewers === 'pausing' ? null : stream.fps;
    return viewers === undefined ? { ...stream, fps } : { ...stream, viewers, fps };
  });
  const s = report.summary;
  const group = (name: ViewerGroup, summary: Partial<ReportSummary>): ViewerGroupReport => ({
    group: name,
    behaviour: name,
    share: 0,
    beganAtSeconds: 0,
    summary: groupSummary(s, summary),
  });
  report.viewerGroups = [
    group('normal', { streamsPlanned: 8, streamsOpened: 8, fpsPerStream: { min: 4.9, p5: 4.95, p50: 5, max: 5.1 }, totalStalls: 0 }),
    group('slow', { streamsPlanned: 2, streamsOpened: 2, fpsPerStream: { min: 1.9, p5: 2.1, p50: 2.5, max: 3 }, totalStalls: 3 }),
    group('pausing', { streamsPlanned: 2, streamsOpened: 1, fpsPerStream: { min: 0, p5: 0, p50: 0, max: 0 }, avgFpsPerStream: 4 }),
  ];
  return report;
}

const check = (report: Report, ...texts: string[]) => evaluateThresholds(texts.map(parseThreshold), report);

describe('threshold selectors: evaluation', () => {
  it('a run without groups: viewers:normal reads the whole run, any other group fails (it did not exist)', () => {
    const report = runReport();
    expect(report.viewerGroups).toBeUndefined();
    const [whole, normal, slow, stuckErrors, pausing] = check(
      report,
      'fps.p5>=4.9',
      'fps.p5{viewers:normal}>=4.9',
      'fps.p5{viewers:slow}>=0',
      'errors{viewers:stuck}<1000000',
      'stalls{viewers:pausing}==0',
    );
    expect(normal).toEqual({ expression: 'fps.p5{viewers:normal}>=4.9', actual: whole?.actual, passed: true });
    expect(slow).toEqual({ expression: 'fps.p5{viewers:slow}>=0', actual: null, passed: false });
    // Even a threshold every figure would pass: a group that did not exist never passes.
    expect(stuckErrors).toMatchObject({ actual: null, passed: false });
    expect(pausing).toMatchObject({ actual: null, passed: false });
  });

  it("a run with groups: each group's figure from its own summary", () => {
    const [normal, slow, slowStalls, ratio, whole] = check(
      groupedReport(),
      'fps.p5{viewers:normal}>=4.9',
      'fps.p5{viewers:slow}>=4.9',
      'stalls{viewers:slow}==0',
      'streams.opened_ratio{viewers:pausing}>=1',
      'fps.p5>=4.9',
    );
    expect(normal).toMatchObject({ actual: 4.95, passed: true });
    expect(slow).toMatchObject({ actual: 2.1, passed: false });
    expect(slowStalls).toMatchObject({ actual: 3, passed: false });
    expect(ratio).toMatchObject({ actual: 0.5, passed: false });
    // Without a selector: the whole run, as before.
    expect(whole).toMatchObject({ actual: runReport().summary.fpsPerStream.p5, passed: true });
  });

  it("a run with groups: a metric that reads the streams reads the group's streams", () => {
    // fps.avg needs a stream with an fps: the pausing group has none (its summary's 4 is not read), the slow one has.
    const [pausing, slow] = check(groupedReport(), 'fps.avg{viewers:pausing}>=0', 'fps.avg{viewers:slow}>=0');
    expect(pausing).toMatchObject({ actual: null, passed: false });
    expect(slow).toMatchObject({ actual: runReport().summary.avgFpsPerStream, passed: true });
  });

  it('a run with groups but not the one named: it fails', () => {
    const [stuck] = check(groupedReport(), 'errors{viewers:stuck}<1000000');
    expect(stuck).toEqual({ expression: 'errors{viewers:stuck}<1000000', actual: null, passed: false });
  });
});

describe('reportForViewers', () => {
  it("narrows the summary and the streams to the group; a stream without a group is normal's", () => {
    const report = groupedReport();
    const normal = reportForViewers(report, 'normal');
    expect(normal?.summary).toBe(report.viewerGroups?.[0]?.summary);
    expect(normal?.streams.map((s) => s.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(reportForViewers(report, 'slow')?.streams.map((s) => s.index)).toEqual([8, 9]);
    expect(reportForViewers(report, 'pausing')?.viewerGroups?.map((g) => g.group)).toEqual(['pausing']);
    // The rest of the report is the run's.
    expect(normal?.config).toBe(report.config);
    expect(normal?.timeline).toBe(report.timeline);
  });

  it('null for a group the run did not have; a run without groups is all normal', () => {
    const grouped = groupedReport();
    expect(reportForViewers(grouped, 'stuck')).toBeNull();
    const plain = runReport();
    expect(reportForViewers(plain, 'normal')).toBe(plain);
    for (const group of VIEWER_GROUPS.filter((g) => g !== 'normal')) expect(reportForViewers(plain, group)).toBeNull();
  });

  it('narrowing a view again to its own group gives the same view; it never changes the report', () => {
    const report = groupedReport();
    const before = JSON.stringify(report);
    for (const group of ['normal', 'slow', 'pausing'] as const) {
      const view = reportForViewers(report, group);
      expect(view).not.toBeNull();
      if (view) expect(reportForViewers(view, group)).toEqual(view);
    }
    expect(JSON.stringify(report)).toBe(before);
  });
});
