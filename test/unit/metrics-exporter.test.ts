import { describe, expect, it } from 'vitest';
import { StreamStats } from '../../src/metrics/stream-stats.js';
import { Scraper } from '../../src/prometheus/families.js';
import { BUCKETS_SECONDS, LiveTally, tallyOf } from '../../src/prometheus/tally.js';
import { buildReport } from '../../src/report/build-report.js';
import type { Runner } from '../../src/run/runner.js';
import { parseMetricsText as parse } from '../helpers/metrics-text.js';
import type { EndCode } from '../../src/end-codes.js';

// The exporter reads the engine's own per-stream counters at scrape time: these check that what it exports is
// what the report sums, and that the counters only go up, across max's trials too.

function stream(index: number, cameraId: string, frameTimes: number[], options: { attemptAt?: number; errors?: EndCode[]; bytes?: number } = {}): StreamStats {
  const s = new StreamStats(index, cameraId, `cam ${cameraId}`, `http://127.0.0.1/${cameraId}`);
  for (let attempt = 0; attempt <= (options.errors?.length ?? 0); attempt++) s.attemptStarted(options.attemptAt ?? 0);
  s.requestSent(options.attemptAt ?? 0);
  for (const at of frameTimes) s.frame(1_000, at);
  s.bytesReceived(options.bytes ?? frameTimes.length * 1_100, () => options.attemptAt ?? 0);
  for (const code of options.errors ?? []) s.error(code, 'test', 1);
  return s;
}

/** Frames of one picture after another (a fingerprint each), or one picture re-sent when `fingerprints` repeats. */
function freshStream(index: number, cameraId: string, frames: { at: number; fingerprint: number; ageMs?: number }[]): StreamStats {
  const s = new StreamStats(index, cameraId, `cam ${cameraId}`, `http://127.0.0.1/${cameraId}`);
  s.attemptStarted(0);
  // As the parser tells it: a frame repeats the one before when their fingerprints are equal.
  frames.forEach((f, i) => {
    s.frame(1_000, f.at, i > 0 && frames[i - 1]?.fingerprint === f.fingerprint, f.ageMs ?? Number.NaN);
  });
  return s;
}

/** One picture re-sent every second for 7 s: 7 repeats, one FROZEN event (past the 2 s default), no capture time. */
const frozenStream = (index: number, cameraId: string): StreamStats =>
  freshStream(
    index,
    cameraId,
    Array.from({ length: 8 }, (_, i) => ({ at: i * 1_000, fingerprint: 42 })),
  );
/** Three new pictures aged 100, 150 and 300 ms: delays 0, 50 and 200 ms from the smallest age. */
const laggingStream = (index: number, cameraId: string): StreamStats =>
  freshStream(
    index,
    cameraId,
    [100, 150, 300].map((ageMs, i) => ({ at: i * 200, fingerprint: i + 1, ageMs })),
  );

/** A runner as the tally sees it: its streams (live objects), and its 'sample' events. */
function fakeRunner(streams: StreamStats[]): Runner {
  return { snapshot: () => ({ streams }), on: () => undefined } as unknown as Runner;
}

describe('tallyOf: the streams summed as the report sums them', () => {
  it('counts frames, bytes, reconnections, stalls and connection ends by code', () => {
    const streams = [stream(0, 'a', [100, 300, 500], { errors: ['STALL', 'HTTP_503'] }), stream(1, 'b', [50, 150], { errors: ['STALL'] })];
    const tally = tallyOf(streams, false);
    expect(tally).toMatchObject({ frames: 5, bytes: 5 * 1_100, reconnections: 3, stalls: 2, errorsByCode: { STALL: 2, HTTP_503: 1 } });
    expect(tally.cameras.size).toBe(0);
  });

  it('puts each frame gap in the bucket of its bound, with the exact sum and count', () => {
    // Gaps: 200, 200 (a) and 33, 1 000, 12 000 (b).
    const tally = tallyOf([stream(0, 'a', [100, 300, 500]), stream(1, 'b', [0, 33, 1_033, 13_033])], false);
    const bucket = (le: number): number => tally.frameGap.buckets[BUCKETS_SECONDS.indexOf(le)] ?? -1;
    expect(bucket(0.035)).toBe(1);
    expect(bucket(0.2)).toBe(2);
    expect(bucket(1)).toBe(1);
    expect(tally.frameGap.buckets.at(-1)).toBe(1);
    expect(tally.frameGap.count).toBe(5);
    expect(tally.frameGap.sum).toBeCloseTo(0.4 + 13.033, 9);
  });

  it('times the first frame from the first request leaving, as the report does', () => {
    const tally = tallyOf([stream(0, 'a', [260], { attemptAt: 10 }), stream(1, 'b', [])], false);
    expect(tally.timeToFirstFrame.count).toBe(1);
    expect(tally.timeToFirstFrame.sum).toBeCloseTo(0.25, 9);
    expect(tally.timeToFirstFrame.buckets[BUCKETS_SECONDS.indexOf(0.25)]).toBe(1);
  });

  it('per camera: the streams of one camera together', () => {
    const tally = tallyOf([stream(0, 'a', [1, 2]), stream(1, 'a', [1]), stream(2, 'b', [1], { errors: ['ENDED'] })], true);
    expect(tally.cameras.get('a')).toMatchObject({ frames: 3, reconnections: 0 });
    expect(tally.cameras.get('b')).toMatchObject({ frames: 1, reconnections: 1, errorsByCode: { ENDED: 1 } });
  });

  it('freshness: repeated frames, FROZEN events, the delays summed, the largest latest delay (NaN left out)', () => {
    const steady = freshStream(
      2,
      'b',
      [80, 80].map((ageMs, i) => ({ at: i * 200, fingerprint: i + 7, ageMs })),
    );
    const tally = tallyOf([frozenStream(0, 'a'), laggingStream(1, 'b'), steady], true);
    expect(tally).toMatchObject({ repeatedFrames: 7, frozen: 1, timestampedFrames: 5, delaySumMs: 250, delayMaxMs: 200 });
    expect(tally.cameras.get('a')).toMatchObject({ repeatedFrames: 7, frozen: 1, timestampedFrames: 0, delaySumMs: 0 });
    expect(tally.cameras.get('a')?.delayMaxMs).toBeNaN();
    expect(tally.cameras.get('b')).toMatchObject({ repeatedFrames: 0, timestampedFrames: 5, delaySumMs: 250, delayMaxMs: 200 });
    expect(tallyOf([frozenStream(0, 'a')], false).delayMaxMs).toBeNaN();
  });

  it("equals the report's summary", () => {
    const streams = [stream(0, 'a', [100, 300, 500], { errors: ['STALL'] }), stream(1, 'b', [50, 150, 250, 350])];
    const report = buildReport({
      version: 'test',
      config: {},
      cameras: { listed: 2, active: 2, skipped: 0 },
      streamsRequested: 2,
      streamsPerCamera: 1,
      targetDurationMs: 1_000,
      outcome: { startedAt: new Date(), endedAt: new Date(), elapsedMs: 1_000, interrupted: false, streams, timeline: [], system: [] },
    });
    const tally = tallyOf(streams, false);
    expect([tally.frames, tally.bytes, tally.reconnections, tally.stalls]).toEqual([
      report.summary.totalFrames,
      report.summary.totalBytes,
      report.summary.totalReconnections,
      report.summary.totalStalls,
    ]);
  });
});

describe('the scrape: counters that follow the engine and never go back', () => {
  it('exports the totals, and keeps the finished trials when the next one starts from zero', () => {
    const live = new LiveTally(true);
    const scraper = new Scraper(live, { version: '9.9.9', command: 'max' }, true);
    const first = [stream(0, 'a', [0, 200, 400]), stream(1, 'b', [0, 200], { errors: ['ECONNRESET'] })];
    live.follow(fakeRunner(first), 2);
    let scraped = parse(scraper.text());
    expect(scraped.get('camera_load_frames_total')).toBe(5);
    expect(scraped.get('camera_load_trial_info{trial="1",streams="2"}')).toBe(1);
    expect(scraped.get('camera_load_run_info{version="9.9.9",command="max",shard="1/1"}')).toBe(1);
    expect(scraped.get('camera_load_connection_ends_total{code="ECONNRESET"}')).toBe(1);
    first[0]?.frame(1_000, 600);
    scraped = parse(scraper.text());
    expect(scraped.get('camera_load_frames_total')).toBe(6);

    // Trial 2: new streams, counting from zero again.
    live.follow(fakeRunner([stream(0, 'a', [0])]), 1);
    scraped = parse(scraper.text());
    expect(scraped.get('camera_load_frames_total')).toBe(7);
    expect(scraped.get('camera_load_reconnections_total')).toBe(1);
    expect(scraped.get('camera_load_connection_ends_total{code="ECONNRESET"}')).toBe(1);
    expect(scraped.get('camera_load_camera_frames_total{camera="a"}')).toBe(5);
    expect(scraped.get('camera_load_camera_frames_total{camera="b"}')).toBe(2);
    expect(scraped.get('camera_load_frame_gap_seconds_count')).toBe(4);
    expect(scraped.get('camera_load_frame_gap_seconds_bucket{le="+Inf"}')).toBe(4);
    expect(scraped.get('camera_load_trial_info{trial="2",streams="1"}')).toBe(1);
    expect(scraped.has('camera_load_trial_info{trial="1",streams="2"}')).toBe(false);
    expect(scraped.get('camera_load_streams_planned')).toBe(1);
  });

  it('a total that went down (never, from the engine) holds the counter rather than lowering it', () => {
    const live = new LiveTally(false);
    const scraper = new Scraper(live, { version: '1', command: 'run', shard: { index: 2, count: 4 } }, false);
    const streams = [stream(0, 'a', [0, 1, 2])];
    live.follow(fakeRunner(streams), 1);
    expect(parse(scraper.text()).get('camera_load_frames_total')).toBe(3);
    streams[0] = stream(0, 'a', [0]);
    const scraped = parse(scraper.text());
    expect(scraped.get('camera_load_frames_total')).toBe(3);
    expect(scraped.get('camera_load_run_info{version="1",command="run",shard="2/4"}')).toBe(1);
    expect([...scraped.keys()].some((k) => k.startsWith('camera_load_camera_'))).toBe(false);
    expect([...scraped.keys()].some((k) => k.startsWith('camera_load_trial_info'))).toBe(false);
  });

  it('histogram buckets are cumulative and end at the count', () => {
    const live = new LiveTally(false);
    const scraper = new Scraper(live, { version: '1', command: 'run' }, false);
    live.follow(fakeRunner([stream(0, 'a', [0, 33, 233, 1_233, 21_233])]), 1);
    const scraped = parse(scraper.text());
    const buckets = BUCKETS_SECONDS.map((le) => scraped.get(`camera_load_frame_gap_seconds_bucket{le="${le}"}`) ?? -1);
    expect(buckets).toEqual([...buckets].sort((a, b) => a - b));
    expect(scraped.get('camera_load_frame_gap_seconds_bucket{le="0.035"}')).toBe(1);
    expect(scraped.get('camera_load_frame_gap_seconds_bucket{le="10"}')).toBe(3);
    expect(scraped.get('camera_load_frame_gap_seconds_bucket{le="+Inf"}')).toBe(4);
    expect(scraped.get('camera_load_frame_gap_seconds_sum')).toBeCloseTo(21.233, 9);
  });

  it('freshness: repeated frames, FROZEN events, the delay as a summary (_sum, _count) and its largest latest value', () => {
    const live = new LiveTally(true);
    const scraper = new Scraper(live, { version: '1', command: 'max' }, true);
    live.follow(fakeRunner([frozenStream(0, 'a')]), 1);
    let scraped = parse(scraper.text());
    expect(scraped.get('camera_load_frames_repeated_total')).toBe(7);
    expect(scraped.get('camera_load_frozen_total')).toBe(1);
    expect(scraped.get('camera_load_frame_delay_seconds_count')).toBe(0);
    // No frame carried a capture time: 0 for the whole run, nothing for the camera.
    expect(scraped.get('camera_load_frame_delay_max_seconds')).toBe(0);
    expect([...scraped.keys()].filter((k) => k.startsWith('camera_load_camera_frame_delay_max_seconds'))).toEqual([]);

    // The next trial: counters and the summary add up; the gauge is the running trial's.
    live.follow(fakeRunner([laggingStream(0, 'b')]), 1);
    const text = scraper.text();
    scraped = parse(text);
    expect(text).toContain('# TYPE camera_load_frame_delay_seconds summary');
    expect(scraped.get('camera_load_frames_repeated_total')).toBe(7);
    expect(scraped.get('camera_load_frame_delay_seconds_count')).toBe(3);
    expect(scraped.get('camera_load_frame_delay_seconds_sum')).toBeCloseTo(0.25, 9);
    expect(scraped.get('camera_load_frame_delay_max_seconds')).toBeCloseTo(0.2, 9);
    expect(scraped.get('camera_load_camera_frames_repeated_total{camera="a"}')).toBe(7);
    expect(scraped.get('camera_load_camera_frozen_total{camera="a"}')).toBe(1);
    expect(scraped.get('camera_load_camera_frame_delay_seconds_count{camera="b"}')).toBe(3);
    expect(scraped.get('camera_load_camera_frame_delay_seconds_sum{camera="b"}')).toBeCloseTo(0.25, 9);
    expect(scraped.get('camera_load_camera_frame_delay_max_seconds{camera="b"}')).toBeCloseTo(0.2, 9);
    expect(scraped.has('camera_load_camera_frame_delay_max_seconds{camera="a"}')).toBe(false);
    // No quantile series: a summary of _sum and _count only.
    expect(text).not.toMatch(/camera_load_(camera_)?frame_delay_seconds\{[^}]*quantile/);
  });
});
