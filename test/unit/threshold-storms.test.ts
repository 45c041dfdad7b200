import { describe, expect, it } from 'vitest';
import { asShardReport } from '../../src/report/merge-input.js';
import { mergeReports } from '../../src/report/merge-reports.js';
import type { Report } from '../../src/report/report-types.js';
import { evaluateThresholds, parseThreshold } from '../../src/report/thresholds.js';
import { stormedReport, type SlotStory } from '../helpers/stormed-report.js';

// Thresholds on the storms of --storm-at: the slowest storm's recovery (ms, units as the other ms metrics take),
// a storm whose viewers were not all back failing it, and the viewers lost over all storms.

const check = (report: Report, ...expressions: string[]): [string, number | null, boolean][] =>
  evaluateThresholds(expressions.map(parseThreshold), report).map((r) => [r.expression, r.actual, r.passed]);

/** Every dropped viewer back: storm 1 in 120-900 ms, storm 2 in 40-1,500 ms. */
const ALL_BACK: readonly SlotStory[] = [
  [
    { open: true, recoveryMs: 120, failures: [] },
    { open: true, recoveryMs: 40, failures: [] },
  ],
  [
    { open: true, recoveryMs: 900, failures: ['HTTP_503'] },
    { open: true, recoveryMs: 1_500, failures: [] },
  ],
];

describe('storm thresholds', () => {
  it('parse with the units of the ms metrics: 10s is 10,000 ms', () => {
    expect(parseThreshold('storm.recovery_ms.max<10s')).toEqual({
      expression: 'storm.recovery_ms.max<10s',
      metric: 'storm.recovery_ms.max',
      operator: '<',
      value: 10_000,
    });
    expect(parseThreshold('storm.recovery_ms.p95<=800ms').value).toBe(800);
    expect(parseThreshold('storm.lost_viewers==0').value).toBe(0);
    expect(() => parseThreshold('storm.lost_viewers<2s')).toThrow(/'s' is not a unit of this metric \(viewers: give a plain number\)/);
    expect(() => parseThreshold('storm.recovery_ms.p99<1s')).toThrow(/unknown metric 'storm.recovery_ms.p99'; did you mean/);
  });

  it('read the slowest storm, over every storm of the run', () => {
    const report = stormedReport({ stories: ALL_BACK });
    expect(report.storms?.map((s) => [s.recovery95Ms, s.recoveryAllMs])).toEqual([
      [900, 900],
      [1_500, 1_500],
    ]);
    expect(check(report, 'storm.recovery_ms.max<10s', 'storm.recovery_ms.p95<1s', 'storm.lost_viewers==0')).toEqual([
      ['storm.recovery_ms.max<10s', 1_500, true],
      ['storm.recovery_ms.p95<1s', 1_500, false],
      ['storm.lost_viewers==0', 0, true],
    ]);
  });

  it('the 95% rank is over all the dropped viewers: one of 20 still away leaves p95 but not max', () => {
    const stories: SlotStory[] = Array.from({ length: 20 }, (_, i) => [
      i === 0 ? { open: true, failures: ['STALL'] } : { open: true, recoveryMs: 100 + i, failures: [] },
      { open: true, recoveryMs: 50, failures: [] },
    ]);
    const report = stormedReport({ stories, slots: 20 });
    expect(check(report, 'storm.recovery_ms.p95<10s', 'storm.recovery_ms.max<10s', 'storm.lost_viewers<=1')).toEqual([
      ['storm.recovery_ms.p95<10s', 119, true],
      ['storm.recovery_ms.max<10s', null, false],
      ['storm.lost_viewers<=1', 1, true],
    ]);
  });

  it('a storm whose viewers were not all back fails (actual n/a), however fast the others were', () => {
    const report = stormedReport({
      stories: [
        [
          { open: true, recoveryMs: 10, failures: [] },
          { open: true, failures: ['HTTP_503'] },
        ],
      ],
    });
    expect(check(report, 'storm.recovery_ms.max<10s', 'storm.recovery_ms.p95<10s', 'storm.lost_viewers==0')).toEqual([
      ['storm.recovery_ms.max<10s', null, false],
      ['storm.recovery_ms.p95<10s', null, false],
      ['storm.lost_viewers==0', 4, false],
    ]);
  });

  it('a run without storms fails them: a figure the run does not have', () => {
    const { storms: _storms, ...report } = stormedReport();
    expect(check(report, 'storm.recovery_ms.max<10s', 'storm.lost_viewers==0').map(([, actual, passed]) => [actual, passed])).toEqual([
      [null, false],
      [null, false],
    ]);
  });

  it('merge checks them on the merged storms: a shard alone does not hold the slowest viewer', () => {
    const shards = [1, 2].map((index) => stormedReport({ stories: ALL_BACK, shard: { index, count: 2 } }));
    const [one] = shards.map((r) => check(r, 'storm.recovery_ms.max<1s'));
    expect(one).toEqual([['storm.recovery_ms.max<1s', 120, true]]);
    const merged = mergeReports(
      shards.map((r, i) => asShardReport(JSON.parse(JSON.stringify(r)), `shard-${i + 1}.json`)),
      { thresholds: [parseThreshold('storm.recovery_ms.max<1s')] },
    );
    expect(merged.thresholds.map((t) => [t.actual, t.passed])).toEqual([[1_500, false]]);
  });

  it.each(['storm.recovery_ms.max{viewers:slow}<10s', 'storm.lost_viewers{stage:1}==0'])('%s is refused: storms take no selector', (text) => {
    expect(() => parseThreshold(text)).toThrow(/: it takes no selector$/);
  });
});
