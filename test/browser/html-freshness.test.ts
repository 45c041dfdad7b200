// Frame freshness on the HTML report of a real run: the CLI against a simulated fleet that queues (--lag) and
// re-sends pictures (--freeze), the page opened from file:// in the system Chromium as html-report.test.ts does.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/report-types.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { chartInk, isDrawn, launchChromium, openFile, waitForRendered, type FilePage } from '../helpers/browser.js';
import { AXIS_PROBE, axisLabels, axisProblems, column, expectChartsDrawn, expectClean, orderOf, RUN_CHARTS, TABLE_ROWS } from '../helpers/report-page.js';
import { runCli, type CliResult } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

const dir = tempDir('html-freshness');
const path = (name: string): string => join(dir, name);

let sim: RunningSimulator | undefined;
let browser: Browser | undefined;
let context: BrowserContext | undefined;
let run: CliResult;
let report: Report;
let opened: FilePage;
let page: Page;

beforeAll(async () => {
  [sim, browser] = await Promise.all([
    // Every camera's frames delayed 200 ms more each second; one camera's picture held for 12 frames (2.4 s) at a time.
    startSimulator({
      cameras: 3,
      inactive: 0,
      fps: 5,
      frameBytes: 4_000,
      seed: 11,
      faults: { lag: { value: { stepMsPerSecond: 200, maxMs: 2_000 }, share: 1 }, freeze: { value: { freshFrames: 5, repeatFrames: 12 }, share: 0.34 } },
    }),
    launchChromium(),
  ]);
  run = await runCli(
    [
      '--api-url',
      sim.apiUrl,
      '--max-streams',
      '3',
      '--duration',
      '4',
      '--interval',
      '500ms',
      '--freeze-timeout',
      '1s',
      '--html',
      path('report.html'),
      '--output',
      path('report.json'),
      '--log',
      path('report.log'),
      '--quiet',
    ],
    { timeoutMs: 30_000 },
  );
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
  report = JSON.parse(readFileSync(path('report.json'), 'utf8')) as Report;
  context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  opened = await openFile(context, path('report.html'));
  page = opened.page;
  await waitForRendered(page);
}, 60_000);

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await Promise.allSettled([browser?.close(), sim?.close()]);
});

describe('camera-load run --html: a fleet that lags and freezes', () => {
  it('the run measured what the page shows: growing delays, repeated pictures, a FROZEN event', () => {
    const f = report.summary.freshness;
    expect(f.timestampedStreams).toBe(3);
    // 200 ms more each second, for 4 s.
    expect(f.delayMs.max).toBeGreaterThan(300);
    expect(f.repeatedFrames).toBeGreaterThan(0);
    expect(f.frozenEvents).toBeGreaterThan(0);
  });

  it('draws every chart, the queueing delay in colour, fresh fps beside fps', async () => {
    const clean = report.summary.totalReconnections === 0 && Object.keys(report.summary.errors).length === 0;
    expect(await expectChartsDrawn(page, RUN_CHARTS, clean ? ['errors'] : [])).toEqual([]);
    const delay = (await chartInk(page)).find((canvas) => canvas.chart === 'delay');
    expect(delay !== undefined && isDrawn(delay)).toBe(true);
    expect(delay?.coloured).toBeGreaterThan(100);
    expect(await page.locator('[data-chart="fps"] .u-legend').innerText()).toContain('fresh, all streams');
    expectClean(opened);
  });

  it('the queueing-delay axis reads hundreds of ms in order, in one unit, as every other axis does', async () => {
    if (context === undefined) throw new Error('no browser context');
    const probed = await openFile(context, path('report.html'), { initScript: AXIS_PROBE });
    await waitForRendered(probed.page);
    const labels = await axisLabels(probed.page);
    expect(axisProblems(labels)).toEqual([]);
    expect(labels.delay?.[1]?.filter((label) => label !== null).length).toBeGreaterThan(2);
    expectClean(probed);
    await probed.page.close();
  });

  it('shows the freshness figures: the delay, the raw age with its caveat, repeats and FROZEN events', async () => {
    const f = report.summary.freshness;
    const metrics = await page.locator('#key-metrics').innerText();
    expect(metrics).toMatch(new RegExp(`Queueing delay p95\\s+${Math.round(f.delayMs.p95).toLocaleString('en-US')}\\s*ms`, 'i'));
    expect(metrics).toContain('needs no synced clocks');
    expect(metrics).toContain('valid only with synced clocks');
    expect(metrics).toMatch(new RegExp(`Repeated frames\\s+${f.repeatedFrames.toLocaleString('en-US')}\\s*frames`, 'i'));
    expect(metrics).toMatch(/FROZEN events\s+[1-9]\d*\s+on 1 stream/i);
  });

  it('the camera table: the frozen stream first, freshness columns that sort both ways', async () => {
    expect(await page.locator(TABLE_ROWS).count()).toBe(3);
    const frozen = report.streams.find((s) => s.freshness.frozen > 0)?.index;
    // Problems first (reconnections, stalls, errors, FROZEN events, a growing delay): on a loaded machine another
    // stream may have as many, so the frozen one ranks where its count puts it, not always first.
    const score = (s: (typeof report.streams)[number]): number =>
      s.reconnections + s.stalls + Object.values(s.errors).reduce((sum, n) => sum + n, 0) + s.freshness.frozen + (s.freshness.growingDelay ? 1 : 0);
    const order = (await column(page, 'index')).map((index) => report.streams.find((s) => String(s.index) === index));
    const at = order.findIndex((s) => s?.index === frozen);
    const frozenScore = score(report.streams.find((s) => s.index === frozen)!);
    expect(at).toBeGreaterThanOrEqual(0);
    expect(order.slice(0, at).every((s) => s !== undefined && score(s) >= frozenScore)).toBe(true);
    expect(order.slice(at + 1).every((s) => s !== undefined && score(s) <= frozenScore)).toBe(true);
    expect((await column(page, 'frozen'))[at]).not.toBe('0');
    expect((await column(page, 'delayP95')).every((cell) => /^[\d,]+ ms/.test(cell))).toBe(true);
    for (const key of ['frozen', 'delayP95', 'freshFps']) {
      const header = page.locator(`table#cameras th[data-sort="${key}"]`);
      await header.click();
      const first = orderOf(await column(page, key), true);
      await header.click();
      expect({ key, order: orderOf(await column(page, key), true) }).toEqual({ key, order: first === 0 ? 0 : -first });
    }
    expectClean(opened);
  });

  it('the filter finds the frozen streams by the word', async () => {
    await page.locator('input#camera-filter').fill('frozen');
    const frozen = report.streams.filter((s) => s.freshness.frozen > 0).map((s) => String(s.index));
    // The page waits for a pause in typing before it filters: poll, within a bound.
    await expect.poll(() => column(page, 'index'), { timeout: 3_000 }).toEqual(frozen);
    expectClean(opened);
  });
});
