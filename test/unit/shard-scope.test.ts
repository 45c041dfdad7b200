import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/report-types.js';
import { shardLabel, shardScopeNote } from '../../src/report/shard-scope.js';

const streams = (n: number): Report['streams'] => Array.from({ length: n }, () => ({}) as Report['streams'][number]);

describe('a shard`s report names its share, and that its verdict is not the test`s', () => {
  it.each([
    {
      shard: { index: 2, count: 4 },
      n: 5,
      label: 'shard 2 of 4',
      note: "This verdict is shard 2 of 4's only (its 5 streams): `camera-load merge` of all 4 shard reports gives the whole test's",
    },
    {
      shard: { index: 1, count: 2 },
      n: 1,
      label: 'shard 1 of 2',
      note: "This verdict is shard 1 of 2's only (its 1 stream): `camera-load merge` of all 2 shard reports gives the whole test's",
    },
    // The whole plan (no shard, or one of one, or a report older than sharding): nothing to say.
    { shard: null, n: 3, label: null, note: null },
    { shard: { index: 1, count: 1 }, n: 3, label: null, note: null },
    { shard: undefined, n: 3, label: null, note: null },
  ])('$shard', ({ shard, n, label, note }) => {
    const report = { ...(shard === undefined ? {} : { shard }), streams: streams(n) };
    expect(shardLabel(report)).toBe(label);
    expect(shardScopeNote(report)).toBe(note);
  });
});
