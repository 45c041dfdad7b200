// Reconnect storms (issue 30) on the HTML report of a real run: `camera-load run --simulate --storm-at`, the CLI as
// users run it against its simulated fleet over real sockets on 127.0.0.1, its page opened from file:// in the system
// Chromium, as html-stages.test.ts does.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/report-types.js';
import { launchChromium, openFile, waitForRendered, type FilePage } from '../helpers/browser.js';
import { AXIS_PROBE, expectChartsDrawn, expectClean, RUN_CHARTS, zoomTime } from '../helpers/report-page.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

const dir = tempDir('html-storms');
const path = (name: string): string => join(dir, name);
const TIME_CHARTS = ['open-streams', 'fps', 'delay', 'bandwidth', 'errors', 'client'];

let browser: Browser | undefined;
let context: BrowserContext | undefined;
let report: Report;
let opened: FilePage;
let page: Page;

beforeAll(async () => {
  const args = ['run', '--simulate', '4', '--duration', '4', '--storm-at', '1.5s,3s:immediate', '--output', path('storms.json'), '--html', path('storms.html')];
  const [run, launched] = await Promise.all([runCli([...args, '--quiet'], { timeoutMs: 30_000 }), launchChromium()]);
  browser = launched;
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
  report = JSON.parse(readFileSync(path('storms.json'), 'utf8')) as Report;
  context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  opened = await openFile(context, path('storms.html'), { initScript: AXIS_PROBE });
  page = opened.page;
  await waitForRendered(page);
}, 60_000);

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close();
});

interface StormInk {
  /** Rows of the plot, at the storm's instant, in the line's colour (report-page.js STORM_INK). */
  line: number;
  /** Pixels of that colour to the right of the line, in the top 16 px of the plot: its label. */
  label: number;
  height: number;
}

/** What is drawn at each instant on one chart; null for one out of view. */
async function stormInk(chart: string, instants: readonly number[]): Promise<(StormInk | null)[]> {
  return page.evaluate(
    ({ name, at }) => {
      interface Plot {
        bbox: { left: number; top: number; width: number; height: number };
        scales: { x: { min: number; max: number } };
        valToPos(value: number, scale: string, canvasPixels: boolean): number;
        ctx: { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
      }
      const u = (globalThis as unknown as { __charts: Record<string, Plot> }).__charts[name];
      if (u === undefined) throw new Error(`no chart ${name}`);
      const ratio = (globalThis as unknown as { uPlot: { pxRatio?: number } }).uPlot.pxRatio ?? 1;
      const ink = (d: Uint8ClampedArray, i: number): boolean =>
        Math.abs((d[i] ?? 0) - 0xbe) <= 24 && Math.abs((d[i + 1] ?? 0) - 0x12) <= 24 && Math.abs((d[i + 2] ?? 0) - 0x3c) <= 24 && (d[i + 3] ?? 0) > 200;
      const height = Math.round(u.bbox.height);
      return at.map((seconds) => {
        if (seconds < u.scales.x.min || seconds > u.scales.x.max) return null;
        const x = Math.round(u.valToPos(seconds, 'x', true));
        // Three columns about the line: it is 2 px wide, rounded either way.
        const columns = [-1, 0, 1].map((dx) => u.ctx.getImageData(x + dx, Math.round(u.bbox.top), 1, height).data);
        let line = 0;
        for (let row = 0; row < height; row++) if (columns.some((d) => ink(d, row * 4))) line++;
        const strip = u.ctx.getImageData(x + Math.round(3 * ratio), Math.round(u.bbox.top), Math.round(40 * ratio), Math.round(16 * ratio)).data;
        let label = 0;
        for (let i = 0; i < strip.length; i += 4) if (ink(strip, i)) label++;
        return { line, label, height };
      });
    },
    { name: chart, at: instants },
  );
}

const struck = (): number[] => (report.storms ?? []).map((s) => s.struckAtSeconds ?? s.atSeconds);
/** A whole line at the instant, and a label beside it. */
const marked = (ink: StormInk | null): boolean => ink !== null && ink.line > ink.height * 0.9 && ink.label > 5;

describe('the HTML report of a run with reconnect storms', () => {
  it('the run had its two storms, every viewer dropped and back', () => {
    expect(report.storms?.map((s) => [s.storm, s.atSeconds, s.immediate, s.viewers, s.recovered])).toEqual([
      [1, 1.5, false, 4, 4],
      [2, 3, true, 4, 4],
    ]);
  });

  it('shows the Reconnect storms section after the key metrics: one row per storm, as the report has them', async () => {
    const section = page.locator('#storms');
    await expect.poll(() => section.isVisible()).toBe(true);
    const order = await page.locator('main > section').evaluateAll((sections) => sections.map((s) => (s as unknown as { id: string }).id));
    expect(order.indexOf('storms')).toBe(order.indexOf('key-metrics') + 1);
    const rows = await section.locator('tbody tr').allInnerTexts();
    expect(rows.map((row) => row.split(/\s/).slice(0, 3))).toEqual([
      ['1', '1.5', 'backoff'],
      ['2', '3', 'immediate'],
    ]);
    const ms = (n: number | null): string => (n === null ? 'never' : n.toLocaleString('en-US'));
    for (const [i, s] of (report.storms ?? []).entries()) expect(rows[i]).toContain(`${ms(s.recovery95Ms)} / ${ms(s.recoveryAllMs)}`);
    expect(await section.locator('tbody tr.row-bad').count()).toBe(0);
    expectClean(opened);
  });

  it('draws every chart, and on each time chart a labelled line at each storm, none between them', async () => {
    expect(await expectChartsDrawn(page, RUN_CHARTS, ['errors'])).toEqual([]);
    const [first = 0, second = 0] = struck();
    for (const chart of TIME_CHARTS) {
      const ink = await stormInk(chart, [first, second, (first + second) / 2]);
      expect({ chart, marked: ink.map(marked) }).toEqual({ chart, marked: [true, true, false] });
    }
    expect(await page.locator('#over-time .hint').innerText()).toContain('Solid red lines: the reconnect storms');
    expectClean(opened);
  });

  it('zoomed away from the first storm, only the second is marked; reset, both again', async () => {
    const [first = 0, second = 0] = struck();
    await zoomTime(page, first + 0.2, second + 0.5);
    await expect.poll(async () => (await stormInk('fps', [first, second])).map((ink) => (ink === null ? null : marked(ink)))).toEqual([null, true]);
    await page.locator('[data-chart="fps"] .u-over').dblclick();
    await expect.poll(async () => (await stormInk('fps', [first, second])).map(marked)).toEqual([true, true]);
    expectClean(opened);
  });
});
