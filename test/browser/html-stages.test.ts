// Stages (issue 30) on the HTML report of a real run: the runner users run, with --stages, against the simulated fleet
// over real sockets; its report written, then drawn by `camera-load report --html` and opened from file:// in the
// system Chromium, as html-viewer-groups.test.ts does.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/report-types.js';
import { Runner } from '../../src/run/runner.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { stageSpans, stagesDurationMs, type Stage } from '../../src/stages.js';
import { launchChromium, openFile, waitForRendered, type FilePage } from '../helpers/browser.js';
import { activeCameras } from '../helpers/fleet.js';
import { AXIS_PROBE, expectChartsDrawn, expectClean, RUN_CHARTS, zoomTime } from '../helpers/report-page.js';
import { testPlan, testReport } from '../helpers/run-plan.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

const dir = tempDir('html-stages');
const path = (name: string): string => join(dir, name);

// Up to 4, held, down to 1, up to 3: a ramp each way and a hold, over 4 s.
const STAGES: Stage[] = [
  { durationMs: 1_000, target: 4 },
  { durationMs: 1_000, target: 4 },
  { durationMs: 1_000, target: 1 },
  { durationMs: 1_000, target: 3 },
];
const TIME_CHARTS = ['open-streams', 'fps', 'delay', 'bandwidth', 'errors', 'client'];

let sim: RunningSimulator | undefined;
let browser: Browser | undefined;
let context: BrowserContext | undefined;
let report: Report;
let opened: FilePage;
let page: Page;

beforeAll(async () => {
  [sim, browser] = await Promise.all([startSimulator({ cameras: 4, inactive: 0, fps: 5, frameBytes: 4_000 }), launchChromium()]);
  const durationMs = stagesDurationMs(STAGES);
  const plan = testPlan(activeCameras(sim), { durationMs, intervalMs: 250, stages: stageSpans(STAGES) });
  const outcome = await new Runner(plan).run(new AbortController().signal);
  report = testReport(outcome, durationMs);
  writeFileSync(path('stages.json'), JSON.stringify(report));
  const drawn = await runCli(['report', path('stages.json'), '--html', path('stages.html'), '--quiet'], { timeoutMs: 20_000 });
  expect({ code: drawn.code, stderr: drawn.stderr }).toEqual({ code: 0, stderr: '' });
  context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  opened = await openFile(context, path('stages.html'), { initScript: AXIS_PROBE });
  page = opened.page;
  await waitForRendered(page);
}, 60_000);

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await Promise.allSettled([browser?.close(), sim?.close()]);
});

interface StageInk {
  /** Pixels of the stage's number (report-page.js STAGE_INK) in the strip above its part of the plot. */
  label: number;
  /** Rows of the plot, across the stage's part, in the band's tint (report-page.js STAGE_BAND). */
  tinted: number;
  height: number;
}

/** What is drawn for each stage on one chart; null for a stage out of view. */
async function stageInk(chart: string): Promise<(StageInk | null)[]> {
  const spans = (report.stages ?? []).map((s) => [s.fromSeconds, s.toSeconds] as const);
  return page.evaluate(
    ({ name, stages }) => {
      interface Plot {
        bbox: { left: number; top: number; width: number; height: number };
        scales: { x: { min: number; max: number } };
        valToPos(value: number, scale: string, canvasPixels: boolean): number;
        ctx: { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
      }
      const u = (globalThis as unknown as { __charts: Record<string, Plot> }).__charts[name];
      if (u === undefined) throw new Error(`no chart ${name}`);
      const ratio = (globalThis as unknown as { uPlot: { pxRatio?: number } }).uPlot.pxRatio ?? 1;
      const near = (d: Uint8ClampedArray, i: number, [r, g, b]: readonly number[], within: number): boolean =>
        Math.abs((d[i] ?? 0) - (r ?? 0)) <= within && Math.abs((d[i + 1] ?? 0) - (g ?? 0)) <= within && Math.abs((d[i + 2] ?? 0) - (b ?? 0)) <= within;
      const height = Math.round(u.bbox.height);
      return stages.map(([from, to]) => {
        const { min, max } = u.scales.x;
        if (to <= min || from >= max) return null;
        const left = Math.round(u.valToPos(Math.max(from, min), 'x', true));
        const right = Math.round(u.valToPos(Math.min(to, max), 'x', true));
        const strip = Math.round(16 * ratio);
        const top = u.ctx.getImageData(left, Math.round(u.bbox.top) - strip, Math.max(1, right - left), strip).data;
        let label = 0;
        for (let i = 0; i < top.length; i += 4) if (near(top, i, [0x43, 0x38, 0xca], 24)) label++;
        // Five columns across the stage's part, a row counting once: a vertical grid line may fall on any one of them.
        const columns = [0.2, 0.35, 0.5, 0.65, 0.8].map(
          (at) => u.ctx.getImageData(Math.round(left + (right - left) * at), Math.round(u.bbox.top), 1, height).data,
        );
        let tinted = 0;
        for (let row = 0; row < height; row++) {
          // The canvas has no background of its own: the tint is its colour at its alpha (0.1 of 255) over nothing.
          if (columns.some((d) => near(d, row * 4, [99, 102, 241], 12) && Math.abs((d[row * 4 + 3] ?? 0) - 26) <= 3)) tinted++;
        }
        return { label, tinted, height };
      });
    },
    { name: chart, stages: spans },
  );
}

describe('the HTML report of a run with stages', () => {
  it('the run had its four stages, each with viewers', () => {
    expect(report.stages?.map((s) => [s.stage, s.fromSeconds, s.toSeconds, s.target.from, s.target.to])).toEqual([
      [1, 0, 1, 0, 4],
      [2, 1, 2, 4, 4],
      [3, 2, 3, 4, 1],
      [4, 3, 4, 1, 3],
    ]);
    expect(report.stages?.map((s) => [s.arrivals, s.departures])).toEqual([
      [4, 0],
      [0, 0],
      // Slot 1 closes as stage 3 ends and opens as stage 4 begins: that viewer never leaves.
      [0, 2],
      [1, 0],
    ]);
  });

  it('shows the Stages section after the key metrics: one row per stage, as the report has them', async () => {
    const section = page.locator('#stages');
    await expect.poll(() => section.isVisible()).toBe(true);
    const order = await page.locator('main > section').evaluateAll((sections) => sections.map((s) => (s as unknown as { id: string }).id));
    expect(order.indexOf('stages')).toBe(order.indexOf('key-metrics') + 1);
    const rows = await section.locator('tbody tr').allInnerTexts();
    expect(rows.map((row) => row.split(/\s/)[0])).toEqual(['1', '2', '3', '4']);
    for (const [i, s] of (report.stages ?? []).entries()) expect(rows[i]).toContain(`${s.arrivals} / ${s.departures}`);
    expect(await section.locator('tbody tr.row-bad').count()).toBe(0);
    expectClean(opened);
  });

  it('draws every chart, and on each time chart shades every other stage and numbers each one', async () => {
    const clean = report.summary.totalReconnections === 0 && Object.keys(report.summary.errors).length === 0;
    expect(await expectChartsDrawn(page, RUN_CHARTS, clean ? ['errors'] : [])).toEqual([]);
    for (const chart of TIME_CHARTS) {
      const ink = await stageInk(chart);
      expect({ chart, numbered: ink.map((s) => (s?.label ?? 0) > 5) }).toEqual({ chart, numbered: [true, true, true, true] });
    }
    // The errors chart of a clean run has nothing over its background but the grid: the tint shows as drawn.
    if (clean) {
      const ink = await stageInk('errors');
      expect(ink.map((s) => (s === null ? null : s.tinted > s.height * 0.6))).toEqual([false, true, false, true]);
    }
    expect(await page.locator('#over-time .hint').innerText()).toContain('Bands: the stages');
    expectClean(opened);
  });

  it('zoomed into the second stage, only its band is in view, shaded across the plot', async () => {
    await zoomTime(page, 1.2, 1.8);
    await expect.poll(async () => (await stageInk('errors')).map((s) => s !== null)).toEqual([false, true, false, false]);
    const [, second] = await stageInk('errors');
    expect((second?.label ?? 0) > 5).toBe(true);
    if (report.summary.totalReconnections === 0) expect((second?.tinted ?? 0) > (second?.height ?? 0) * 0.6).toBe(true);
    await page.locator('[data-chart="errors"] .u-over').dblclick();
    await expect.poll(async () => (await stageInk('errors')).every((s) => s !== null)).toBe(true);
    expectClean(opened);
  });
});
