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
  const signs = new Set(values.slice(1).map((value, i) => Math.sign(compare(value, values[i]!))).filter((sign) => sign !== 0));
  if (signs.size > 1) throw new Error(`not sorted: ${JSON.stringify(values)}`);
  return signs.has(1) ? 1 : signs.has(-1) ? -1 : 0;
}
