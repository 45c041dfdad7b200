import { describe, expect, it } from 'vitest';
import { MAX_STORMS, parseStorms } from '../../src/options/storm-options.js';
import { stormReports } from '../../src/report/storm-reports.js';
import { encodeHistogram, GapHistogram } from '../../src/metrics/gap-histogram.js';
import { refusal } from '../helpers/option-refusals.js';

const RUN_MS = 300_000;

describe('--storm-at <time[:immediate],...>', () => {
  it('reads times from the run start, each with its mode, in time order', () => {
    expect(parseStorms('4m:immediate, 2m', RUN_MS)).toEqual([
      { atMs: 120_000, immediate: false },
      { atMs: 240_000, immediate: true },
    ]);
  });

  it.each([
    ['abc', 'storm 1', 'not a time'],
    ['2m,x', "storm 2 ('x', from character 4)", 'not a time'],
    ['2m:soon', 'storm 1', "the only mode is ':immediate'"],
    ['0s', 'storm 1', 'outside the run'],
    ['5m', 'storm 1', 'outside the run'],
    ['2m,120s', '', '120 s twice'],
  ])('refuses %s, naming the flag, the storm and what to change', (value, where, what) => {
    const { code, message } = refusal(() => parseStorms(value, RUN_MS));
    expect(code).toBe('ERR_BAD_STORM');
    expect(message).toContain('--storm-at');
    expect(message).toContain(where);
    expect(message).toContain(what);
  });

  it(`takes at most ${MAX_STORMS} storms`, () => {
    const many = Array.from({ length: MAX_STORMS + 1 }, (_, i) => `${i + 1}s`).join(',');
    expect(refusal(() => parseStorms(many, RUN_MS)).message).toContain(`at most ${MAX_STORMS}`);
  });
});

describe('a storm’s recovery', () => {
  const storm = { atMs: 1000, immediate: false };
  const encoded = (values: number[]): string => {
    const h = new GapHistogram();
    for (const v of values) h.record(v);
    return encodeHistogram(h);
  };

  it('95% is a rank over every dropped viewer, the unrecovered last; null when too few recovered', () => {
    const times = Array.from({ length: 19 }, (_, i) => (i + 1) * 10);
    const [all] = stormReports([{ storm, struckAtMs: 1000, viewers: 19, attempts: 19, errors: {}, recoveryHistograms: [encoded(times)] }]);
    expect(all).toMatchObject({ recovered: 19, recovery95Ms: 190, recoveryAllMs: 190 });
    // 20 dropped, 19 back: 95% of 20 is the 19th, all of them is never.
    const [short] = stormReports([{ storm, struckAtMs: 1000, viewers: 20, attempts: 20, errors: {}, recoveryHistograms: [encoded(times)] }]);
    expect(short).toMatchObject({ recovered: 19, recovery95Ms: 190, recoveryAllMs: null });
    const [fewer] = stormReports([{ storm, struckAtMs: 1000, viewers: 21, attempts: 21, errors: {}, recoveryHistograms: [encoded(times)] }]);
    expect(fewer).toMatchObject({ recovery95Ms: null, recoveryAllMs: null });
  });

  it('adds shards: two halves read as the whole', () => {
    const a = [5, 50, 500];
    const b = [7, 70, 700, 7000];
    const [merged] = stormReports([{ storm, struckAtMs: 1000, viewers: 7, attempts: 9, errors: {}, recoveryHistograms: [encoded(a), encoded(b)] }]);
    const [whole] = stormReports([{ storm, struckAtMs: 1000, viewers: 7, attempts: 9, errors: {}, recoveryHistograms: [encoded([...a, ...b])] }]);
    expect(merged).toEqual(whole);
  });
});
