import { describe, expect, it } from 'vitest';
import { StreamStats } from '../../src/metrics/stream-stats.js';
import { progressLine } from '../../src/terminal/progress.js';
import { buildReport } from '../../src/report/build-report.js';
import { summarize } from '../../src/report/summarize.js';
import { renderSummary } from '../../src/render/summary.js';
import type { RunOutcome } from '../../src/metrics/run-outcome.js';
import { assessClient, type SystemSample } from '../../src/metrics/client-health.js';

const sample = (t: number, processCpuPercent: number, eventLoopDelayP99Ms = 5): SystemSample => ({
  t,
  cpuPercent: 50,
  processCpuPercent,
  memoryUsedBytes: 1e9,
  memoryTotalBytes: 4e9,
  processRssBytes: 1e8,
  networkRxBytesPerSecond: 1e6,
  networkTxBytesPerSecond: 1e4,
  eventLoopDelayP99Ms,
  eventLoopDelayMaxMs: eventLoopDelayP99Ms,
});

describe('client saturation', () => {
  it.each([
    ['no samples', [], true],
    ['a cool client', [sample(2, 20), sample(4, 30), sample(6, 25)], true],
    ['one hot sample is not sustained', [sample(2, 99), sample(4, 30), sample(6, 25), sample(8, 20)], true],
    ['CPU pinned for half the run', [sample(2, 99), sample(4, 97), sample(6, 25), sample(8, 20)], false],
    ['event loop lagging for half the run', [sample(2, 40, 250), sample(4, 40, 300), sample(6, 25), sample(8, 20)], false],
  ] as const)('%s', (_, samples, valid) => {
    const health = assessClient(samples);
    expect(health.valid).toBe(valid);
    if (!valid) expect(health.reason).toMatch(/camera-load itself was saturated/);
  });
});

function outcome(streams: StreamStats[], system: SystemSample[] = [], interrupted = false): RunOutcome {
  return { startedAt: new Date(0), endedAt: new Date(10_000), elapsedMs: 10_000, interrupted, streams, timeline: [], system };
}

function stream(index: number, frames: number, reconnections: number): StreamStats {
  const s = new StreamStats(index, String(500 + index), `Camera ${500 + index}`, `http://cam/${index}?token=abc`);
  for (let attempt = 0; attempt <= reconnections; attempt++) s.attemptStarted(0);
  s.requestSent(0);
  for (let i = 0; i < frames; i++) s.frame(1000, 100 + i * 200);
  for (let i = 0; i < reconnections; i++) s.error('ECONNRESET', 'connection reset by the server', 1000 + i);
  return s;
}

describe('report and summary', () => {
  it('computes the contract figures from the streams', () => {
    const report = buildReport({
      version: '1.0.0',
      config: {},
      cameras: { listed: 20, active: 15, skipped: 1 },
      streamsRequested: 20,
      streamsPerCamera: 1,
      targetDurationMs: 10_000,
      outcome: outcome([stream(0, 50, 0), stream(1, 40, 2), stream(2, 0, 3)]),
    });
    const s = report.summary;
    expect(s.streamsOpened).toBe(2);
    expect(s.totalFrames).toBe(90);
    expect(s.totalReconnections).toBe(5);
    expect(s.streamsWithReconnections).toBe(2);
    // The frames after the first, per second from the first frame (100 ms) to the end: 49 / 9.9 and 39 / 9.9.
    expect(s.avgFpsPerStream).toBe(4.444);
    expect(s.aggregateFps).toBe(9);
    expect(s.frameGapMs.p50).toBe(200);
    expect(s.errors).toEqual({ ECONNRESET: 5 });
    expect(report.streams[0]?.url).toBe('http://cam/0?token=[REDACTED]');
    expect(report.analysis.warnings.join(' ')).toMatch(/1 stream never delivered a frame: the server or a proxy reset the connection \(ECONNRESET\)/);
    expect(report.analysis.warnings.join(' ')).toMatch(/20 streams requested but only 3 active cameras/);
  });

  it("the summary reads the frame gaps from the streams' own histograms as a merge reads them from the file", () => {
    const streams = [stream(0, 50, 0), stream(1, 40, 2), stream(2, 0, 3), stream(3, 1, 0)];
    for (let i = 0; i < 30; i++) streams[1]?.frame(1000, 9_000 + i * 3_001);
    const input = {
      version: '1.0.0',
      config: {},
      cameras: { listed: 20, active: 15, skipped: 1 },
      streamsRequested: 20,
      streamsPerCamera: 1,
      targetDurationMs: 10_000,
      outcome: outcome(streams),
    };
    const report = buildReport(input);
    const fromFile = summarize({ ...input, durationMs: 10_000, streams: report.streams, health: { valid: report.summary.valid } });
    expect(report.summary.frameGapMs).toEqual(fromFile.frameGapMs);
    expect(report.summary.frameGapMs.count).toBe(49 + 39 + 30);
  });

  it('summary: key metrics first, cameras with reconnections most first and capped', () => {
    const streams = Array.from({ length: 14 }, (_, i) => stream(i, 10, i));
    const report = buildReport({
      version: '1.0.0',
      config: {},
      cameras: { listed: 14, active: 14, skipped: 0 },
      streamsRequested: 14,
      streamsPerCamera: 1,
      targetDurationMs: 10_000,
      outcome: outcome(streams),
    });
    const text = renderSummary(report);
    const lines = text.split('\n');
    expect(lines.indexOf('KEY METRICS')).toBe(2);
    expect(lines[3]).toMatch(/Streams opened: +14 of 14 streams/);
    expect(lines[4]).toMatch(/Reconnections: +91 \(on 13 streams\)/);
    expect(text).toMatch(/CAMERAS WITH RECONNECTIONS\n {2}Camera 513: 13 reconnections \(last: ECONNRESET\)\n {2}Camera 512: 12 reconnections/);
    expect(text).toContain('… and 3 more cameras (see the report)');
    expect(text).not.toContain('Camera 501:');
  });

  it('camera ids given to more than one stream URL are named: their streams would share one metrics series', () => {
    const twin = (index: number, url: string): StreamStats => {
      const s = new StreamStats(index, '7', 'Camera 7', url);
      s.attemptStarted(0);
      s.requestSent(0);
      return s;
    };
    const input = {
      version: '1',
      config: {},
      cameras: { listed: 3, active: 3, skipped: 0 },
      streamsRequested: 3,
      streamsPerCamera: 1,
      targetDurationMs: 10_000,
    };
    const shared = buildReport({ ...input, outcome: outcome([twin(0, 'http://a/1'), twin(1, 'http://b/1'), stream(2, 5, 0)]) });
    expect(shared.analysis.warnings.join(' ')).toMatch(/1 camera id stands for more than one stream URL \(7\)/);
    // Several streams of one camera (--streams-per-camera) share its URL: nothing to say.
    const same = buildReport({ ...input, outcome: outcome([twin(0, 'http://a/1'), twin(1, 'http://a/1')]) });
    expect(same.analysis.warnings.join(' ')).not.toMatch(/more than one stream URL/);
  });

  it('a saturated client makes the run invalid, in plain words', () => {
    const report = buildReport({
      version: '1.0.0',
      config: {},
      cameras: { listed: 1, active: 1, skipped: 0 },
      streamsRequested: 1,
      streamsPerCamera: 1,
      targetDurationMs: 10_000,
      outcome: outcome([stream(0, 50, 0)], [sample(2, 99), sample(4, 99), sample(6, 99)]),
    });
    expect(report.summary.valid).toBe(false);
    expect(report.analysis.assessment).toMatch(/^Not valid \(client saturated\)/);
    expect(renderSummary(report)).toMatch(/Results are not valid: camera-load itself was saturated/);
  });

  it('plain progress line for logs and CI', () => {
    const line = progressLine(
      {
        at: 65_000,
        frames: 1234,
        bytes: 5e6,
        reconnections: 2,
        errors: 3,
        errorsByCode: { STALL: 3 },
        openStreams: 10,
        freshFrames: 1234,
        timestampedFrames: 0,
        delaySumMs: 0,
      },
      { fps: 50, bytesPerSecond: 1.5e6 },
      12,
      300_000,
      42,
    );
    expect(line).toBe('[1:05 / 5:00] open 10/12, 50.0 fps (5.00 per stream), 1.50 MB/s, frames 1234, reconnections 2, errors 3, client CPU 42%');
  });
});
