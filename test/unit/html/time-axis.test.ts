import { beforeAll, describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../../src/html/render-html.js';
import { FAKE_ASSETS, mergedReport, pageData } from './pages.js';

const render = (report: Parameters<typeof renderHtmlReport>[0]): string => renderHtmlReport(report, FAKE_ASSETS);

describe('the time axis', () => {
  it('ends at the run`s duration, not a whole interval after it; each row carries its own length', () => {
    const report = mergedReport();
    const data = pageData(render(report));
    expect(data.timeEnd).toBe(report.summary.durationSeconds);
    expect(data.timeline.seconds).toHaveLength(data.timeline.t.length);
    expect(data.timeline.seconds.every((s) => s > 0)).toBe(true);
  });

  it('a short last row keeps its own length', () => {
    const report = mergedReport();
    const last = report.timeline.at(-1);
    if (last === undefined) throw new Error('fixture');
    // A partial bucket of 0.4 s at the end of the merge (a sliver, under a fifth of a row, would be folded).
    last.seconds = 0.4;
    report.summary = { ...report.summary, durationSeconds: (last.at - Date.parse(report.startedAt)) / 1000 + 0.4 };
    const data = pageData(render(report));
    expect(data.timeline.seconds.at(-1)).toBe(last.seconds);
    expect((data.timeline.t.at(-1) ?? 0) + (data.timeline.seconds.at(-1) ?? 0)).toBeCloseTo(report.summary.durationSeconds, 3);
    expect(data.timeEnd).toBe(report.summary.durationSeconds);
  });
});

describe('time ticks (assets/html/axis-format.js, tickDigits)', () => {
  // The page's axis helpers are a script of their own, which defines CameraLoadAxis as the browser runs it.
  let tickDigits: (incr: number) => number = () => Number.NaN;
  beforeAll(async () => {
    await import(new URL('../../../assets/html/axis-format.js', import.meta.url).href);
    tickDigits = (globalThis as unknown as { CameraLoadAxis: { tickDigits: typeof tickDigits } }).CameraLoadAxis.tickDigits;
  });

  it('as many decimals as the increment needs: 0.25 s apart, 2; 0.5, 1; whole seconds, none', () => {
    expect([0.01, 0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 5, 30, 600].map(tickDigits)).toEqual([2, 2, 1, 1, 2, 1, 0, 0, 0, 0, 0]);
    expect(tickDigits(0.001)).toBe(3);
    // Floating-point increments (0.1 * 3) still read as one decimal.
    expect(tickDigits(0.1 * 3)).toBe(1);
  });
});
