import { afterEach, describe, expect, it } from 'vitest';
import type { Camera } from '../../src/cameras/camera.js';
import { Runner } from '../../src/run/runner.js';
import type { SimulatorOptions } from '../../src/sim/options.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import type { Report } from '../../src/report/report-types.js';
import { schemaErrors } from '../helpers/report-schema.js';
import { testPlan, testReport } from '../helpers/run-plan.js';
import { activeCameras } from '../helpers/fleet.js';

// What is whose in a stream's start, over real sockets: camera-load's own lateness and its connect queue are
// reported apart, and the server's figures (time to first frame from the request leaving, fps from the first frame)
// are the same whether or not camera-load was late.

let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function fleet(options: Partial<SimulatorOptions>): Promise<Camera[]> {
  sim = await startSimulator({ inactive: 0, frameBytes: 2_000, ...options });
  return activeCameras(sim);
}

/** Blocks this process's event loop (the runner's: it runs in it) for `ms`, as a client busy with itself would. */
function blockEventLoop(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // Busy on purpose.
  }
}

const start = (report: Report) => {
  const figures = report.summary.start;
  if (figures === null) throw new Error('the report has no start figures');
  return figures;
};

describe("a stream's start: camera-load's own waits apart from the server's", () => {
  it('a client made late (its event loop blocked during the ramp-up) shows client lateness, not valid past the rule; the server figures hold', async () => {
    const cameras = await fleet({ cameras: 20, fps: 10 });
    const plan = testPlan(cameras, { durationMs: 5_000, rampUpMs: 1_000 });
    // Control: the same ramp with nothing in the way.
    const onTime = testReport(await new Runner(plan).run(new AbortController().signal), plan.durationMs);
    const blocked = setTimeout(() => {
      blockEventLoop(2_500);
    }, 100);
    const late = testReport(await new Runner(plan).run(new AbortController().signal), plan.durationMs);
    clearTimeout(blocked);

    expect(schemaErrors(late)).toBe('');
    // Streams meant to start from 100 ms to 950 ms asked only once the loop was free, at about 2,600 ms.
    expect(start(late).clientLatenessMs?.max).toBeGreaterThanOrEqual(2_300);
    expect(start(late).clientLatenessMs?.p95).toBeGreaterThan(2_000);
    expect(late.summary.valid).toBe(false);
    expect(late.summary.invalidReason).toMatch(/client lateness p95 \d+ ms/);
    expect(late.analysis.assessment).toMatch(/^Not valid \(client (saturated and )?late\)/);
    // A loaded machine's timers run late too, but by nothing like the limit.
    expect(start(onTime).clientLatenessMs?.p95).toBeLessThan(500);
    expect(onTime.summary.valid).toBe(true);

    // The server's figures: every stream opened, its fps counted from its first frame, its first frame timed from
    // its request leaving: the same on the late run as on time. (The simulator runs in this process, so the block
    // also stopped it sending to the streams already open: those are left out.)
    for (const report of [onTime, late]) {
      expect(report.summary.streamsOpened).toBe(20);
      const startedAfter = report.streams.filter((s) => (s.start.requestSentAtMs ?? 0) >= 2_600);
      if (report === late) expect(startedAfter.length).toBeGreaterThanOrEqual(15);
      for (const stream of report === late ? startedAfter : report.streams) {
        expect(stream.fps).toBeGreaterThanOrEqual(8.5);
        // Up to one frame over 10 fps: a stream started after the block watched 2.4 s or less, and the simulator (in
        // this process, blocked too) sends the frames it owes in a burst once free (CI read 10.746).
        expect(stream.fps).toBeLessThanOrEqual(11);
        expect(stream.timeToFirstFrameMs).toBeLessThan(600);
      }
    }
    for (const stream of late.streams) {
      const s = stream.start;
      expect(s.requestSentAtMs).not.toBeNull();
      // Lateness is the time from its place in the ramp to its request leaving, beyond any queue (Node's timers take
      // whole milliseconds against a fractional clock and may fire up to about 2 ms early: that lateness reads 0).
      expect((s.requestSentAtMs ?? 0) + 3).toBeGreaterThanOrEqual(s.scheduledAtMs + (s.clientLatenessMs ?? 0) + (s.connectQueueMs ?? 0));
      expect(stream.timeToFirstFrameMs).toBeCloseTo((s.firstFrameAtMs ?? 0) - (s.requestSentAtMs ?? 0), 0);
    }
  });

  it('a connect limit of 1 with 200 streams: the connect queue is reported apart, the server figures unaffected', async () => {
    const cameras = await fleet({ cameras: 200, fps: 5 });
    const plan = testPlan(cameras, { durationMs: 4_000, connectConcurrency: 1, stallTimeoutMs: 3_000 });
    const report = testReport(await new Runner(plan).run(new AbortController().signal), plan.durationMs);
    const figures = start(report);
    expect(schemaErrors(report)).toBe('');
    const queue = figures.connectQueueMs;
    const answers = figures.timeToHeadersMs;
    if (queue === null || answers === null) throw new Error('no queue or answer figures');
    // One request at a time awaited its headers: the last stream waited for the 199 answers before it.
    expect(queue.max).toBeGreaterThan(answers.p50 * 100);
    // Each stream's own wait is the queue's, not the server's: its time to first frame counts from the request leaving.
    const opened = report.streams.filter((s) => s.opened);
    expect(opened.length + figures.requestsNeverSent).toBeGreaterThanOrEqual(190);
    const ttff = report.summary.timeToFirstFrameMs;
    expect(ttff?.p95).toBeLessThan(queue.max);
    expect(report.summary.fpsPerStream.p5).toBeGreaterThanOrEqual(4);
    if (queue.max >= 500) expect(report.analysis.warnings.join('\n')).toMatch(/the queue is camera-load's own limit of the connect slots/);
    // Not camera-load's lateness: the queue is reported apart and does not make the run not valid.
    expect(figures.clientLatenessMs?.p95).toBeLessThan(1_000);
  });

  it("a server slow to answer (--header-delay) reads as the server's slowness, and the queue it causes is named as its own", async () => {
    const cameras = await fleet({ cameras: 40, fps: 5, faults: { headerDelayMs: { value: 600, share: 1 } } });
    const plan = testPlan(cameras, { durationMs: 5_000, connectConcurrency: 10, stallTimeoutMs: 3_000 });
    const report = testReport(await new Runner(plan).run(new AbortController().signal), plan.durationMs);
    const figures = start(report);
    expect(figures.timeToHeadersMs?.p50).toBeGreaterThanOrEqual(600);
    expect(report.summary.timeToFirstFrameMs?.p50).toBeGreaterThanOrEqual(600);
    // 40 streams through 10 slots held 600 ms each: four waves, the last waiting about 1.8 s.
    expect(figures.connectQueueMs?.max).toBeGreaterThanOrEqual(1_500);
    const said = report.analysis.warnings.join('\n');
    expect(said).toMatch(/the server's slow answers held the connect slots \(time to headers p50 \d+ ms/);
    expect(said).toMatch(/The queue is the server's slowness/);
    expect(report.analysis.recommendations.join('\n')).not.toMatch(/Raise --connect-concurrency/);
    expect(report.summary.valid).toBe(true);
  });
});
