import fc from 'fast-check';
import type { EndCode } from '../../src/end-codes.js';
import { StageWindow, StreamStages } from '../../src/metrics/stage-windows.js';
import { StreamStats } from '../../src/metrics/stream-stats.js';
import type { TimelineRow } from '../../src/metrics/timeline.js';
import { buildReport } from '../../src/report/build-report.js';
import type { Report, ShardId } from '../../src/report/report-types.js';
import { parseThreshold } from '../../src/report/thresholds.js';
import { shardIndexes } from '../../src/run/plan-streams.js';
import { slotVisits, stageSpans, stagesDurationMs, type Stage, type Visit } from '../../src/stages.js';

// A run with --stages built by hand, as the runner drives the engine's own StreamStats (arrive, attempt, frames,
// depart, per visit of each slot) and the report's own builder; the same stories built as one process or as any
// shard of it, so a merge can be held to the one-process report.

/** 4 slots: up to 4 in 2 s, held 3 s, down to 1 in 2 s, up to 3 in 2 s. */
export const STAGES: readonly Stage[] = [
  { durationMs: 2_000, target: 4 },
  { durationMs: 3_000, target: 4 },
  { durationMs: 2_000, target: 1 },
  { durationMs: 2_000, target: 3 },
];

/** What one slot's viewer lived through on every visit. */
export interface SlotStory {
  fps: number;
  ttffMs: number;
  /** Capture-time ages cycled over its frames (none: no timestamps). */
  agesMs: number[];
  /** A connection that ended at `atMs` on the run clock and came back `ms` later (in whichever visit holds it). */
  outage?: { atMs: number; ms: number; code: EndCode };
}

export const slotStory: fc.Arbitrary<SlotStory> = fc.record(
  {
    fps: fc.integer({ min: 1, max: 12 }),
    ttffMs: fc.integer({ min: 1, max: 900 }),
    agesMs: fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 4 }),
    outage: fc.record({
      atMs: fc.integer({ min: 0, max: 8_500 }),
      ms: fc.integer({ min: 100, max: 2_500 }),
      code: fc.constantFrom<EndCode>('ECONNRESET', 'STALL', 'HTTP_503'),
    }),
  },
  { requiredKeys: ['fps', 'ttffMs', 'agesMs'] },
);

export const STORIES: readonly SlotStory[] = [
  { fps: 10, ttffMs: 40, agesMs: [50, 60, 70] },
  { fps: 8, ttffMs: 120, agesMs: [], outage: { atMs: 3_000, ms: 1_500, code: 'STALL' } },
  { fps: 5, ttffMs: 300, agesMs: [90], outage: { atMs: 8_500, ms: 300, code: 'HTTP_503' } },
  { fps: 4, ttffMs: 60, agesMs: [] },
];

const FINGERPRINT = 'e'.repeat(64);

/** One visit of one slot: its attempt, request, frames and any outage, into `stats`; returns its frame times. */
function visit(stats: StreamStats, story: SlotStory, v: Visit, endMs: number): number[] {
  const times: number[] = [];
  stats.arrived(v.fromMs);
  stats.attemptStarted(v.fromMs);
  stats.requestSent(v.fromMs);
  stats.responseStarted(v.fromMs + 1, 200);
  stats.connectionOpened(v.fromMs + 1);
  const { outage } = story;
  const inOutage = outage !== undefined && outage.atMs >= v.fromMs && outage.atMs < v.toMs ? outage : undefined;
  let back = false;
  for (let i = 0, t = v.fromMs + story.ttffMs; t < v.toMs; i++, t = v.fromMs + story.ttffMs + Math.round((i * 1_000) / story.fps)) {
    if (inOutage && t >= inOutage.atMs) {
      if (!back) {
        stats.error(inOutage.code, 'test', inOutage.atMs);
        stats.connectionClosed(inOutage.atMs);
        const again = Math.min(inOutage.atMs + inOutage.ms, v.toMs - 1);
        stats.attemptStarted(again);
        stats.connectionOpened(again);
        back = true;
      }
      if (t < inOutage.atMs + inOutage.ms) continue;
    }
    stats.frame(1_000, t, false, story.agesMs.length === 0 ? Number.NaN : (story.agesMs[i % story.agesMs.length] ?? 0));
    times.push(t);
  }
  stats.bytesReceived(times.length * 1_100, () => v.fromMs + 1);
  if (v.toMs < endMs) {
    stats.connectionClosed(v.toMs);
    stats.departed(v.toMs);
  }
  return times;
}

/** Whole-second timeline rows of the process's streams: frames in each row, streams in a visit at its end. */
function timelineOf(frames: readonly number[][], visits: readonly Visit[][], endMs: number): TimelineRow[] {
  const rows: TimelineRow[] = [];
  for (let t = 0; t < endMs; t += 1_000) {
    const count = frames.reduce((n, times) => n + times.filter((at) => at >= t && at < t + 1_000).length, 0);
    const open = visits.filter((vs) => vs.some((v) => v.fromMs <= t + 1_000 && t + 1_000 < v.toMs + (v.toMs >= endMs ? 1 : 0))).length;
    rows.push({
      t: t / 1_000,
      seconds: 1,
      openStreams: open,
      fps: count,
      bytesPerSecond: 0,
      reconnections: 0,
      errors: 0,
      errorsByCode: {},
      freshFps: count,
      timestampedFrames: 0,
      delayMsMean: null,
    });
  }
  return rows;
}

/** The report of the staged run over `stories` (slot i's story is `stories[i % length]`), whole or one shard's. */
export function stagedReport(
  options: { stories?: readonly SlotStory[]; stages?: readonly Stage[]; shard?: ShardId; thresholds?: readonly string[] } = {},
): Report {
  const { stories = STORIES, stages = STAGES, shard } = options;
  const spans = stageSpans(stages);
  const endMs = stagesDurationMs(stages);
  const slots = Math.max(...stages.map((s) => s.target));
  const windows = spans.map((span) => new StageWindow(span));
  const indexes = shardIndexes(slots, shard);
  const frames: number[][] = [];
  const visits = indexes.map((slot) => slotVisits(spans, slot));
  const streams = indexes.map((slot, i) => {
    const stats = new StreamStats(slot, String(100 + slot), `Camera ${slot}`, `http://cam/${slot}`);
    const own = visits[i] ?? [];
    stats.stages = new StreamStages(windows, own);
    const story = stories[slot % stories.length] as SlotStory;
    stats.scheduled(own[0]?.fromMs ?? 0);
    frames.push(own.flatMap((v) => visit(stats, story, v, endMs)));
    stats.runStopped();
    return stats;
  });
  return buildReport({
    version: 'test',
    config: {
      stages: stages.map((s) => ({ durationSeconds: s.durationMs / 1_000, target: s.target })),
      intervalSeconds: 1,
      ...(shard ? { shard } : {}),
    },
    cameras: { listed: slots, active: slots, skipped: 0 },
    streamsRequested: indexes.length,
    streamsPerCamera: 1,
    targetDurationMs: endMs,
    outcome: {
      startedAt: new Date(0),
      endedAt: new Date(endMs),
      elapsedMs: endMs,
      interrupted: false,
      streams,
      timeline: timelineOf(frames, visits, endMs),
      system: [],
      stages: windows,
    },
    thresholds: (options.thresholds ?? []).map(parseThreshold),
    planFingerprint: FINGERPRINT,
    ...(shard ? { shard, host: `host-${shard.index}` } : {}),
  });
}
