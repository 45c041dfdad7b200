import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SystemSample } from '../../src/metrics/client-health.js';
import { StreamStats } from '../../src/metrics/stream-stats.js';
import { buildReport } from '../../src/report/build-report.js';
import { asShardReport } from '../../src/report/merge-input.js';
import { mergeReports } from '../../src/report/merge-reports.js';
import type { Report } from '../../src/report/report-types.js';
import { parseThreshold } from '../../src/report/thresholds.js';
import { shardIndexes } from '../../src/run/plan-streams.js';
import { schemaErrors } from '../helpers/report-schema.js';
import type { EndCode } from '../../src/end-codes.js';

/** What one stream lived through, so the same stream can be built once for the whole run and once for a shard. */
interface StreamStory {
  camera: number;
  attempted: boolean;
  ttffMs: number;
  /** camera-load's own delay before the stream asked to connect, its wait for a slot, and whether its request left. */
  latenessMs: number;
  queueMs: number;
  sent: boolean;
  gapsMs: number[];
  frameBytes: number;
  bytes: number;
  errors: EndCode[];
  openAtEnd: boolean;
  /** Raw ages cycled over the frames (none: no timestamps), and which frames repeat the picture before. */
  agesMs: number[];
  repeats: boolean[];
}

const story: fc.Arbitrary<StreamStory> = fc.record({
  camera: fc.integer({ min: 1, max: 8 }),
  attempted: fc.boolean(),
  ttffMs: fc.integer({ min: 1, max: 3_000 }),
  latenessMs: fc.oneof(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 1_000, max: 5_000 })),
  queueMs: fc.integer({ min: 0, max: 3_000 }),
  sent: fc.boolean(),
  // -1: no frame at all.
  gapsMs: fc.oneof(
    fc.constant<number[]>([-1]),
    fc.array(fc.oneof(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 2_000, max: 9_000 })), { maxLength: 12 }),
  ),
  frameBytes: fc.integer({ min: 100, max: 50_000 }),
  bytes: fc.integer({ min: 0, max: 10_000_000 }),
  errors: fc.array(fc.constantFrom('ECONNRESET', 'STALL', 'HTTP_503', 'ENDED'), { maxLength: 3 }),
  openAtEnd: fc.boolean(),
  agesMs: fc.array(fc.oneof(fc.integer({ min: -3_000, max: 5_000 }), fc.integer({ min: 3_000_000, max: 4_000_000 })), { maxLength: 6 }),
  repeats: fc.array(fc.boolean(), { maxLength: 6 }),
});

const ELAPSED_MS = 30_000;

function streamOf(s: StreamStory, index: number): StreamStats {
  const stats = new StreamStats(index, String(s.camera), `Camera ${s.camera}`, `http://cam/${s.camera}?token=abc`);
  stats.scheduled(10 * s.camera);
  if (!s.attempted) return stats;
  const attemptAt = stats.start.scheduledAt + s.latenessMs;
  for (let attempt = 0; attempt <= s.errors.length; attempt++) stats.attemptStarted(attemptAt);
  // A request that never left has nothing after it.
  if (!s.sent) return stats;
  const start = attemptAt + s.queueMs;
  stats.requestSent(start);
  stats.responseStarted(start + 2, 200);
  stats.bytesReceived(s.bytes, () => start + 3);
  stats.connectionOpened(start);
  let t = start + s.ttffMs;
  if (s.gapsMs[0] !== -1) {
    const frame = (i: number): void => {
      // The first frame of a connection repeats nothing.
      const repeated = i > 0 && (s.repeats[i % Math.max(1, s.repeats.length)] ?? false);
      stats.frame(s.frameBytes, t, repeated, s.agesMs.length === 0 ? Number.NaN : (s.agesMs[i % s.agesMs.length] ?? 0));
    };
    frame(0);
    s.gapsMs.forEach((gap, i) => {
      t += gap;
      frame(i + 1);
    });
  }
  for (const code of s.errors) stats.error(code, 'gone', (t += 1));
  if (!s.openAtEnd) stats.connectionClosed(t + 1);
  stats.runStopped();
  return stats;
}

const THRESHOLDS = [
  'fps.avg>=4',
  'frame_gap_ms.p99<=1000',
  'ttff_ms.p95<500',
  'streams.opened_ratio>=1',
  'frames>10',
  'delay.p95<500ms',
  'age_ms.p50<1s',
  'freshFps.p5>=4',
  'frozen==0',
].map(parseThreshold);
const CAMERAS = { listed: 10, active: 9, skipped: 1 };
const FINGERPRINT = 'f'.repeat(64);

/** A run's settings as a report records them: a shard's share and files are its own. */
const configOf = (shard: { index: number; count: number } | null): Record<string, unknown> => ({
  maxStreams: 9,
  thresholds: THRESHOLDS.map((t) => t.expression),
  ...(shard === null ? {} : { shard, output: `shard-${shard.index}.json` }),
});

function whole(stories: StreamStory[], requested: number, interrupted: boolean, system: SystemSample[] = []): Report {
  return buildReport({
    version: 'test',
    config: configOf(null),
    cameras: CAMERAS,
    streamsRequested: requested,
    streamsPerCamera: 2,
    targetDurationMs: ELAPSED_MS,
    outcome: {
      startedAt: new Date(0),
      endedAt: new Date(ELAPSED_MS),
      elapsedMs: ELAPSED_MS,
      interrupted,
      streams: stories.map(streamOf),
      timeline: [],
      system,
    },
    thresholds: THRESHOLDS,
    planFingerprint: FINGERPRINT,
  });
}

/** Shard `index` of `count` as a shard process builds it: its share, round-robin, with local stream indexes. */
function shard(stories: StreamStory[], requested: number, index: number, count: number, interrupted = false, system: SystemSample[] = []): Report {
  const id = { index, count };
  const globalIndexes = shardIndexes(stories.length, id);
  return buildReport({
    version: 'test',
    config: configOf(id),
    cameras: CAMERAS,
    streamsRequested: shardIndexes(requested, id).length,
    streamsPerCamera: 2,
    targetDurationMs: ELAPSED_MS,
    outcome: {
      startedAt: new Date(0),
      endedAt: new Date(ELAPSED_MS),
      elapsedMs: ELAPSED_MS,
      interrupted,
      // As the runner makes them: each stream carries its index in the whole test.
      streams: globalIndexes.map((g) => streamOf(stories[g] as StreamStory, g)),
      timeline: [],
      system,
    },
    thresholds: THRESHOLDS,
    shard: id,
    host: `host-${index}`,
    planFingerprint: FINGERPRINT,
  });
}

const shards = (stories: StreamStory[], requested: number, count: number): Report[] =>
  Array.from({ length: count }, (_, i) => shard(stories, requested, i + 1, count));

// The fields allowed to differ, all of them: only the list of shards a merged report was made from. (Times,
// host, system and timeline are per process in general; here every shard ran the same clock with no samples.)
const withoutPerProcess = (report: Report): Partial<Report> => {
  const { shards: _shards, ...rest } = report;
  return rest;
};

describe('mergeReports', () => {
  it('splitting any streams over any number of shards and merging gives the one-process report, field by field', () => {
    fc.assert(
      fc.property(
        fc.array(story, { maxLength: 25 }),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 1, max: 7 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 1_000 }),
        (stories, extra, count, interrupted, rotate) => {
          const requested = stories.length + extra;
          const parts = Array.from({ length: count }, (_, i) => shard(stories, requested, i + 1, count, interrupted));
          const given = [...parts.slice(rotate % count), ...parts.slice(0, rotate % count)];
          const merged = mergeReports(given, { thresholds: THRESHOLDS });
          expect(withoutPerProcess(merged)).toEqual(whole(stories, requested, interrupted));
          expect(merged.shards?.map((s) => s.index)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('the merged report fits the schema, and a shard report read back is accepted', () => {
    const stories = fc.sample(story, { numRuns: 9, seed: 7 });
    const parts = shards(stories, 9, 3).map((r, i) => asShardReport(JSON.parse(JSON.stringify(r)), `shard-${i}.json`));
    const merged = mergeReports(parts);
    expect(schemaErrors(merged)).toBe('');
    expect(schemaErrors(parts[0])).toBe('');
    expect(merged.streams.map((s) => s.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    // No --threshold given to merge: the shards' own are checked on the merged figures.
    expect(merged.thresholds.map((t) => t.expression)).toEqual(THRESHOLDS.map((t) => t.expression));
  });

  it('the merged config: the thresholds the merge checked, each shard`s share and files under its own, none of shard 1`s as the test`s', () => {
    const stories = fc.sample(story, { numRuns: 4, seed: 5 });
    const parts = shards(stories, 4, 2);
    parts[1] = { ...(parts[1] as Report), config: { ...(parts[1] as Report).config, maxStreams: 8 } };
    const merged = mergeReports(parts, { thresholds: [parseThreshold('fps.avg>=4')] });
    expect(merged.config).toEqual({ thresholds: ['fps.avg>=4'] });
    expect(merged.thresholds.map((t) => t.expression)).toEqual(['fps.avg>=4']);
    expect(merged.settingsDiffering).toEqual(['maxStreams']);
    expect(merged.shards?.map((s) => s.config)).toEqual([
      { thresholds: THRESHOLDS.map((t) => t.expression), shard: { index: 1, count: 2 }, output: 'shard-1.json', maxStreams: 9 },
      { thresholds: THRESHOLDS.map((t) => t.expression), shard: { index: 2, count: 2 }, output: 'shard-2.json', maxStreams: 8 },
    ]);
    expect(schemaErrors(merged)).toBe('');
  });

  // Started on time: a shard's validity here is its machine's.
  const stories = fc.sample(story, { numRuns: 6, seed: 3 }).map((s) => ({ ...s, attempted: true, latenessMs: 0 }));
  const codeOf = (fn: () => unknown): string | undefined => {
    try {
      fn();
    } catch (error) {
      return (error as { code?: string }).code;
    }
    return undefined;
  };

  it.each([
    ['a shard given twice', () => mergeReports([shard(stories, 6, 1, 3), shard(stories, 6, 1, 3), shard(stories, 6, 2, 3)]), 'ERR_MERGE_DUPLICATE_SHARD'],
    ['a missing shard', () => mergeReports([shard(stories, 6, 1, 3), shard(stories, 6, 3, 3)]), 'ERR_MERGE_MISSING_SHARD'],
    [
      'another plan',
      () => mergeReports([shard(stories, 6, 1, 2), { ...shard(stories, 6, 2, 2), planFingerprint: '0'.repeat(64) }]),
      'ERR_MERGE_DIFFERENT_PLANS',
    ],
    ['nothing', () => mergeReports([]), 'ERR_MERGE_NOT_A_REPORT'],
    ['not a report', () => asShardReport({ hello: 1 }, 'x.json'), 'ERR_MERGE_NOT_A_REPORT'],
    ['a newer schema', () => asShardReport({ ...shard(stories, 6, 1, 1), schemaVersion: 3 }, 'x.json'), 'ERR_MERGE_NOT_A_REPORT'],
    [
      'schema 1 and schema 2 reports together (fps defined differently)',
      () => mergeReports([{ ...shard(stories, 6, 1, 2), schemaVersion: 1 }, shard(stories, 6, 2, 2)]),
      'ERR_MERGE_MIXED_SCHEMAS',
    ],
    ['a merged report', () => asShardReport(mergeReports([shard(stories, 6, 1, 1)]), 'x.json'), 'ERR_MERGE_NOT_A_REPORT'],
    ['a report without a fingerprint', () => asShardReport({ ...shard(stories, 6, 1, 1), planFingerprint: null }, 'x.json'), 'ERR_MERGE_NOT_A_REPORT'],
  ])('refuses %s with a stable code', (_, fn, code) => {
    expect(codeOf(fn)).toBe(code);
  });

  it('--allow-partial merges what there is, marked partial, naming the missing shards', () => {
    const merged = mergeReports([shard(stories, 6, 1, 3), shard(stories, 6, 3, 3)], { allowPartial: true });
    expect(merged.partial).toBe(true);
    expect(merged.missingShards).toEqual([2]);
    expect(merged.streams.map((s) => s.index)).toEqual([0, 2, 3, 5]);
    expect(merged.analysis.warnings[0]).toMatch(/shard 2 of 3 missing/);
    expect(schemaErrors(merged)).toBe('');
  });

  it('an interrupted shard keeps the merge interrupted; a saturated one makes it invalid, naming it', () => {
    const hot = (t: number): SystemSample => ({
      t,
      cpuPercent: 90,
      processCpuPercent: 99,
      memoryUsedBytes: 1,
      memoryTotalBytes: 2,
      processRssBytes: 1,
      networkRxBytesPerSecond: 1,
      networkTxBytesPerSecond: 1,
      eventLoopDelayP99Ms: 1,
      eventLoopDelayMaxMs: 1,
    });
    const merged = mergeReports([shard(stories, 6, 1, 2, true), shard(stories, 6, 2, 2, false, [hot(2), hot(4)])]);
    expect(merged.interrupted).toBe(true);
    expect(merged.summary.valid).toBe(false);
    expect(merged.summary.invalidReason).toMatch(/^shard 2\/2 \(host-2\): camera-load itself was saturated/);
    expect(merged.shards?.map((s) => [s.index, s.valid, s.interrupted])).toEqual([
      [1, true, true],
      [2, false, false],
    ]);
    expect(merged.system.processCpuPercent.max).toBe(99);
  });
});
