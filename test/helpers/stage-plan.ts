import { parseStages } from '../../src/options/stage-options.js';
import type { Report } from '../../src/report/report-types.js';
import type { FleetTimelineRow } from '../../src/sim/fleet-timeline.js';
import { peakTarget, slotVisits, stageIndexAt, stageSpans, stagesDurationMs, type StageSpan, type Visit } from '../../src/stages.js';

// What a --stages plan says should happen, computed from the same schedule the runner follows (src/stages.ts), and
// the simulator's timeline put on the run's clock: the two sides the stage tests compare.

/** One plan, parsed as `--stages` parses it, with every slot's visits. */
export interface StagePlan {
  spans: StageSpan[];
  endMs: number;
  /** Each slot's visits, by slot (0-based, the stream's index). */
  visits: Visit[][];
}

export function stagePlan(text: string): StagePlan {
  const stages = parseStages(text);
  const spans = stageSpans(stages);
  return { spans, endMs: stagesDurationMs(stages), visits: Array.from({ length: peakTarget(stages) }, (_, slot) => slotVisits(spans, slot)) };
}

/** Arrivals and departures per stage, for the slots `slots` picks (a shard's); an arrival on a boundary is the stage it begins, a departure the stage it ends. */
export function plannedMoves(plan: StagePlan, slots: (slot: number) => boolean = () => true): { arrivals: number; departures: number }[] {
  const moves = plan.spans.map(() => ({ arrivals: 0, departures: 0 }));
  for (const [slot, visits] of plan.visits.entries()) {
    if (!slots(slot)) continue;
    for (const v of visits) {
      (moves[stageIndexAt(plan.spans, v.fromMs)] as { arrivals: number }).arrivals++;
      // A visit open at the run's end is stopped by the run, not by a stage.
      if (v.toMs < plan.endMs) (moves[stageIndexAt(plan.spans, v.toMs - 0.001)] as { departures: number }).departures++;
    }
  }
  return moves;
}

/** Slots open at `atMs` by the plan. */
export const plannedOpen = (plan: StagePlan, atMs: number): number => plan.visits.filter((vs) => vs.some((v) => v.fromMs <= atMs && atMs < v.toMs)).length;

/** Every instant a slot opens or closes. */
export const plannedChanges = (plan: StagePlan): number[] => plan.visits.flatMap((vs) => vs.flatMap((v) => [v.fromMs, v.toMs]));

/** A row of the simulator's timeline on the run's clock (ms from the run's start, as the report's stages are). */
export interface RunRow {
  fromMs: number;
  toMs: number;
  row: FleetTimelineRow;
}

/** The simulator's rows on the clock of the run `report` describes (both read this machine's wall clock). */
export function onRunClock(rows: readonly FleetTimelineRow[], report: Pick<Report, 'startedAt'>): RunRow[] {
  const start = Date.parse(report.startedAt);
  return rows.map((row) => ({ fromMs: row.at - start, toMs: row.at - start + row.seconds * 1000, row }));
}

/** The stream counts the plan goes through within [fromMs, toMs]: at both ends and on each side of each change in between. */
export function plannedRange(plan: StagePlan, fromMs: number, toMs: number): { min: number; max: number } {
  const instants = [fromMs, toMs, ...plannedChanges(plan).flatMap((c) => (c > fromMs && c < toMs ? [c - 0.001, c] : []))];
  const counts = instants.map((at) => plannedOpen(plan, at));
  return { min: Math.min(...counts), max: Math.max(...counts) };
}
