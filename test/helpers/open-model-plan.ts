import type { Camera } from '../../src/cameras/camera.js';
import { openModelSpans, planArrivals } from '../../src/arrivals.js';
import { openModel, parseArrivalRate } from '../../src/options/arrival-options.js';
import { stagesDurationMs } from '../../src/stages.js';
import { orderCameras } from '../../src/run/plan-streams.js';
import { stageIndexAt, type StageSpan, type Visit } from '../../src/stages.js';

// What an open-model run (--arrival-rate, --watch-time, --camera-popularity) should do, planned in the test from the
// same inputs and the same code the CLI plans with (src/arrivals.ts): the side the open-model tests compare the
// report and the simulated fleet's own counters with.

/** The flags of one open-model run, as a user types them. */
export interface OpenModelFlags {
  rate: string;
  watch: string;
  popularity: string;
  maxStreams: number;
  seed: number;
}

export const openModelArgs = (f: OpenModelFlags): string[] => [
  '--arrival-rate',
  f.rate,
  '--watch-time',
  f.watch,
  '--camera-popularity',
  f.popularity,
  '--max-streams',
  String(f.maxStreams),
  '--seed',
  String(f.seed),
];

/** One slot of the plan (a stream of the report, by index): its camera's id and the visits it holds. */
export interface PlannedSlot {
  cameraId: string;
  visits: Visit[];
}

export interface OpenModelPlan {
  spans: StageSpan[];
  endMs: number;
  /** The cameras' ids in the order the plan draws them by popularity (the first the most watched under zipf). */
  cameraIds: string[];
  slots: PlannedSlot[];
  dropped: number[];
}

export function openModelPlan(cameras: readonly Camera[], f: OpenModelFlags): OpenModelPlan {
  const rate = parseArrivalRate(f.rate);
  if (rate.kind !== 'staged') throw new Error('the open-model tests plan staged rates: their length is the spans');
  const endMs = stagesDurationMs(rate.rates);
  const model = openModel(rate, { watchTime: f.watch, cameraPopularity: f.popularity }, endMs);
  const ordered = orderCameras(cameras);
  const plan = planArrivals({ ...model, slots: f.maxStreams, cameras: ordered.length, seed: f.seed });
  return {
    spans: openModelSpans(model, f.maxStreams),
    endMs,
    cameraIds: ordered.map((c) => c.id),
    slots: plan.slots.map((s) => ({ cameraId: (ordered[s.camera] as Camera).id, visits: s.visits })),
    dropped: plan.dropped,
  };
}

/** A visit that ends before the run does ends with a departure; one cut by the run's end does not. */
export const departs = (plan: OpenModelPlan, visit: Visit): boolean => visit.toMs < plan.endMs;

/** A shard's share (1-based index of count), as the CLI deals it: slots round-robin, dropped arrivals by k % count. */
export interface Share {
  index: number;
  count: number;
}

const inShare = (k: number, share: Share | undefined): boolean => share === undefined || k % share.count === share.index - 1;

export interface StageMoves {
  arrivals: number;
  departures: number;
  droppedArrivals: number;
}

/** Arrivals (taken), departures and dropped arrivals per stage, for the whole plan or one shard's share of it. */
export function plannedMoves(plan: OpenModelPlan, share?: Share): StageMoves[] {
  const moves = plan.spans.map(() => ({ arrivals: 0, departures: 0, droppedArrivals: 0 }));
  const at = (ms: number): StageMoves => moves[stageIndexAt(plan.spans, ms)] as StageMoves;
  for (const [k, slot] of plan.slots.entries()) {
    if (!inShare(k, share)) continue;
    for (const v of slot.visits) {
      at(v.fromMs).arrivals++;
      if (departs(plan, v)) at(v.toMs - 0.001).departures++;
    }
  }
  for (const [k, ms] of plan.dropped.entries()) if (inShare(k, share)) at(ms).droppedArrivals++;
  return moves;
}

/** Every arrival, planned dropped or taken, per stage: what the Poisson draws put in it. */
export const plannedArrivalsPerStage = (plan: OpenModelPlan): number[] => plannedMoves(plan).map((m) => m.arrivals + m.droppedArrivals);

/**
 * The least distance (ms) from any planned arrival or departure to a stage's boundary or the run's end: an instant
 * this close could be counted on the other side by a timer's lateness, so a test's seed keeps it wide.
 */
export function closestToBoundary(plan: OpenModelPlan): number {
  const visits = plan.slots.flatMap((s) => s.visits);
  const instants = [...visits.map((v) => v.fromMs), ...visits.filter((v) => departs(plan, v)).map((v) => v.toMs), ...plan.dropped];
  const boundaries = plan.spans.map((s) => s.toMs);
  return Math.min(...instants.flatMap((t) => boundaries.map((b) => Math.abs(t - b))));
}

/**
 * The most visits open at once when each one lingers `lingerMs` past its planned end: the fleet's view when a
 * departure's close reaches it that much after the arrival that took its place (0: the plan's own peak).
 */
export function peakOpen(plan: OpenModelPlan, lingerMs: number): number {
  const changes = plan.slots
    .flatMap((s) => s.visits)
    .flatMap((v): [number, number][] => [
      [v.fromMs, 1],
      [v.toMs + lingerMs, -1],
    ])
    // A departure at an arrival's instant frees its place first, as planArrivals lets it.
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let peak = 0;
  for (const [, step] of changes) {
    open += step;
    peak = Math.max(peak, open);
  }
  return peak;
}

/** Per camera id: the visits planned on it and the seconds they last (its viewer-seconds). */
export function plannedPerCamera(plan: OpenModelPlan): Map<string, { visits: number; seconds: number }> {
  const per = new Map(plan.cameraIds.map((id) => [id, { visits: 0, seconds: 0 }]));
  for (const slot of plan.slots) {
    const camera = per.get(slot.cameraId) as { visits: number; seconds: number };
    camera.visits += slot.visits.length;
    camera.seconds += slot.visits.reduce((sum, v) => sum + (v.toMs - v.fromMs) / 1000, 0);
  }
  return per;
}
