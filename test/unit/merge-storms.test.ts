import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeHistogram } from '../../src/metrics/gap-histogram.js';
import { addEncodedHistograms } from '../../src/metrics/encoded-histograms.js';
import type { StormWindow } from '../../src/metrics/storm-window.js';
import { asShardReport } from '../../src/report/merge-input.js';
import { mergeReports } from '../../src/report/merge-reports.js';
import type { Report, StormReport } from '../../src/report/report-types.js';
import { stormReports, type StormInput } from '../../src/report/storm-reports.js';
import { schemaErrors } from '../helpers/report-schema.js';
import { SLOTS, slotStory, STORIES, stormedReport, stormWindows, type SlotStory } from '../helpers/stormed-report.js';

// A sharded run with --storm-at merged is the run one process would have reported: each storm's counts are the
// shards' added, its recovery histogram the shards' added, and its recovery ranks over every dropped viewer.

/** Shard k strikes k ms late, so the merge's strike (the latest shard's) is told apart from the others'. */
const shardsOf = (count: number, stories: readonly SlotStory[] = STORIES): Report[] =>
  Array.from({ length: count }, (_, i) => stormedReport({ stories, shard: { index: i + 1, count }, lateMs: i + 1 }));
/** As `merge` reads files: JSON, checked. */
const readBack = (reports: readonly Report[]): Report[] => reports.map((r, i) => asShardReport(JSON.parse(JSON.stringify(r)), `shard-${i + 1}.json`));
const stormOf = (report: Report, i: number): StormReport => report.storms?.[i] as StormReport;

/** One process's storm input, straight from its windows (as build-report encodes them). */
const inputOf = (w: StormWindow): StormInput => ({
  storm: w.storm,
  struckAtMs: w.struckAtMs,
  viewers: w.viewers,
  attempts: w.attempts,
  errors: { ...w.errors },
  recoveryHistograms: [encodeHistogram(w.recoveries)],
});
const allSlots = Array.from({ length: SLOTS }, (_, i) => i);

describe('merging the storms', () => {
  it("property: any split of the viewers over shards, in any order, merges to one process's storms", () => {
    fc.assert(
      fc.property(fc.array(slotStory, { minLength: 1, maxLength: SLOTS }), fc.integer({ min: 1, max: SLOTS }), fc.nat(), (stories, count, rotate) => {
        const parts = readBack(shardsOf(count, stories));
        const given = [...parts.slice(rotate % count), ...parts.slice(0, rotate % count)];
        const merged = mergeReports(given);
        expect(merged.storms).toEqual(stormReports(stormWindows(stories, allSlots, count).map(inputOf)));
        expect(merged.storms).toEqual(stormedReport({ stories, lateMs: count }).storms);
      }),
      { numRuns: 100 },
    );
  });

  it("each storm's counts are the shards' sums, its histogram the shards' added, its strike the latest", () => {
    const parts = readBack(shardsOf(2));
    const merged = mergeReports(parts);
    merged.storms?.forEach((storm, i) => {
      const shards = parts.map((p) => stormOf(p, i));
      for (const key of ['viewers', 'recovered', 'attempts'] as const) expect(storm[key], `storm ${i + 1} ${key}`).toBe(shards.reduce((n, s) => n + s[key], 0));
      const added = addEncodedHistograms(
        shards.map((s) => s.recoveryHistogram),
        1,
      );
      expect(storm.recoveryHistogram).toBe(added.encoded);
      expect(storm.recoveryMs).toEqual(added.percentiles);
      expect(storm.struckAtSeconds).toBe(storm.atSeconds + 0.002);
    });
    // Storm 1: all four back, the last at 900 ms; storm 2: three dropped, one never back (STALL), so neither rank is reached.
    expect(merged.storms?.map((s) => [s.viewers, s.recovered, s.recovery95Ms, s.recoveryAllMs])).toEqual([
      [4, 4, 900, 900],
      [3, 2, null, null],
    ]);
    expect(stormOf(merged, 0).errors).toEqual({ HTTP_503: 1 });
    expect(stormOf(merged, 1).errors).toEqual({ ECONNRESET: 1, HTTP_503: 1, STALL: 1 });
  });

  it('the merged report fits the schema; a partial merge covers the shards it has', () => {
    const [one, two] = readBack(shardsOf(2));
    expect(schemaErrors(mergeReports([one as Report, two as Report]))).toBe('');
    const partial = mergeReports([one as Report], { allowPartial: true });
    expect(schemaErrors(partial)).toBe('');
    expect(partial.storms?.map((s) => s.viewers)).toEqual(one?.storms?.map((s) => s.viewers));
  });

  it('a run without storms merges with none, as before', () => {
    const parts = readBack(shardsOf(2)).map(({ storms: _storms, ...rest }) => rest);
    expect(mergeReports(parts).storms).toBeUndefined();
  });

  it.each<[string, (r: Report) => Report, RegExp]>([
    ['no storms', ({ storms: _storms, ...rest }) => rest, /has no storms where a\.json has some/],
    ['another time', (r) => ({ ...r, storms: r.storms?.map((s, i) => (i === 1 ? { ...s, atSeconds: 4.5 } : s)) }), /ran other storms than a\.json/],
    ['another mode', (r) => ({ ...r, storms: r.storms?.map((s, i) => (i === 0 ? { ...s, immediate: true } : s)) }), /ran other storms than a\.json/],
    ['one storm fewer', (r) => ({ ...r, storms: r.storms?.slice(0, 1) }), /ran other storms than a\.json/],
  ])('a shard with %s is refused, naming it (ERR_MERGE_DIFFERENT_PLANS)', (_, edit, message) => {
    const [one, two] = readBack(shardsOf(2));
    const run = () => mergeReports([one as Report, edit(two as Report)], { names: ['a.json', 'b.json'] });
    expect(run).toThrow(message);
    expect(run).toThrow(/^b\.json .*: the shards of one test run the same --storm-at \(ERR_MERGE_DIFFERENT_PLANS\)$/);
  });

  it('a first shard without storms beside one with them is refused too', () => {
    const [one, two] = readBack(shardsOf(2));
    const { storms: _storms, ...bare } = one as Report;
    expect(() => mergeReports([bare, two as Report], { names: ['a.json', 'b.json'] })).toThrow(/^b\.json has storms where a\.json has none/);
  });
});
