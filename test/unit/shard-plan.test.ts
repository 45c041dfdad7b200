import { describe, expect, it } from 'vitest';
import { resolveShard } from '../../src/options/run-options.js';
import { mergeTimelines } from '../../src/report/merge-timeline.js';
import type { ReportTimelineRow } from '../../src/report/report-types.js';
import { compareIds, orderCameras, planStreams, shardIndexes } from '../../src/run/plan-streams.js';

describe('sharding the plan', () => {
  it.each([
    [{ shard: '1/1' }, {}, { index: 1, count: 1 }],
    [{ shard: ' 2 / 4 ' }, {}, { index: 2, count: 4 }],
    [{ shards: '3' }, { JOB_COMPLETION_INDEX: '0' }, { index: 1, count: 3 }],
    [{ shards: '3' }, { JOB_COMPLETION_INDEX: '2' }, { index: 3, count: 3 }],
    [{}, { JOB_COMPLETION_INDEX: '2' }, undefined],
  ])('%j with %j', (flags, env, expected) => {
    expect(resolveShard(flags, env)).toEqual(expected);
  });

  it.each([
    [{ shard: '3/2' }, {}],
    [{ shard: '1/0' }, {}],
    [{ shard: '1' }, {}],
    [{ shards: '3' }, {}],
    [{ shards: '3' }, { JOB_COMPLETION_INDEX: '-1' }],
    [{ shards: '3' }, { JOB_COMPLETION_INDEX: '1.5' }],
    [{ shards: '0' }, { JOB_COMPLETION_INDEX: '0' }],
  ])('%j with %j is a usage error', (flags, env) => {
    expect(() => resolveShard(flags, env)).toThrow(expect.objectContaining({ code: 'ERR_USAGE' }) as Error);
  });

  it('round-robin shares cover every global index once, sizes differing by at most one', () => {
    for (const count of [1, 2, 3, 7]) {
      const shares = Array.from({ length: count }, (_, i) => shardIndexes(10, { index: i + 1, count }));
      expect(shares.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => i));
      const sizes = shares.map((s) => s.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
    expect(shardIndexes(4, undefined)).toEqual([0, 1, 2, 3]);
  });

  it('cameras are ordered by id, naturally and without a locale, whatever order the API gave', () => {
    expect(['cam-10', 'cam-2', '10', '9', 'b', 'a', 'cam-02'].sort(compareIds)).toEqual(['9', '10', 'a', 'b', 'cam-02', 'cam-2', 'cam-10']);
    const cameras = ['3', '1', '2'].map((id) => ({ id, name: id, streamUrl: `http://c/${id}` }));
    expect(planStreams(orderCameras(cameras), 5, 2).map((c) => c.id)).toEqual(['1', '2', '3', '1', '2']);
  });
});

describe('merging timelines on the wall clock', () => {
  const row = (at: number, fps: number, extra: Partial<ReportTimelineRow> = {}): ReportTimelineRow => ({
    t: 0,
    at,
    seconds: 1,
    openStreams: 2,
    fps,
    bytesPerSecond: fps * 1000,
    reconnections: 0,
    errors: 0,
    errorsByCode: {},
    freshFps: fps,
    timestampedFrames: 0,
    delayMsMean: null,
    ...extra,
  });

  it('shards started apart add up per interval, keeping every frame and count', () => {
    const a = [row(1_000, 10), row(2_000, 10, { errors: 1, errorsByCode: { HTTP_503: 1 } }), row(3_000, 10)];
    // Started half a second later, one row coarsened to two seconds.
    const b = [row(1_500, 4), row(2_500, 6, { seconds: 2, reconnections: 2, errors: 2, errorsByCode: { HTTP_503: 1, STALL: 1 } })];
    const merged = mergeTimelines([a, b], 1_000, 1_000);
    expect(merged.map((r) => r.at)).toEqual([1_000, 2_000, 3_000, 4_000]);
    expect(merged.map((r) => r.t)).toEqual([0, 1, 2, 3]);
    expect(merged.map((r) => r.fps)).toEqual([12, 15, 16, 6]);
    expect(merged.reduce((sum, r) => sum + r.fps * r.seconds, 0)).toBe(30 + 4 + 12);
    expect(merged.reduce((sum, r) => sum + r.errors, 0)).toBe(3);
    // Each count lands with its code in the row holding the shard row's middle.
    expect(merged.map((r) => r.errorsByCode)).toEqual([{}, { HTTP_503: 1 }, { HTTP_503: 1, STALL: 1 }, {}]);
    expect(merged.reduce((sum, r) => sum + r.reconnections, 0)).toBe(2);
    expect(merged[2]?.openStreams).toBe(4);
    // The last row lasts as long as the shards ran into it (b's last row ends at 4.5 s).
    expect(merged.map((r) => r.seconds)).toEqual([1, 1, 1, 0.5]);
  });

  it('rows of reports written before errorsByCode merge with their total only', () => {
    const { errorsByCode: _, ...old } = row(1_000, 10, { errors: 2 });
    const merged = mergeTimelines([[old as ReportTimelineRow]], 1_000, 1_000);
    expect(merged[0]).toMatchObject({ errors: 2, errorsByCode: {} });
  });
});
