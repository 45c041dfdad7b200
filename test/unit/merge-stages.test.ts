import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addEncodedHistograms } from '../../src/metrics/encoded-histograms.js';
import { asShardReport } from '../../src/report/merge-input.js';
import { mergeReports } from '../../src/report/merge-reports.js';
import type { Report, StageReport } from '../../src/report/report-types.js';
import { schemaErrors } from '../helpers/report-schema.js';
import { slotStory, STAGES, stagedReport, STORIES, type SlotStory } from '../helpers/staged-report.js';

// A sharded run with --stages merged is the run one process would have reported: each stage's counts are the
// shards' added, its histograms the shards' added, its fps read again from the merged streams.

const SLOTS = Math.max(...STAGES.map((s) => s.target));
const shardsOf = (count: number, stories: readonly SlotStory[] = STORIES): Report[] =>
  Array.from({ length: count }, (_, i) => stagedReport({ stories, shard: { index: i + 1, count } }));
/** As `merge` reads files: JSON, checked. */
const readBack = (reports: readonly Report[]): Report[] => reports.map((r, i) => asShardReport(JSON.parse(JSON.stringify(r)), `shard-${i + 1}.json`));
const stageOf = (report: Report, i: number): StageReport => report.stages?.[i] as StageReport;

describe('merging the stage table', () => {
  it('property: any split of the slots over shards, in any order, merges to the one-process stage table and streams', () => {
    fc.assert(
      fc.property(fc.array(slotStory, { minLength: 1, maxLength: SLOTS }), fc.integer({ min: 1, max: SLOTS }), fc.nat(), (stories, count, rotate) => {
        const parts = readBack(shardsOf(count, stories));
        const given = [...parts.slice(rotate % count), ...parts.slice(0, rotate % count)];
        const merged = mergeReports(given);
        const whole = stagedReport({ stories });
        expect(merged.stages).toEqual(whole.stages);
        expect(merged.streams.map((s) => s.stages)).toEqual(whole.streams.map((s) => s.stages));
      }),
      { numRuns: 60 },
    );
  });

  it("each stage's counts are the shards' sums and its histograms the shards' added", () => {
    const parts = readBack(shardsOf(2));
    const merged = mergeReports(parts);
    expect(merged.stages).toHaveLength(STAGES.length);
    merged.stages?.forEach((stage, i) => {
      const shards = parts.map((p) => stageOf(p, i));
      for (const key of ['arrivals', 'departures', 'reconnections', 'droppedArrivals', 'frames'] as const)
        expect(stage[key], `stage ${i + 1} ${key}`).toBe(shards.reduce((n, s) => n + s[key], 0));
      const codes = new Set(shards.flatMap((s) => Object.keys(s.errors)));
      for (const code of codes) expect(stage.errors[code]).toBe(shards.reduce((n, s) => n + (s.errors[code] ?? 0), 0));
      for (const [figures, encoded, lowest] of [
        ['frameGapMs', 'frameGapHistogram', 1],
        ['delayMs', 'delayHistogram', 0],
        ['timeToFirstFrameMs', 'timeToFirstFrameHistogram', 1],
      ] as const) {
        const added = addEncodedHistograms(
          shards.map((s) => s[encoded]),
          lowest,
        );
        expect(stage[encoded], `stage ${i + 1} ${encoded}`).toBe(added.encoded);
        expect(stage[figures]).toEqual(added.percentiles);
        expect(stage[figures].count).toBe(shards.reduce((n, s) => n + s[figures].count, 0));
      }
    });
    // The story has a stall in stage 2 and a 503 in stage 4, in different shards: both are in the merge.
    expect(stageOf(merged, 1).errors).toEqual({ STALL: 1 });
    expect(stageOf(merged, 3).errors).toEqual({ HTTP_503: 1 });
  });

  it('the fps are read again from the merged streams, over viewers watched 1 s or more', () => {
    const merged = mergeReports(readBack(shardsOf(3)));
    merged.stages?.forEach((stage, i) => {
      const watched = merged.streams.flatMap((s) => {
        const v = s.stages?.[i];
        return v && v.seconds >= 1 ? [v.frames / v.seconds] : [];
      });
      expect(stage.fpsPerStream?.streams ?? 0).toBe(watched.length);
    });
    // No shard alone had stage 2's four viewers.
    expect(stageOf(merged, 1).fpsPerStream?.streams).toBe(4);
  });

  it('the merged report fits the schema; a partial merge covers the shards it has', () => {
    const [one, two] = readBack(shardsOf(2));
    expect(schemaErrors(mergeReports([one as Report, two as Report]))).toBe('');
    const partial = mergeReports([one as Report], { allowPartial: true });
    expect(schemaErrors(partial)).toBe('');
    expect(partial.stages?.map((s) => s.arrivals)).toEqual(one?.stages?.map((s) => s.arrivals));
  });

  it('a run without stages merges with no stage table, as before', () => {
    const parts = readBack(shardsOf(2)).map(({ stages: _stages, ...rest }) => ({ ...rest, streams: rest.streams.map(({ stages: _s, ...s }) => s) }));
    expect(mergeReports(parts).stages).toBeUndefined();
  });

  it.each<[string, (r: Report) => Report, RegExp]>([
    [
      'no stage table',
      ({ stages: _stages, ...rest }) => ({ ...rest, streams: rest.streams.map(({ stages: _s, ...s }) => s) }),
      /has no stage table where a\.json has one/,
    ],
    [
      'another ramp',
      (r) => ({ ...r, stages: r.stages?.map((s, i) => (i === 2 ? { ...s, target: { ...s.target, to: 2 } } : s)) }),
      /ran other stages than a\.json/,
    ],
    ['another length', (r) => ({ ...r, stages: r.stages?.map((s, i) => (i === 3 ? { ...s, toSeconds: 10 } : s)) }), /ran other stages than a\.json/],
  ])('a shard with %s is refused, naming it (ERR_MERGE_DIFFERENT_PLANS)', (_, edit, message) => {
    const [one, two] = readBack(shardsOf(2));
    const run = () => mergeReports([one as Report, edit(two as Report)], { names: ['a.json', 'b.json'] });
    expect(run).toThrow(message);
    expect(run).toThrow(/^b\.json .*: the shards of one test run the same --stages \(ERR_MERGE_DIFFERENT_PLANS\)$/);
  });
});
