import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { assignViewerGroups, streamRandom } from '../../src/run/viewer-groups.js';
import { seededRandom } from '../../src/random.js';
import { planStreams } from '../../src/run/plan-streams.js';
import type { ViewerBehaviour } from '../../src/viewers.js';

/** A plan as `run` makes it: round-robin over `cameras`, `perCamera` rounds, cut at `streams`. */
const planIds = (cameras: number, perCamera: number, streams: number): string[] =>
  planStreams(
    Array.from({ length: cameras }, (_, i) => ({ id: `cam-${i}`, name: `Camera ${i}`, streamUrl: `http://127.0.0.1/${i}` })),
    streams,
    perCamera,
  ).map((c) => c.id);

const behaviours = (slow: number, pausing: number, stuck: number): ViewerBehaviour[] =>
  [
    { group: 'slow', share: slow, bytesPerSecond: 1e5 } as const,
    { group: 'pausing', share: pausing, pauseMs: 1_000, everyMs: 2_000 } as const,
    { group: 'stuck', share: stuck } as const,
  ].filter((b) => b.share > 0);

const plans = fc
  .record({
    cameras: fc.integer({ min: 1, max: 60 }),
    perCamera: fc.integer({ min: 1, max: 4 }),
    shares: fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 30 })),
    seed: fc.nat(),
  })
  .map(({ cameras, perCamera, shares, seed }) => ({
    ids: planIds(cameras, perCamera, cameras * perCamera),
    groups: behaviours(shares[0] / 100, shares[1] / 100, shares[2] / 100),
    seed,
  }))
  .filter(({ ids, groups }) => groups.reduce((n, b) => n + Math.max(1, Math.round(ids.length * b.share)), 0) <= ids.length);

describe('assignViewerGroups', () => {
  it('gives each group its share of the plan rounded (at least one), and the rest to normal', () => {
    fc.assert(
      fc.property(plans, ({ ids, groups, seed }) => {
        const assigned = assignViewerGroups(ids, groups, seed);
        expect(assigned).toHaveLength(ids.length);
        let others = 0;
        for (const b of groups) {
          const size = Math.max(1, Math.round(ids.length * b.share));
          expect(assigned.filter((g) => g === b.group)).toHaveLength(size);
          others += size;
        }
        expect(assigned.filter((g) => g === 'normal')).toHaveLength(ids.length - others);
      }),
    );
  });

  it('is the same for the same seed (every shard plans it alike), and spreads a group over distinct cameras while it can', () => {
    fc.assert(
      fc.property(plans, ({ ids, groups, seed }) => {
        const assigned = assignViewerGroups(ids, groups, seed);
        expect(assignViewerGroups(ids, groups, seed)).toEqual(assigned);
        const cameras = new Set(ids).size;
        for (const b of groups) {
          const used = ids.filter((_, i) => assigned[i] === b.group);
          // The groups are laid out one after the other over the cameras' first streams, then their second ones:
          // a group the first round holds whole never uses a camera twice.
          const before = groups.slice(0, groups.indexOf(b)).reduce((n, g) => n + Math.max(1, Math.round(ids.length * g.share)), 0);
          if (before + used.length <= cameras) expect(new Set(used).size).toBe(used.length);
        }
      }),
    );
  });

  it('draws another membership from another seed', () => {
    const ids = planIds(100, 1, 100);
    const groups = behaviours(0.2, 0, 0);
    expect(assignViewerGroups(ids, groups, 1)).not.toEqual(assignViewerGroups(ids, groups, 2));
  });

  it('refuses groups that need more streams than the plan has, naming them', () => {
    expect(() => assignViewerGroups(planIds(2, 1, 2), behaviours(0.1, 0.1, 0.1), 1)).toThrow(UsageError);
    expect(() => assignViewerGroups(planIds(2, 1, 2), behaviours(0.1, 0.1, 0.1), 1)).toThrow(/need 3 streams \(slow 1, pausing 1, stuck 1.*the plan has 2/);
  });
});

describe('seededRandom', () => {
  it('draws in [0, 1), the same sequence from the same seed, and another per stream', () => {
    fc.assert(
      fc.property(fc.nat(), (seed) => {
        const a = seededRandom(seed);
        const b = seededRandom(seed);
        for (let i = 0; i < 20; i++) {
          const x = a();
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThan(1);
          expect(b()).toBe(x);
        }
        expect(streamRandom(seed, 0)()).not.toBe(streamRandom(seed, 1)());
      }),
    );
  });
});
