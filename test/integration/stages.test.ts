import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report, StreamReport } from '../../src/report/report-types.js';
import type { FleetStats } from '../../src/sim/fleet-stats.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { waitFor } from '../helpers/hold-streams.js';
import { readJson } from '../helpers/read-json.js';
import { schemaErrors } from '../helpers/report-schema.js';
import { runCli } from '../helpers/run-cli.js';
import { onRunClock, plannedChanges, plannedMoves, plannedOpen, plannedRange, stagePlan, type RunRow } from '../helpers/stage-plan.js';
import { tempDir } from '../helpers/temp-dir.js';
import { expectFourFramesPerVisit } from '../helpers/fleet.js';

// --stages (issue 30) run as users run it (the built CLI, its own process) against the simulated fleet in this process
// over real sockets: the concurrency the plan asks for, checked in camera-load's report and in the fleet's own
// timeline (/__stats `timeline`), arrivals and departures per stage as src/stages.ts schedules them, a viewer that
// leaves and comes back, and every frame counted.

const dir = tempDir('stages');

/** A staged run of the CLI against `sim`, and the fleet's figures once it has a row from after the run's end. */
async function stagedRun(sim: RunningSimulator, name: string, args: string[]): Promise<{ report: Report; fleet: FleetStats }> {
  const output = join(dir, `${name}.json`);
  const result = await runCli(['--api-url', sim.apiUrl, ...args, '--output', output, '--log', join(dir, `${name}.log`), '--quiet'], { timeoutMs: 30_000 });
  expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
  const report = readJson<Report>(output);
  const endedAt = Date.parse(report.endedAt);
  const fleet = await waitFor(() => {
    const stats = sim.stats();
    return (stats.timeline.rows.at(-1)?.at ?? 0) >= endedAt ? stats : undefined;
  }, 'a fleet row after the run');
  return { report, fleet };
}

const stream = (report: Report, index: number): StreamReport => {
  const found = report.streams.find((s) => s.index === index);
  if (!found) throw new Error(`no stream ${index}`);
  return found;
};

// 3 cameras × 2 streams at 10 fps. Up to 6 over 1.5 s (a stream every 0.25 s), held 2 s; down to 2 over 1 s (slots 5,
// 4, 3 leave at 3.75, 4.0 and 4.25 s; slot 2 closes at 4.5 s and opens again at once: it never leaves), back up to 6
// over 1 s (3, 4, 5 return at 4.75, 5.0 and 5.25 s), held 1 s. Every arrival and departure lies 0.25 s or more from a
// stage's boundary, so which stage it falls in does not hang on a timer's lateness.
const STAGES = '1.5s:6,2s:6,1s:2,1s:6,1s:6';
const FPS = 10;

describe('a staged run against the simulated fleet', () => {
  const plan = stagePlan(STAGES);
  let sim: RunningSimulator;
  let report: Report;
  let fleet: FleetStats;
  let rows: RunRow[];

  beforeAll(async () => {
    sim = await startSimulator({ cameras: 3, inactive: 0, fps: FPS, frameBytes: 2_000 });
    ({ report, fleet } = await stagedRun(sim, 'staged', ['--streams-per-camera', '2', '--stages', STAGES]));
    rows = onRunClock(fleet.timeline.rows, report);
  }, 60_000);
  afterAll(() => sim.close());

  it('reaches the target on each hold: the report says so, and the fleet held exactly that many the whole time', () => {
    expect(report.stages?.map((s) => s.target)).toEqual([
      { from: 0, to: 6 },
      { from: 6, to: 6 },
      { from: 6, to: 2 },
      { from: 2, to: 6 },
      { from: 6, to: 6 },
    ]);
    for (const hold of [1, 4]) expect(report.stages?.[hold]?.openStreams?.max, `stage ${hold + 1}`).toBe(6);
    // Every viewer watched the whole hold, at the fleet's rate.
    expect(report.stages?.[1]?.fpsPerStream?.streams).toBe(6);
    expect(report.stages?.[1]?.fpsPerStream?.p5).toBeGreaterThan(FPS * 0.85);
    // The rows wholly within the first hold (2 s: one at least); the rows across its boundaries may differ.
    const hold = plan.spans[1] as { fromMs: number; toMs: number };
    const within = rows.filter((r) => r.fromMs >= hold.fromMs && r.toMs <= hold.toMs);
    expect(within.length).toBeGreaterThanOrEqual(1);
    for (const { row } of within) {
      expect(row).toMatchObject({ openStreams: 6, minOpenStreams: 6, peakOpenStreams: 6, accepted: 0, closed: 0 });
      // Two viewers on each of the three cameras.
      expect(row).toMatchObject({ camerasWatched: 3, maxViewersPerCamera: 2 });
    }
  });

  it("the fleet's viewers follow the plan second by second, away from the instants a stream opens or closes", () => {
    const margin = 150;
    const changes = plannedChanges(plan);
    const clear = rows.filter(
      (r) => r.fromMs >= 0 && r.toMs <= plan.endMs - margin && changes.every((c) => Math.abs(c - r.fromMs) > margin && Math.abs(c - r.toMs) > margin),
    );
    expect(clear.length).toBeGreaterThanOrEqual(1);
    for (const { fromMs, toMs, row } of clear) {
      const { min, max } = plannedRange(plan, fromMs, toMs);
      expect({ at: fromMs, open: row.openStreams, min: row.minOpenStreams, peak: row.peakOpenStreams }).toEqual({
        at: fromMs,
        open: plannedOpen(plan, toMs),
        min,
        peak: max,
      });
    }
  });

  it("arrivals and departures per stage are the plan's, and the fleet accepted a connection for each arrival", () => {
    const expected = plannedMoves(plan);
    expect(expected).toEqual([
      { arrivals: 6, departures: 0 },
      { arrivals: 0, departures: 0 },
      { arrivals: 0, departures: 3 },
      { arrivals: 3, departures: 0 },
      { arrivals: 0, departures: 0 },
    ]);
    expect(report.stages?.map(({ arrivals, departures }) => ({ arrivals, departures }))).toEqual(expected);
    expect(report.stages?.every((s) => s.reconnections === 0 && s.droppedArrivals === 0)).toBe(true);
    // Each arrival's first frame, in the stage it arrived in.
    expect(report.stages?.map((s) => s.timeToFirstFrameMs.count)).toEqual(expected.map((m) => m.arrivals));
    const accepted = (pick: (r: RunRow) => boolean): number => rows.filter(pick).reduce((n, r) => n + r.row.accepted, 0);
    expect(accepted(() => true)).toBe(9);
    expect(fleet.totals.connections).toBe(9);
    expect(rows.reduce((n, r) => n + r.row.closed, 0)).toBe(9);
    // Per stage, as far as one-second rows can tell: those wholly within it accepted no more, those that touch it no fewer.
    for (const [i, span] of plan.spans.entries()) {
      const arrivals = expected[i]?.arrivals ?? 0;
      expect(accepted((r) => r.fromMs >= span.fromMs && r.toMs <= span.toMs)).toBeLessThanOrEqual(arrivals);
      expect(accepted((r) => r.toMs > span.fromMs && r.fromMs < span.toMs)).toBeGreaterThanOrEqual(arrivals);
    }
  });

  it('a viewer that leaves and comes back: no reconnection, its fps is its rate, no gap for its time away', () => {
    expect(report.summary.totalReconnections).toBe(0);
    // Slot 5 is away from 3.75 s to 5.25 s of the 6.5 s run; slot 2 never leaves.
    const back = stream(report, 5);
    expect(back.events.map((e) => e.type).filter((type) => type === 'depart' || type === 'arrive')).toEqual(['depart', 'arrive']);
    expect(back.reconnections).toBe(0);
    // Diluted by its 1.5 s away, its fps would be about 7.
    expect(back.fps).toBeGreaterThan(FPS * 0.85);
    expect(back.fps).toBeLessThan(FPS * 1.15);
    expect(back.uptime).toBeGreaterThan(0.95);
    // Half its time away: a gap across the departure would be 1.5 s.
    expect(back.frameGapMs.max).toBeLessThan(750);
    expect(back.stages?.map((s) => s !== null)).toEqual([true, true, true, true, true]);
    const stayed = stream(report, 2);
    expect(stayed.events.some((e) => e.type === 'depart')).toBe(false);
    // Slots 3 and 4 were away 0.5 s and 1 s.
    for (const s of report.streams) expect(s.frameGapMs.max, `stream ${s.index}`).toBeLessThan(750);
  });

  it('counts the frames the fleet sent: never more, and short by at most the one in flight per connection', () => {
    expect(report.summary.totalFrames).toBeLessThanOrEqual(fleet.totals.framesSent);
    expect(report.summary.totalFrames).toBeGreaterThanOrEqual(fleet.totals.framesSent - fleet.totals.connections);
    // 6.5 s of at most 6 streams at 10 fps, and at least the holds' share.
    expect(report.summary.totalFrames).toBeGreaterThan(6 * FPS * 3);
  });

  it("a staged run's report conforms to the report schema", () => {
    expect(schemaErrors(report)).toBe('');
  });

  it("every row of the timeline is in a stage: the stages' frames add up to the timeline's", () => {
    const inRows = report.timeline.reduce((n, r) => n + r.fps * r.seconds, 0);
    const inStages = report.stages?.reduce((n, s) => n + s.frames, 0) ?? 0;
    expect(Math.abs(inStages - inRows)).toBeLessThanOrEqual(plan.spans.length);
  });
});

// 4 cameras × 2 streams: up to 4 over 1.6 s, held 2 s (1.6 s to 3.6 s), up to 8 over 1 s (at 3.6, 3.85, 4.1 and 4.35 s).
const HOLD_THEN_UP = '1.6s:4,2s:4,1s:8';

describe('a hold followed by a ramp up', () => {
  const plan = stagePlan(HOLD_THEN_UP);
  let sim: RunningSimulator;
  let report: Report;
  let rows: RunRow[];

  beforeAll(async () => {
    sim = await startSimulator({ cameras: 4, inactive: 0, fps: 5, frameBytes: 2_000 });
    let fleet: FleetStats;
    ({ report, fleet } = await stagedRun(sim, 'hold-then-up', ['--streams-per-camera', '2', '--stages', HOLD_THEN_UP]));
    rows = onRunClock(fleet.timeline.rows, report);
  }, 60_000);
  afterAll(() => sim.close());

  it('the fleet held exactly the target through the hold', () => {
    const hold = plan.spans[1] as { fromMs: number; toMs: number };
    const within = rows.filter((r) => r.fromMs >= hold.fromMs && r.toMs <= hold.toMs);
    expect(within.length).toBeGreaterThanOrEqual(1);
    for (const { row } of within) expect(row).toMatchObject({ openStreams: 4, minOpenStreams: 4, peakOpenStreams: 4 });
  });

  // A row's open streams are counted at its end: the hold takes only the rows that end within it.
  it("the report's concurrency for the hold is its target", () => {
    expect(report.stages?.[1]?.openStreams?.max).toBe(4);
  });
});

// Each connection of this fleet sends 4 frames at 40 fps, then holds the connection open sending nothing (--stall-after
// 4), and camera-load waits a minute before calling a silent stream stalled: every frame sent arrives before its visit
// ends, so what camera-load counts is exactly what the fleet sent, visit after visit.
const EXACT_STAGES = '0.5s:4,1s:4,0.5s:1,0.5s:1,0.5s:4,0.5s:4';

describe('frames counted exactly across visits', () => {
  const plan = stagePlan(EXACT_STAGES);
  let sim: RunningSimulator;
  let report: Report;
  let fleet: FleetStats;

  beforeAll(async () => {
    sim = await startSimulator({ cameras: 2, inactive: 0, fps: 40, frameBytes: 2_000, faults: { stallAfterFrames: { value: 4, share: 1 } } });
    ({ report, fleet } = await stagedRun(sim, 'exact', ['--streams-per-camera', '2', '--stall-timeout', '60s', '--stages', EXACT_STAGES]));
  }, 60_000);
  afterAll(() => sim.close());

  it('the report holds every frame the fleet sent, per camera and in all, 4 per visit', () => {
    const visits = plan.visits.reduce((n, vs) => n + vs.length, 0);
    expect(visits).toBe(7);
    expectFourFramesPerVisit(report, fleet, visits);
    const moves = report.stages ?? [];
    expect(moves.reduce((n, s) => n + s.arrivals, 0)).toBe(visits);
    expect(moves.reduce((n, s) => n + s.departures, 0)).toBe(3);
  });

  // Placed by its planned instant: Node fires a timer up to 1 ms early. Slot 1 closes at 2.0 s (stage 3's end) and opens at 2.5 s (stage 5's start).
  it('an arrival on a boundary counts in the stage it begins, a departure in the stage it ends', () => {
    expect(report.stages?.map(({ arrivals, departures }) => ({ arrivals, departures }))).toEqual(plannedMoves(plan));
  });
});
