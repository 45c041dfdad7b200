// Checks of the HTML report as a browser shows it, shared by the browser tests (test/browser).
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { chartInk, isDrawn, type FilePage } from './browser.js';

/** Nothing went wrong in the page: no error in the console or thrown, no dialog, no request leaving the file. */
export function expectClean(opened: FilePage): void {
  expect({ pageErrors: opened.pageErrors, consoleErrors: opened.consoleErrors, externalRequests: opened.externalRequests, dialogs: opened.dialogs }).toEqual({
    pageErrors: [],
    consoleErrors: [],
    externalRequests: [],
    dialogs: [],
  });
}

/**
 * Every chart with something to draw has a canvas with ink on it, and colour (its series, not only grey axes) unless
 * listed in `flat` (all its values zero, or a single point: nothing but axes to see). Returns the slots marked empty.
 */
export async function expectChartsDrawn(page: Page, expected: readonly string[], flat: readonly string[] = []): Promise<string[]> {
  const ink = await chartInk(page);
  expect(ink.map((canvas) => canvas.chart).sort()).toEqual([...expected].sort());
  const undrawn = ink.filter((canvas) => !canvas.empty && !isDrawn(canvas));
  expect(undrawn, JSON.stringify(undrawn)).toEqual([]);
  const grey = ink.filter((canvas) => !canvas.empty && canvas.coloured === 0 && !flat.includes(canvas.chart));
  expect(grey, JSON.stringify(grey)).toEqual([]);
  return ink.filter((canvas) => canvas.empty).map((canvas) => canvas.chart);
}

export const RUN_CHARTS = ['open-streams', 'fps', 'delay', 'bandwidth', 'errors', 'client', 'fps-histogram', 'ttff-histogram', 'gap-percentiles'];

export const TABLE_ROWS = 'table#cameras tbody tr:visible';

/** The visible rows' cells of the column sorted by `key`, as text. */
export async function column(page: Page, key: string): Promise<string[]> {
  const index = await page.locator(`table#cameras th[data-sort="${key}"]`).evaluate((th) => (th as { cellIndex: number }).cellIndex);
  return page.locator(`${TABLE_ROWS} > td:nth-child(${index + 1})`).allTextContents();
}

/**
 * -1 when the values are in descending order, 1 when ascending, 0 when all equal; throws when unordered. "—" (not
 * measured) comes last whichever way, as the page sorts it.
 */
export function orderOf(all: readonly string[], numeric: boolean): -1 | 0 | 1 {
  const measured = all.findIndex((value) => value === '—');
  const values = measured === -1 ? all : all.slice(0, measured);
  if (values.length < all.length && all.slice(values.length).some((value) => value !== '—')) throw new Error(`"—" not last: ${JSON.stringify(all)}`);
  const compare = (a: string, b: string): number =>
    numeric ? Number.parseFloat(a.replace(/[^0-9.-]/g, '')) - Number.parseFloat(b.replace(/[^0-9.-]/g, '')) : a.localeCompare(b, 'en');
  const signs = new Set(
    values
      .slice(1)
      .map((value, i) => Math.sign(compare(value, values[i]!)))
      .filter((sign) => sign !== 0),
  );
  if (signs.size > 1) throw new Error(`not sorted: ${JSON.stringify(values)}`);
  return signs.has(1) ? 1 : signs.has(-1) ? -1 : 0;
}

/**
 * Runs before the page's scripts: wraps the uPlot constructor (through a Proxy, uPlot itself untouched) so that each
 * axis's `values` — the labels uPlot draws, null for one it leaves out — are recorded per chart, and the charts can
 * be zoomed through uPlot's own setScale. Canvas text cannot be read back; this is what was handed to it.
 */
export const AXIS_PROBE = `(() => {
  let real;
  window.__axisLabels = {};
  window.__charts = {};
  Object.defineProperty(window, 'uPlot', {
    configurable: true,
    get() { return real; },
    set(value) {
      real = new Proxy(value, {
        construct(target, args) {
          const [opts, , element] = args;
          const card = element.closest('[data-chart]');
          const name = card ? card.dataset.chart : 'unknown';
          const labels = (window.__axisLabels[name] = []);
          (opts.axes || []).forEach((axis, i) => {
            const values = axis.values;
            labels[i] = null;
            if (typeof values === 'function') {
              axis.values = function (...rest) {
                const out = values.apply(this, rest);
                labels[i] = out.map((label) => (label === null || label === undefined ? null : String(label)));
                return out;
              };
            }
          });
          const chart = Reflect.construct(target, args);
          window.__charts[name] = chart;
          return chart;
        },
      });
    },
  });
})();`;

/** The labels each chart's axes were last drawn with, by chart name then axis (0: x); null: uPlot's own format. */
export async function axisLabels(page: Page): Promise<Record<string, ((string | null)[] | null)[]>> {
  return page.evaluate(() => (globalThis as unknown as { __axisLabels: Record<string, ((string | null)[] | null)[]> }).__axisLabels);
}

/** Zooms every time chart to [min, max] seconds, as a drag over one of them does (they are synchronised). */
export async function zoomTime(page: Page, min: number, max: number): Promise<void> {
  await page.evaluate(
    ([lo, hi]) => {
      const charts = (globalThis as unknown as { __charts: Record<string, { setScale(key: string, range: { min: number; max: number }): void }> }).__charts;
      charts['open-streams']?.setScale('x', { min: lo as number, max: hi as number });
    },
    [min, max],
  );
}

/** A tick label's number and unit: "1,500 ms" → 1500, "ms"; "12:05.5" (m:ss) → 725.5, "m:ss"; "99.9%" → 99.9, "%". */
export function readTick(label: string): { value: number; unit: string } {
  const clock = /^(\d+):(\d{2}(?:\.\d+)?)$/.exec(label);
  if (clock) return { value: Number(clock[1]) * 60 + Number(clock[2]), unit: 'm:ss' };
  const number = /^-?[\d,]*\.?\d+/.exec(label)?.[0] ?? '';
  return { value: number === '' ? Number.NaN : Number(number.replace(/,/g, '')), unit: label.slice(number.length).trim() };
}

/**
 * What is wrong with the axes' labels, one line each: an axis must read as numbers (or m:ss), in one unit, each label
 * once and each greater than the one before ("0 ms, 0 ms, 1 ms" or "0%, 90%, 0%" are what this catches).
 */
export function axisProblems(labels: Record<string, ((string | null)[] | null)[]>): string[] {
  const problems: string[] = [];
  for (const [chart, axes] of Object.entries(labels)) {
    axes.forEach((axis, i) => {
      const where = `${chart} axis ${i}: ${JSON.stringify(axis)}`;
      if (axis === null) return void problems.push(`${where}: no labels recorded`);
      const shown = axis.filter((label): label is string => label !== null && label !== '');
      if (shown.length === 0) return void problems.push(`${where}: no label shown`);
      const ticks = shown.map(readTick);
      if (ticks.some((tick) => Number.isNaN(tick.value))) problems.push(`${where}: a label that is not a number`);
      if (new Set(ticks.map((tick) => tick.unit)).size > 1) problems.push(`${where}: more than one unit`);
      if (new Set(shown).size < shown.length) problems.push(`${where}: a label repeated`);
      if (ticks.some((tick, k) => k > 0 && !(tick.value > (ticks[k - 1]?.value ?? Number.NaN)))) problems.push(`${where}: not increasing`);
    });
  }
  return problems;
}

/** The percentile axis names only the percentiles a reader looks for, with all their digits. */
export const PERCENTILE_TICKS = ['50%', '90%', '99%', '99.9%', '99.99%', '99.999%', '99.9999%'];
