// Viewer groups (issue 29) on the HTML report of a real run: the runner users run, with slow and stuck viewers,
// against the simulated fleet over real sockets; its report written, then drawn by `camera-load report --html` and
// opened from file:// in the system Chromium, as html-report.test.ts does.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/report-types.js';
import { Runner } from '../../src/run/runner.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import type { ViewerPlan } from '../../src/viewers.js';
import { launchChromium, openFile, waitForRendered, type FilePage } from '../helpers/browser.js';
import { activeCameras } from '../helpers/fleet.js';
import { AXIS_PROBE, column, expectChartsDrawn, expectClean, RUN_CHARTS, TABLE_ROWS, zoomTime } from '../helpers/report-page.js';
import { testGroupedPlan, testReport } from '../helpers/run-plan.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

const dir = tempDir('html-viewer-groups');
const path = (name: string): string => join(dir, name);

const LEAD_IN_MS = 1_500;
const VIEWERS: ViewerPlan = {
  behaviours: [
    { group: 'slow', share: 0.25, bytesPerSecond: 2_000 },
    { group: 'stuck', share: 0.25 },
  ],
  leadInMs: LEAD_IN_MS,
};
/** The page script's colour for the lead-in's line (report-page.js LEAD_IN). */
const LEAD_IN_RGB = [0xb4, 0x53, 0x09] as const;

let sim: RunningSimulator | undefined;
let browser: Browser | undefined;
let context: BrowserContext | undefined;
let report: Report;
let opened: FilePage;
let page: Page;

beforeAll(async () => {
  [sim, browser] = await Promise.all([startSimulator({ cameras: 4, inactive: 0, fps: 5, frameBytes: 4_000 }), launchChromium()]);
  const fleet = activeCameras(sim);
  const durationMs = 4_000;
  const outcome = await new Runner(testGroupedPlan(fleet, VIEWERS, { durationMs, intervalMs: 500 })).run(new AbortController().signal);
  report = testReport(outcome, durationMs, { viewers: VIEWERS });
  writeFileSync(path('groups.json'), JSON.stringify(report));
  const drawn = await runCli(['report', path('groups.json'), '--html', path('groups.html'), '--quiet'], { timeoutMs: 20_000 });
  expect({ code: drawn.code, stderr: drawn.stderr }).toEqual({ code: 0, stderr: '' });
  context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  opened = await openFile(context, path('groups.html'), { initScript: AXIS_PROBE });
  page = opened.page;
  await waitForRendered(page);
}, 60_000);

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await Promise.allSettled([browser?.close(), sim?.close()]);
});

/**
 * Rows of the plot with a pixel of the lead-in's colour: around the moment the groups began (null when it is out of
 * view), far right of it, and anywhere in the plot.
 */
async function leadInInk(chart: string): Promise<{ atLine: number | null; elsewhere: number; anywhere: number; height: number }> {
  return page.evaluate(
    ({ name, at, rgb }) => {
      interface Plot {
        bbox: { left: number; top: number; width: number; height: number };
        scales: { x: { min: number; max: number } };
        valToPos(value: number, scale: string, canvasPixels: boolean): number;
        ctx: { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
      }
      const u = (globalThis as unknown as { __charts: Record<string, Plot> }).__charts[name];
      if (u === undefined) throw new Error(`no chart ${name}`);
      const [r, g, b] = rgb;
      const near = (data: Uint8ClampedArray, i: number): boolean =>
        Math.abs((data[i] ?? 0) - (r ?? 0)) < 24 && Math.abs((data[i + 1] ?? 0) - (g ?? 0)) < 24 && Math.abs((data[i + 2] ?? 0) - (b ?? 0)) < 24;
      const count = (x: number, width = 5): number => {
        const { data } = u.ctx.getImageData(Math.round(x), Math.round(u.bbox.top), width, Math.round(u.bbox.height));
        let n = 0;
        for (let row = 0; row < Math.round(u.bbox.height); row++) {
          // A row counts once, whichever of its columns the line fell on.
          for (let col = 0; col < width; col++) {
            if (near(data, (row * width + col) * 4)) {
              n++;
              break;
            }
          }
        }
        return n;
      };
      const x = u.valToPos(at, 'x', true);
      const inView = at >= u.scales.x.min && at <= u.scales.x.max;
      // Far from the line, past its label: where only series and grid are drawn.
      const far = x + (u.bbox.left + u.bbox.width - x) * 0.75;
      return {
        atLine: inView ? count(x - 2) : null,
        elsewhere: inView ? count(far - 2) : 0,
        anywhere: count(u.bbox.left, Math.round(u.bbox.width)),
        height: Math.round(u.bbox.height),
      };
    },
    { name: chart, at: LEAD_IN_MS / 1000, rgb: [...LEAD_IN_RGB] },
  );
}

describe('the HTML report of a run with viewer groups', () => {
  it('the run had its groups: normal, slow and stuck, one stream each or more', () => {
    expect(report.viewerGroups?.map((g) => g.group)).toEqual(['normal', 'slow', 'stuck']);
    expect(report.viewerGroups?.[1]?.beganAtSeconds).toBe(LEAD_IN_MS / 1000);
  });

  it('shows the Viewer groups section after the key metrics: one row per group, as the report has them', async () => {
    const section = page.locator('#viewer-groups');
    await expect.poll(() => section.isVisible()).toBe(true);
    const order = await page.locator('main > section').evaluateAll((sections) => sections.map((s) => (s as unknown as { id: string }).id));
    expect(order.indexOf('viewer-groups')).toBe(order.indexOf('key-metrics') + 1);
    const rows = await section.locator('tbody tr').allInnerTexts();
    expect(rows.map((row) => row.split(/\s/)[0])).toEqual(['normal', 'slow', 'stuck']);
    expect(rows[1]).toContain(report.viewerGroups?.[1]?.behaviour);
    for (const [i, g] of (report.viewerGroups ?? []).entries()) {
      expect(rows[i]).toContain(`${g.summary.streamsOpened} / ${g.summary.streamsPlanned}`);
    }
    // The queueing delay when the group's frames carried capture times (the simulator sends them); otherwise the words.
    for (const [i, g] of (report.viewerGroups ?? []).entries()) {
      const f = g.summary.freshness;
      expect(rows[i]).toContain(f.timestampedStreams === 0 || f.delayMs.count === 0 ? 'no timestamps' : Math.round(f.delayMs.p95).toLocaleString('en-US'));
    }
    expectClean(opened);
  });

  it('draws every chart, and marks the lead-in`s end on each time chart', async () => {
    const clean = report.summary.totalReconnections === 0 && Object.keys(report.summary.errors).length === 0;
    expect(await expectChartsDrawn(page, RUN_CHARTS, clean ? ['errors'] : [])).toEqual([]);
    for (const chart of ['open-streams', 'fps', 'bandwidth', 'errors', 'client']) {
      const ink = await leadInInk(chart);
      // The line is dashed (6 on, 4 off): over half of the plot's height, less what series cross.
      expect({ chart, marked: (ink.atLine ?? 0) > ink.height * 0.3 }).toEqual({ chart, marked: true });
      expect({ chart, elsewhere: ink.elsewhere }).toEqual({ chart, elsewhere: 0 });
    }
    expect(await page.locator('#over-time .hint').innerText()).toContain('the viewer groups began');
    expectClean(opened);
  });

  it('zoomed to after the lead-in, the line is out of view and not drawn', async () => {
    const end = report.summary.durationSeconds;
    await zoomTime(page, LEAD_IN_MS / 1000 + 0.5, end);
    await expect.poll(async () => (await leadInInk('bandwidth')).atLine).toBeNull();
    expect((await leadInInk('bandwidth')).anywhere).toBe(0);
    await page.locator('[data-chart="bandwidth"] .u-over').dblclick();
    await expect.poll(async () => ((await leadInInk('bandwidth')).atLine ?? 0) > 0).toBe(true);
    expectClean(opened);
  });

  it('the camera table shows each stream`s group and filters by it', async () => {
    const groupOf = new Map(report.streams.map((s) => [String(s.index), s.viewers]));
    const indexes = await column(page, 'index');
    expect(await column(page, 'viewers')).toEqual(indexes.map((index) => groupOf.get(index)));
    const select = page.locator('select#camera-group');
    await expect.poll(() => select.isEnabled()).toBe(true);
    await select.selectOption('slow');
    const slow = report.streams.filter((s) => s.viewers === 'slow').map((s) => String(s.index));
    await expect.poll(() => column(page, 'index')).toEqual(slow);
    expect(await page.locator('#camera-count').innerText()).toContain('matching');
    await select.selectOption('');
    await expect.poll(() => page.locator(TABLE_ROWS).count()).toBe(report.streams.length);
    expectClean(opened);
  });
});
