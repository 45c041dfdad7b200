import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/report-types.js';
import type { FleetStats } from '../../src/sim/fleet-stats.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { activeCameras } from '../helpers/fleet.js';
import {
  closestToBoundary,
  departs,
  openModelArgs,
  openModelPlan,
  peakOpen,
  plannedArrivalsPerStage,
  plannedMoves,
  plannedPerCamera,
  type OpenModelFlags,
  type OpenModelPlan,
} from '../helpers/open-model-plan.js';
import { fleetAfter, runOpenModel, slotHistory, type LoggedEvent } from '../helpers/open-model-run.js';
import { schemaErrors } from '../helpers/report-schema.js';
import { tempDir } from '../helpers/temp-dir.js';
import { expectFourFramesPerVisit } from '../helpers/fleet.js';

// The open model (issue 30: --arrival-rate, --watch-time, --camera-popularity) run as users run it, the built CLI in
// its own process against the simulated fleet in this one over real sockets. The test plans the run itself from the
// same flags and seed (src/arrivals.ts) and holds camera-load's report, its log and the fleet's own counters to it:
// every arrival taken or dropped in its stage, every slot on its camera, the cap kept, popularity followed, every frame.

const dir = tempDir('open-model');

// A seed's plan is only a fair test when no arrival or departure lies so near a stage's boundary (or the run's end)
// that a timer's lateness could carry it across: the seeds below keep them 100 ms or more away.
const BOUNDARY_MARGIN_MS = 100;

// 5 cameras at 10 fps; 8 s in three spans, the middle one well past what 8 streams hold (10/s × 1.5 s is 15 by
// Little's law), so arrivals are dropped there and the cap is met again and again.
const MAIN: OpenModelFlags = { rate: '2s:3/s,4s:10/s,2s:2/s', watch: 'exp:1.5s', popularity: 'zipf:1.2', maxStreams: 8, seed: 532 };
const FPS = 10;

const moves = (r: Report) => r.stages?.map(({ arrivals, departures, droppedArrivals }) => ({ arrivals, departures, droppedArrivals }));

describe('an open-model run against the simulated fleet', () => {
  let sim: RunningSimulator;
  let plan: OpenModelPlan;
  let report: Report;
  let events: LoggedEvent[];
  let fleet: FleetStats;

  beforeAll(async () => {
    sim = await startSimulator({ cameras: 5, inactive: 0, fps: FPS, frameBytes: 2_000 });
    plan = openModelPlan(activeCameras(sim), MAIN);
    ({ report, events } = await runOpenModel(sim, dir, 'main', openModelArgs(MAIN)));
    fleet = await fleetAfter(sim, report.endedAt);
  }, 60_000);
  afterAll(() => sim.close());

  it("the seed's plan drops arrivals, meets the cap and keeps its instants clear of the stages' boundaries", () => {
    expect(plan.spans.map((s) => [s.fromMs, s.toMs, s.arrivalsPerSecond])).toEqual([
      [0, 2000, 3],
      [2000, 6000, 10],
      [6000, 8000, 2],
    ]);
    expect(plan.dropped.length).toBeGreaterThan(0);
    expect(peakOpen(plan, 0)).toBe(MAIN.maxStreams);
    expect(closestToBoundary(plan)).toBeGreaterThanOrEqual(BOUNDARY_MARGIN_MS);
  });

  it("per stage: every planned arrival is taken or dropped there, as the plan says, and each taken one's lateness is measured", () => {
    const stages = report.stages ?? [];
    expect(stages.map((s) => s.arrivalsPerSecond)).toEqual([3, 10, 2]);
    expect(stages.map((s) => s.arrivals + s.droppedArrivals)).toEqual(plannedArrivalsPerStage(plan));
    expect(moves(report)).toEqual(plannedMoves(plan));
    // One lateness per arrival, in the stage it arrived in; a schedule kept to within a timer's slack.
    expect(stages.map((s) => s.clientLatenessMs?.count)).toEqual(stages.map((s) => s.arrivals));
    for (const s of stages) expect(s.clientLatenessMs?.p99, `stage ${s.stage}`).toBeLessThan(500);
    // Little's law's concurrency, capped by --max-streams: a steady state, not a ramp.
    expect(stages.map((s) => s.target)).toEqual([
      { from: 0, to: 5 },
      { from: 5, to: 8 },
      { from: 8, to: 3 },
    ]);
  });

  it('streams[] is one entry per planned slot, each on the camera the plan gave it', () => {
    expect(report.streams.map((s) => [s.index, s.cameraId])).toEqual(plan.slots.map((slot, index) => [index, slot.cameraId]));
    expect(report.summary.streamsRequested).toBe(plan.slots.length);
    // Open at the end: the slots whose last visit the run's end cut.
    const cut = plan.slots.map((slot) => slot.visits.some((v) => !departs(plan, v)));
    expect(report.streams.map((s) => s.openAtEnd)).toEqual(cut);
    expect(report.summary.streamsOpenAtEnd).toBe(cut.filter(Boolean).length);
  });

  it("each slot's viewers come and go as planned: one connection per visit, arrivals and departures at their instants (the log)", () => {
    expect(report.summary.totalReconnections).toBe(0);
    for (const [index, slot] of plan.slots.entries()) {
      const history = slotHistory(events, index);
      const later = slot.visits.slice(1).map((v) => v.fromMs / 1000);
      const leaving = slot.visits.filter((v) => departs(plan, v)).map((v) => v.toMs / 1000);
      expect({ index, connects: history.connects, arrive: history.arrive.length, depart: history.depart.length }).toEqual({
        index,
        connects: slot.visits.length,
        arrive: later.length,
        depart: leaving.length,
      });
      // Never before its planned instant; after it by no more than the lateness the stage table allows.
      for (const [k, t] of history.arrive.entries()) expect(t - (later[k] as number), `slot ${index} arrival ${k}`).toBeGreaterThanOrEqual(-0.001);
      for (const [k, t] of history.arrive.entries()) expect(t - (later[k] as number), `slot ${index} arrival ${k}`).toBeLessThan(0.5);
      // A departure is placed by its planned instant (Node may fire the visit's timer a millisecond early).
      for (const [k, t] of history.depart.entries()) expect(Math.abs(t - (leaving[k] as number)), `slot ${index} departure ${k}`).toBeLessThan(0.01);
    }
    const visits = plan.slots.reduce((n, s) => n + s.visits.length, 0);
    expect(fleet.totals.connections).toBe(visits);
    expect(fleet.totals.requests).toBe(visits);
  });

  it('the fleet never held more viewers than --max-streams, beyond the swaps its closes lag behind', () => {
    // The fleet does not sample: it counts every accept and close, and its peak is exact. The plan keeps at most 8
    // open, a departure freeing its place for a later arrival however soon; but the fleet holds a viewer until its
    // socket's close is handled, a loop turn or more after the client let go, and this plan has a departure and an
    // arrival 2 ms apart (peakOpen(plan, 2) is 9). Idle, the fleet showed 8 in every run; loaded, it may handle the
    // next request first. Allowed: the plan's peak with every visit 50 ms longer, which is at most 2 over the cap.
    const allowed = peakOpen(plan, 50);
    expect(allowed - MAIN.maxStreams).toBeLessThanOrEqual(2);
    expect(fleet.peakOpenStreams).toBeLessThanOrEqual(allowed);
    expect(fleet.peakOpenStreams).toBeGreaterThanOrEqual(MAIN.maxStreams);
    for (const row of fleet.timeline.rows) expect(row.peakOpenStreams, `row at ${row.t} s`).toBeLessThanOrEqual(allowed);
    // No request was refused or left unanswered.
    expect(fleet.totals.rejected).toBe(0);
    expect(fleet.totals.connections).toBe(fleet.timeline.rows.reduce((n, r) => n + r.accepted, 0));
  });

  it("viewers follow popularity: each camera had the plan's visits, and the first by id the most viewer-seconds", () => {
    const planned = plannedPerCamera(plan);
    const byId = new Map(fleet.cameras.map((c) => [String(c.id), c]));
    for (const [id, { visits }] of planned) expect(byId.get(id)?.connections, `camera ${id}`).toBe(visits);
    const [first, ...others] = plan.cameraIds;
    const sent = (id: string | undefined): number => byId.get(id ?? '')?.framesSent ?? 0;
    for (const id of others) expect(sent(first), `camera ${first} over ${id}`).toBeGreaterThan(sent(id));
    // Frames at a steady 10 fps measure a camera's viewer-seconds: each within a frame per visit and 10% of the plan's.
    for (const [id, { visits, seconds }] of planned) {
      expect(Math.abs(sent(id) - seconds * FPS), `camera ${id}`).toBeLessThanOrEqual(visits + seconds * FPS * 0.1);
    }
  });

  it('counts the frames the fleet sent: never more, and short by at most the one in flight per visit', () => {
    expect(report.summary.totalFrames).toBeLessThanOrEqual(fleet.totals.framesSent);
    expect(report.summary.totalFrames).toBeGreaterThanOrEqual(fleet.totals.framesSent - fleet.totals.connections);
    expect(report.summary.corruptFrames).toBe(0);
  });

  it("an open-model run's report conforms to the report schema", () => {
    expect(schemaErrors(report)).toBe('');
  });
});

// Each connection of this fleet sends 4 frames at 40 fps (75 ms), then holds the connection open sending nothing
// (--stall-after 4), and camera-load waits a minute before calling a silent stream stalled: every visit lasts 1 s or
// more (or is cut by the run's end, 100 ms or more after it began), so every frame sent arrives before its visit ends.
const EXACT: OpenModelFlags = { rate: '2s:2/s,4s:6/s,2s:1/s', watch: '1s..2s', popularity: 'zipf', maxStreams: 5, seed: 394 };

describe('an open-model run counts every frame the fleet sent', () => {
  let sim: RunningSimulator;
  let plan: OpenModelPlan;
  let report: Report;
  let fleet: FleetStats;

  beforeAll(async () => {
    sim = await startSimulator({ cameras: 4, inactive: 0, fps: 40, frameBytes: 2_000, faults: { stallAfterFrames: { value: 4, share: 1 } } });
    plan = openModelPlan(activeCameras(sim), EXACT);
    ({ report } = await runOpenModel(sim, dir, 'exact', [...openModelArgs(EXACT), '--stall-timeout', '60s']));
    fleet = await fleetAfter(sim, report.endedAt);
  }, 60_000);
  afterAll(() => sim.close());

  it('4 frames per visit, in all and per camera, exactly as the fleet counts them sent', () => {
    expect(closestToBoundary(plan)).toBeGreaterThanOrEqual(BOUNDARY_MARGIN_MS);
    expect(plan.dropped.length).toBeGreaterThan(0);
    const visits = plan.slots.reduce((n, s) => n + s.visits.length, 0);
    expectFourFramesPerVisit(report, fleet, visits);
    // A slot is open only for its visits: the assessment counts them, rather than saying the slots stayed up.
    expect(report.analysis.assessment).toMatch(new RegExp(`^All ${report.streams.length} streams opened for their ${visits} visits over [\\d.]+ s at `));
  });

  it('and its stages take and drop the plan arrivals, each slot on its camera', () => {
    expect(moves(report)).toEqual(plannedMoves(plan));
    expect(report.streams.map((s) => s.cameraId)).toEqual(plan.slots.map((s) => s.cameraId));
  });

  it("each viewer's fps over its visit: its 4 frames over the 1 to 2 s it stayed, one sample per viewer that watched 1 s or more", () => {
    const visits = plan.slots.flatMap((s) => s.visits);
    const viewers = (report.stages ?? []).reduce((n, stage) => n + (stage.viewerFps?.viewers ?? 0), 0);
    const endMs = report.summary.durationSeconds * 1000;
    // A visit of 1.2 s or more that ended before the run did had its first frame within 0.2 s: it counts.
    expect(viewers).toBeGreaterThanOrEqual(visits.filter((v) => v.toMs - v.fromMs >= 1_200 && v.toMs <= endMs - 100).length);
    expect(viewers).toBeLessThanOrEqual(visits.length);
    for (const stage of report.stages ?? []) {
      if (!stage.viewerFps) continue;
      expect(stage.viewerFps.p5, `stage ${stage.stage}`).toBeGreaterThanOrEqual(1.9);
      expect(stage.viewerFps.p50, `stage ${stage.stage}`).toBeLessThanOrEqual(4.01);
    }
  });
});
