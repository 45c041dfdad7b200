import fc from 'fast-check';
import type { EndCode } from '../../src/end-codes.js';
import { StormWindow } from '../../src/metrics/storm-window.js';
import { StreamStats } from '../../src/metrics/stream-stats.js';
import { buildReport } from '../../src/report/build-report.js';
import type { Report, ShardId } from '../../src/report/report-types.js';
import { parseThreshold } from '../../src/report/thresholds.js';
import { shardIndexes } from '../../src/run/plan-streams.js';
import type { Storm } from '../../src/stages.js';

// A run with --storm-at built by hand: each slot's viewer in each storm (dropped or not, back after how long, the
// codes that ended its tries meanwhile) recorded into the engine's own StormWindows, and the report's own builder;
// the same stories as one process or as any shard of it, so a merge can be held to the one-process storms.

export const STORMS: readonly Storm[] = [
  { atMs: 2_000, immediate: false },
  { atMs: 4_000, immediate: true },
];
export const RUN_MS = 6_000;

/** One slot's viewer in one storm: `open` when the storm dropped it, `recoveryMs` until its next frame (none: never). */
export interface ViewerInStorm {
  open: boolean;
  recoveryMs?: number;
  /** The codes that ended its attempts before the one that brought a frame. */
  failures: EndCode[];
}

/** One slot's viewer in each storm, in order. */
export type SlotStory = readonly ViewerInStorm[];

export const viewerInStorm: fc.Arbitrary<ViewerInStorm> = fc.record(
  {
    open: fc.boolean(),
    recoveryMs: fc.integer({ min: 1, max: 1_900 }),
    failures: fc.array(fc.constantFrom<EndCode>('ECONNRESET', 'HTTP_503', 'STALL'), { maxLength: 2 }),
  },
  { requiredKeys: ['open', 'failures'] },
);

export const slotStory: fc.Arbitrary<SlotStory> = fc.array(viewerInStorm, { minLength: STORMS.length, maxLength: STORMS.length });

export const STORIES: readonly SlotStory[] = [
  [
    { open: true, recoveryMs: 120, failures: [] },
    { open: true, recoveryMs: 40, failures: [] },
  ],
  [
    { open: true, recoveryMs: 900, failures: ['HTTP_503'] },
    { open: false, failures: [] },
  ],
  [
    { open: true, recoveryMs: 300, failures: [] },
    { open: true, recoveryMs: 1_500, failures: ['ECONNRESET', 'HTTP_503'] },
  ],
  [
    { open: true, recoveryMs: 60, failures: [] },
    { open: true, failures: ['STALL'] },
  ],
];

export const SLOTS = 4;

/**
 * The storms' windows over `slots` as a runner records them: each struck `lateMs` after it was due (a busy
 * client), its dropped viewers counted, their attempts and failures, and each recovery from when it struck.
 */
export function stormWindows(stories: readonly SlotStory[], slots: readonly number[], lateMs = 0, storms: readonly Storm[] = STORMS): StormWindow[] {
  return storms.map((storm, s) => {
    const window = new StormWindow(storm);
    window.struckAtMs = storm.atMs + lateMs;
    for (const slot of slots) {
      const viewer = (stories[slot % stories.length] as SlotStory)[s];
      if (!viewer?.open) continue;
      window.viewers++;
      window.attempts += viewer.failures.length + (viewer.recoveryMs === undefined ? 0 : 1);
      for (const code of viewer.failures) window.ended(code);
      if (viewer.recoveryMs !== undefined) window.recovered(window.struckAtMs + viewer.recoveryMs);
    }
    return window;
  });
}

/** The report of the stormed run over `stories` (slot i's is `stories[i % length]`), whole or one shard's. */
export function stormedReport(
  options: { stories?: readonly SlotStory[]; slots?: number; shard?: ShardId; lateMs?: number; thresholds?: readonly string[]; storms?: readonly Storm[] } = {},
): Report {
  const { stories = STORIES, slots = SLOTS, shard, storms = STORMS } = options;
  const indexes = shardIndexes(slots, shard);
  const streams = indexes.map((slot) => {
    const stats = new StreamStats(slot, String(100 + slot), `Camera ${slot}`, `http://cam/${slot}`);
    stats.runStopped();
    return stats;
  });
  return buildReport({
    version: 'test',
    config: { storms: storms.map((s) => ({ atSeconds: s.atMs / 1_000, immediate: s.immediate })), intervalSeconds: 1, ...(shard ? { shard } : {}) },
    cameras: { listed: slots, active: slots, skipped: 0 },
    streamsRequested: indexes.length,
    streamsPerCamera: 1,
    targetDurationMs: RUN_MS,
    outcome: {
      startedAt: new Date(0),
      endedAt: new Date(RUN_MS),
      elapsedMs: RUN_MS,
      interrupted: false,
      streams,
      timeline: [],
      system: [],
      storms: stormWindows(stories, indexes, options.lateMs, storms),
    },
    thresholds: (options.thresholds ?? []).map(parseThreshold),
    planFingerprint: 'f'.repeat(64),
    ...(shard ? { shard, host: `host-${shard.index}` } : {}),
  });
}
