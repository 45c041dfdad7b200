// `camera-load compare --html` as a user sees it: two real runs of the simulator (5 fps, then 3 fps), compared by the
// CLI, the page opened from file:// in the system Chromium with every request that would leave the file blocked.
// UPDATE_SCREENSHOT=1 also writes docs/images/compare-html.png.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompareResult } from '../../src/compare/compare-types.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { launchChromium, openFile, waitForRendered, type FilePage } from '../helpers/browser.js';
import { expectChartsDrawn, expectClean } from '../helpers/report-page.js';
import { runCli, type CliResult } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

const dir = tempDir('compare-html');
const DOCS_SCREENSHOT = fileURLToPath(new URL('../../docs/images/compare-html.png', import.meta.url));
const CHARTS = ['compare-fps', 'compare-ttff', 'compare-gaps', 'compare-delay'];
/** The page script's colours for BASE and NEW (assets/html/compare-page.js), as RGB. */
const COLOURS = { base: [0xea, 0x58, 0x0c], new: [0x25, 0x63, 0xeb] } as const;
const path = (name: string): string => join(dir, name);

let fast: RunningSimulator | undefined;
let slow: RunningSimulator | undefined;
let browser: Browser | undefined;
let compared: CliResult | undefined;
const contexts: BrowserContext[] = [];

const run = (sim: RunningSimulator, name: string): Promise<CliResult> =>
  runCli(['run', '--api-url', sim.apiUrl, '--max-streams', '6', '--duration', '4s', '--quiet', '--output', path(name), '--log', path(`${name}.log`)], {
    timeoutMs: 30_000,
  });

beforeAll(async () => {
  [fast, slow, browser] = await Promise.all([
    startSimulator({ cameras: 6, inactive: 0, fps: 5, frameBytes: 4_000 }),
    startSimulator({ cameras: 6, inactive: 0, fps: 3, frameBytes: 4_000 }),
    launchChromium(),
  ]);
  // Both at once: the runs hold their streams for the same 4 s, each against its own fleet.
  const runs = await Promise.all([run(fast, 'base.json'), run(slow, 'new.json')]);
  for (const result of runs) expect(result.code, result.stderr).toBe(0);
  compared = await runCli(['compare', path('base.json'), path('new.json'), '--html', '--output', path('result.json')], { timeoutMs: 20_000 });
}, 60_000);

afterAll(async () => {
  await Promise.all(contexts.map((context) => context.close()));
  await browser?.close();
  await fast?.close();
  await slow?.close();
});

async function open(file: string): Promise<FilePage> {
  if (browser === undefined) throw new Error('no browser');
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  contexts.push(context);
  const opened = await openFile(context, file);
  await waitForRendered(opened.page);
  return opened;
}

/** Pixels of each side's colour on one chart's canvas: a series drawn leaves some, one hidden or never drawn none. */
async function sideInk(page: Page, chart: string): Promise<{ base: number; new: number }> {
  return page.evaluate(
    ([name, colours]) => {
      interface Canvas {
        width: number;
        height: number;
        getContext(id: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
      }
      const { document } = globalThis as unknown as { document: { querySelector(selector: string): Canvas | null } };
      const canvas = document.querySelector(`[data-chart="${name}"] canvas`);
      if (canvas === null) return { base: 0, new: 0 };
      const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      const near = (i: number, [r, g, b]: readonly number[]): boolean =>
        Math.abs(data[i]! - r!) < 40 && Math.abs(data[i + 1]! - g!) < 40 && Math.abs(data[i + 2]! - b!) < 40 && data[i + 3]! > 128;
      const counts = { base: 0, new: 0 };
      for (let i = 0; i < data.length; i += 4) {
        if (near(i, colours.base)) counts.base++;
        else if (near(i, colours.new)) counts.new++;
      }
      return counts;
    },
    [chart, COLOURS] as const,
  );
}

describe('compare --html in Chromium', () => {
  it('the CLI writes the page beside NEW, named for it, and lists it', () => {
    expect(compared?.code, compared?.stderr).toBe(1);
    expect(compared?.stdout).toContain(`HTML:   ${path('new.compare.html')}\n`);
    expect(existsSync(path('new.compare.html'))).toBe(true);
  });

  it('says WORSE in a red banner, with a table row per line, drawn without an error or a request off the page', async () => {
    const opened = await open(path('new.compare.html'));
    const { page } = opened;
    const result = JSON.parse(readFileSync(path('result.json'), 'utf8')) as CompareResult;
    expect(await page.locator('#verdict').getAttribute('class')).toBe('verdict verdict-bad');
    expect(await page.locator('#verdict .verdict-title').textContent()).toBe('WORSE');
    expect(await page.locator('#verdict').textContent()).toContain('fps per stream, median');
    expect(await page.locator('.compare-scope tbody tr').count()).toBe(result.lines.length);
    expect(await page.locator('.compare-scope tbody tr.row-bad').count()).toBe(result.worse.length);
    expect(await expectChartsDrawn(page, CHARTS)).toEqual([]);
    expectClean(opened);
    // The charts only: the tables are the terminal's, the overlay is what the page adds.
    if (process.env.UPDATE_SCREENSHOT === '1') await page.locator('#distributions').screenshot({ path: DOCS_SCREENSHOT, animations: 'disabled' });
  });

  it('overlays both runs on each chart: BASE and NEW in the legend and on the canvas', async () => {
    const opened = await open(path('new.compare.html'));
    for (const chart of CHARTS) {
      const legend = await opened.page.locator(`[data-chart="${chart}"] .u-legend .u-series .u-label`).allTextContents();
      expect(legend.slice(1), chart).toEqual(['BASE', 'NEW']);
    }
    // 3 fps against 5: the two CDFs lie apart, so neither hides the other.
    const fps = await sideInk(opened.page, 'compare-fps');
    expect(fps.base, JSON.stringify(fps)).toBeGreaterThan(50);
    expect(fps.new, JSON.stringify(fps)).toBeGreaterThan(50);
    expectClean(opened);
  });

  it('refuses a page it could not write before reading either report (exit 2)', async () => {
    const result = await runCli(['compare', path('missing-base.json'), path('missing-new.json'), '--html', path('base.json/page.html')], { timeoutMs: 20_000 });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/--html/);
    expect(result.stderr).not.toMatch(/missing-base/);
  });
});
