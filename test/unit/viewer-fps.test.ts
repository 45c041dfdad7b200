import { describe, expect, it } from 'vitest';
import { StageWindow, StreamStages, viewerFpsHistograms } from '../../src/metrics/stage-windows.js';
import { stageReports } from '../../src/report/stage-reports.js';
import { encodeHistogram } from '../../src/metrics/gap-histogram.js';
import { stageSpans } from '../../src/stages.js';

// Each viewer's fps over its visit (issue 30): viewers as samples, where a stage's fpsPerStream has the slots.
// Stage 1 is 0–2 s, stage 2 2–5 s.

const spans = stageSpans([
  { durationMs: 2_000, target: 2 },
  { durationMs: 3_000, target: 2 },
]);

/** Frames every `everyMs` from `fromMs` to `toMs` inclusive, the first with no gap. */
function frames(stages: StreamStages, fromMs: number, toMs: number, everyMs: number): void {
  for (let at = fromMs; at <= toMs; at += everyMs) stages.frame(at, at === fromMs ? NaN : everyMs, NaN);
}

const buckets = (histogram: { sortedBuckets: () => { buckets: number[]; counts: number[] } }): [number, number][] => {
  const { buckets: values, counts } = histogram.sortedBuckets();
  return values.map((v, i) => [v, counts[i] ?? 0]);
};

describe("each viewer's fps over its visit", () => {
  it('counts in the stage it arrived in: frames ÷ seconds from its first frame; 0 without a frame; none under 1 s; the open ones at the end', () => {
    const windows = spans.map((span) => new StageWindow(span));
    const slot = new StreamStages(windows, []);
    slot.arrived(0);
    frames(slot, 500, 2_500, 500); // 5 frames, 2 s from the first: 2.5 fps, in stage 1 although it left in stage 2
    slot.departed(2_500);
    slot.arrived(2_600); // 1.5 s without a frame: 0
    slot.departed(4_100);
    slot.arrived(4_200);
    frames(slot, 4_300, 4_700, 100); // left 0.5 s after its first frame: no fps
    slot.departed(4_800);
    const open = new StreamStages(windows, []);
    open.arrived(1_000);
    frames(open, 1_000, 5_000, 250); // 17 frames over 4 s, still open at the end: 4.25 fps
    expect(buckets(windows[0]?.viewerFps as StageWindow['viewerFps'])).toEqual([[2_500, 1]]);
    expect(buckets(windows[1]?.viewerFps as StageWindow['viewerFps'])).toEqual([[0, 1]]);
    const [first, second] = viewerFpsHistograms(windows, [slot, open, undefined], 5_000);
    // 4.25 fps in HdrHistogram's 3 digits: the bucket 4,248–4,251 milli-fps.
    expect(first && buckets(first)).toEqual([
      [2_500, 1],
      [4_248, 1],
    ]);
    expect(second && buckets(second)).toEqual([[0, 1]]);
    // Read twice, as every scrape does: the windows keep only the departed viewers.
    expect(viewerFpsHistograms(windows, [slot, open], 5_000).map((h) => h.totalCount)).toEqual([2, 1]);
  });

  it('the stage table reads its percentiles, and a shard split adds exactly', () => {
    const input = (encoded: string[]) => ({
      span: spans[0] as (typeof spans)[0],
      arrivals: 0,
      departures: 0,
      droppedArrivals: 0,
      reconnections: 0,
      errors: {},
      gapHistograms: [],
      delayHistograms: [],
      firstFrameHistograms: [],
      viewerFpsHistograms: encoded,
    });
    const shard = (milliFps: number[]): string => {
      const window = new StageWindow(spans[0] as (typeof spans)[0]);
      for (const v of milliFps) window.viewerFps.record(v);
      return encodeHistogram(window.viewerFps);
    };
    const [whole] = stageReports([input([shard([0, 2_500, 4_250, 5_000, 5_000])])], [], []);
    const [split] = stageReports([input([shard([0, 5_000]), shard([2_500, 4_250, 5_000])])], [], []);
    expect(whole?.viewerFps).toEqual({ viewers: 5, p5: 0, p50: 4.25 });
    expect(split?.viewerFps).toEqual(whole?.viewerFps);
    expect(split?.viewerFpsHistogram).toBe(whole?.viewerFpsHistogram);
    expect(stageReports([input([''])], [], [])[0]?.viewerFps).toBeNull();
  });
});
