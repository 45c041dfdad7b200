import { describe, expect, it } from 'vitest';
import { openModelSpans, type OpenModel } from '../../src/arrivals.js';
import { countDropped, StageWindow } from '../../src/metrics/stage-windows.js';
import { loadShapeWarnings } from '../../src/report/load-shape-analysis.js';
import type { Report, StageReport } from '../../src/report/report-types.js';
import { loadShapeLines } from '../../src/render/load-shape-lines.js';
import { stagedReport } from '../helpers/staged-report.js';

// The open model's stages (issue 30): one per rate span, with the concurrency Little's law expects as its target, and
// the arrivals its cap dropped counted in the stage they fell in, up to the run's end.

const MODEL: OpenModel = {
  rates: [
    { durationMs: 10_000, perSecond: 2 },
    { durationMs: 20_000, perSecond: 10 },
    { durationMs: 5_000, perSecond: 0 },
  ],
  watch: { kind: 'uniform', minMs: 2_000, maxMs: 8_000 },
  popularity: { kind: 'uniform' },
};

describe('the open model on the stage table', () => {
  it('a stage per rate span, back to back, each with its rate and rate × mean watch time (capped) as its target', () => {
    expect(openModelSpans(MODEL, 40)).toEqual([
      { number: 1, fromMs: 0, toMs: 10_000, fromTarget: 0, toTarget: 10, arrivalsPerSecond: 2 },
      { number: 2, fromMs: 10_000, toMs: 30_000, fromTarget: 10, toTarget: 40, arrivalsPerSecond: 10 },
      { number: 3, fromMs: 30_000, toMs: 35_000, fromTarget: 40, toTarget: 0, arrivalsPerSecond: 0 },
    ]);
  });

  it('dropped arrivals go to the stage they fell in, and none planned after the run ended', () => {
    const windows = openModelSpans(MODEL, 40).map((span) => new StageWindow(span));
    countDropped(windows, [500, 9_999, 10_000, 12_000, 29_999, 31_000, 33_000], 32_000);
    expect(windows.map((w) => w.droppedArrivals)).toEqual([2, 3, 1]);
    // Counted again from nothing: a report built twice (a snapshot, then the outcome) does not count twice.
    countDropped(windows, [500], 32_000);
    expect(windows.map((w) => w.droppedArrivals)).toEqual([1, 0, 0]);
  });

  it("the analysis names dropped arrivals as camera-load's own cap, and does not hold an open-model stage to its expected target", () => {
    const stage = (over: Partial<StageReport>): StageReport =>
      ({ stage: 1, fromSeconds: 0, toSeconds: 10, target: { from: 0, to: 40 }, openStreams: { max: 3, mean: 2 }, droppedArrivals: 0, ...over }) as StageReport;
    const report = (stages: StageReport[]) => ({ stages, timeline: [], storms: [] }) as unknown as Omit<Report, 'analysis' | 'thresholds'>;
    expect(loadShapeWarnings(report([stage({ arrivalsPerSecond: 4 })]))).toEqual([]);
    const [warning] = loadShapeWarnings(report([stage({ arrivalsPerSecond: 4, droppedArrivals: 7 })]));
    expect(warning).toContain('7 arrivals dropped because --max-streams viewers were open already');
    expect(warning).toContain("camera-load's own cap, not the server's");
    // Under --stages the same stage falls short of its target.
    expect(loadShapeWarnings(report([stage({})]))).toHaveLength(1);
  });
});

describe("the open model's summary", () => {
  it('counts the viewers per camera from its slots (a slot keeps its camera), the hottest first', () => {
    const report = stagedReport();
    for (const stage of report.stages ?? []) stage.arrivalsPerSecond = 2;
    // Slots 0 and 3 on one camera, the rest one viewer each on their own.
    report.streams = report.streams.map((s, i) => ({ ...s, cameraId: i % 3 === 0 ? 'hot' : `cam-${i}`, arrivals: i % 3 === 0 ? 5 : 1 }));
    const lines = loadShapeLines(report);
    const hot = report.streams.filter((s) => s.cameraId === 'hot').length * 5;
    const total = hot + report.streams.filter((s) => s.cameraId !== 'hot').length;
    expect(lines).toContain(
      `  viewers per camera: ${total} over ${report.streams.filter((s) => s.cameraId !== 'hot').length + 1} cameras; ` +
        `most watched: camera hot ×${hot} (${Math.round((hot / total) * 100)}%), camera cam-1 ×1 (${Math.round(100 / total)}%), camera cam-2 ×1 (${Math.round(100 / total)}%); the median camera ×1`,
    );
    expect(lines.some((line) => line.includes('dropped'))).toBe(true);
    expect(loadShapeLines(stagedReport()).some((line) => line.includes('viewers per camera'))).toBe(false);
  });
});
