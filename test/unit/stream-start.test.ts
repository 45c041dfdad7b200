import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StreamStats } from '../../src/metrics/stream-stats.js';
import { buildReport } from '../../src/report/build-report.js';
import type { Report } from '../../src/report/report-types.js';
import { Visits } from '../../src/metrics/visits.js';
import { CLIENT_LATENESS_LIMIT, latenessProblem, streamStart, viewedFps } from '../../src/report/stream-start.js';

interface Start {
  scheduled: number;
  lateness: number;
  queue: number;
  headers: number;
}

/** A stream that started as told and then received 5 fps to the end of a 20 s run. */
function stream(index: number, s: Start): StreamStats {
  const stats = new StreamStats(index, String(index), `Camera ${index}`, `http://cam/${index}`);
  const headersAt = s.scheduled + s.lateness + s.queue + s.headers;
  stats.scheduled(s.scheduled);
  stats.attemptStarted(s.scheduled + s.lateness);
  stats.requestSent(s.scheduled + s.lateness + s.queue);
  stats.responseStarted(headersAt, 200);
  stats.connectionOpened(headersAt);
  for (let t = headersAt + 1; t < 20_000; t += 200) stats.frame(1_000, t);
  return stats;
}

function reportOf(starts: Start[], connectConcurrency = 100): Report {
  const streams = starts.map((s, i) => stream(i, s));
  return buildReport({
    version: 'test',
    config: { connectConcurrency },
    cameras: { listed: streams.length, active: streams.length, skipped: 0 },
    streamsRequested: streams.length,
    streamsPerCamera: 1,
    targetDurationMs: 20_000,
    outcome: { startedAt: new Date(0), endedAt: new Date(20_000), elapsedMs: 20_000, interrupted: false, streams, timeline: [], system: [] },
  });
}

const many = (n: number, make: (i: number) => Start): Start[] => Array.from({ length: n }, (_, i) => make(i));

/** A stream of one visit whose first frame came at `firstFrameAt`. */
function once(firstFrameAt: number): { firstFrameAt: number; visits: Visits } {
  const visits = new Visits();
  visits.firstFrame(firstFrameAt);
  return { firstFrameAt, visits };
}

describe("a stream's start, whose each wait is", () => {
  it('splits the wait before the request left into client lateness and connect queue; the server is timed from there', () => {
    const report = reportOf([{ scheduled: 100, lateness: 40, queue: 300, headers: 25 }]);
    const [s] = report.streams;
    expect(s?.start).toEqual({ scheduledAtMs: 100, requestSentAtMs: 440, headersAtMs: 465, firstFrameAtMs: 466, clientLatenessMs: 40, connectQueueMs: 300 });
    expect(s?.timeToFirstFrameMs).toBe(26);
    expect(report.summary.start?.timeToHeadersMs).toEqual({ p50: 25, p95: 25, p99: 25, max: 25 });
  });

  it("with a connect slot free when it asked, the wait until its request left is camera-load's, not a queue", () => {
    const asked = (allTaken: boolean): StreamStats => {
      const stats = new StreamStats(0, '0', 'a', 'http://a');
      stats.scheduled(0);
      stats.attemptStarted(3);
      stats.connectSlotAsked(allTaken);
      stats.requestSent(19);
      return stats;
    };
    expect(streamStart(asked(false), 1_000)).toMatchObject({ clientLatenessMs: 19, connectQueueMs: 0 });
    expect(streamStart(asked(true), 1_000)).toMatchObject({ clientLatenessMs: 3, connectQueueMs: 16 });
  });

  it('a stream still waiting at the end is charged its wait to the end; one not yet due waited for nothing', () => {
    const queued = new StreamStats(0, '0', 'a', 'http://a');
    queued.attemptStarted(500);
    expect(streamStart(queued, 2_000)).toMatchObject({ requestSentAtMs: null, clientLatenessMs: 500, connectQueueMs: 1_500 });
    const notDue = new StreamStats(1, '1', 'b', 'http://b');
    notDue.scheduled(3_000);
    expect(streamStart(notDue, 2_000)).toMatchObject({ clientLatenessMs: null, connectQueueMs: null });
    const neverAsked = new StreamStats(2, '2', 'c', 'http://c');
    neverAsked.scheduled(400);
    expect(streamStart(neverAsked, 2_000)).toMatchObject({ clientLatenessMs: 1_600, connectQueueMs: null });
  });

  it('fps: the frames after the first per second from it; no fps under 1 s; never above the true rate for a steady stream', () => {
    expect(viewedFps(once(0), 1, 999)).toBeNull();
    expect(viewedFps({ firstFrameAt: undefined, visits: new Visits() }, 1, 5_000)).toBeNull();
    expect(viewedFps(once(0), 26, 5_000)).toBe(5);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: 1_000, max: 60_000 }), (fps, first, window) => {
        const period = 1_000 / fps;
        const frames = 1 + Math.floor(window / period);
        const measured = viewedFps(once(first), frames, first + window) ?? Number.NaN;
        expect(measured).toBeLessThanOrEqual(fps + 0.001);
        // At most one frame per window low.
        expect(measured).toBeGreaterThanOrEqual(fps - 1_000 / window - 0.001);
      }),
    );
  });

  it('not valid only past the rule: p95 lateness over 2 s or 10% of the duration, whichever is larger', () => {
    const at = (p95: number, durationMs: number) =>
      latenessProblem({ clientLatenessMs: { p50: 0, p95, p99: p95, max: p95 }, connectQueueMs: null, timeToHeadersMs: null, requestsNeverSent: 0 }, durationMs);
    expect(at(CLIENT_LATENESS_LIMIT.floorMs, 10_000)).toBeUndefined();
    expect(at(CLIENT_LATENESS_LIMIT.floorMs + 1, 10_000)).toMatch(/client lateness p95 2001 ms, max 2001 ms \(the limit is 2000 ms/);
    expect(at(29_000, 300_000)).toBeUndefined();
    expect(at(30_001, 300_000)).toMatch(/the limit is 30000 ms/);
    expect(latenessProblem(null, 10_000)).toBeUndefined();
  });

  it('a late start makes the report not valid, named; the connect queue never does', () => {
    const late = reportOf(many(20, (i) => ({ scheduled: 0, lateness: 150 * i, queue: 0, headers: 5 })));
    expect(late.summary.valid).toBe(false);
    expect(late.summary.invalidReason).toMatch(/camera-load itself was late starting the streams: client lateness p95 2700 ms/);
    expect(late.analysis.assessment).toMatch(/^Not valid \(client late\)/);
    const queued = reportOf(many(20, (i) => ({ scheduled: 0, lateness: 0, queue: 300 * i, headers: 5 })));
    expect(queued.summary.valid).toBe(true);
  });

  it('the analysis names the queue: the limit when the server answered quickly, the server when its answers held the slots', () => {
    const tight = reportOf(
      many(20, (i) => ({ scheduled: 0, lateness: 0, queue: 50 * i, headers: 5 })),
      1,
    );
    expect(tight.analysis.warnings.join('\n')).toMatch(
      /connect queue p50 450 ms, p95 900 ms, max 950 ms\): the server answered quickly .* camera-load's own limit of the 1 connect slot \(--connect-concurrency\)/,
    );
    expect(tight.analysis.recommendations.join('\n')).toMatch(/Raise --connect-concurrency above 1/);
    const slow = reportOf(
      many(20, (i) => ({ scheduled: 0, lateness: 0, queue: 600 * Math.floor(i / 10), headers: 600 })),
      10,
    );
    expect(slow.analysis.warnings.join('\n')).toMatch(
      /the server's slow answers held the 10 connect slots \(--connect-concurrency\) \(time to headers p50 600 ms.*The queue is the server's slowness/,
    );
    expect(slow.analysis.recommendations.join('\n')).not.toMatch(/connect-concurrency/);
    const quiet = reportOf(many(20, () => ({ scheduled: 0, lateness: 10, queue: 20, headers: 5 })));
    expect(quiet.analysis.warnings.join('\n')).not.toMatch(/connect slot|late/);
  });

  it("lateness under the rule but notable is named as camera-load's own, the server figures unaffected", () => {
    const report = reportOf(many(20, (i) => ({ scheduled: 0, lateness: i === 19 ? 800 : 0, queue: 0, headers: 5 })));
    expect(report.summary.valid).toBe(true);
    expect(report.analysis.warnings.join('\n')).toMatch(/camera-load started streams late by its own doing \(client lateness p50 0 ms, p95 0 ms, max 800 ms/);
  });
});
