import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareReports } from '../../src/compare/compare-reports.js';
import type { CompareResult } from '../../src/compare/compare-types.js';
import { mergedBuckets } from '../../src/compare/figures.js';
import { comparePageData, MAX_CDF_POINTS, overlayCdf, overlayPercentiles, type ComparePageData } from '../../src/html/compare-charts.js';
import { renderComparePage } from '../../src/html/compare-page.js';
import type { Report } from '../../src/report/report-types.js';
import { FAKE_ASSETS } from './html/pages.js';

// The compare page (`compare --html`) as data and markup: its charts overlay both runs and stay small at 10,000
// streams, and nothing from outside (a file name, a stream URL) reaches it as markup.

const RUN = JSON.parse(readFileSync(new URL('../fixtures/compare/run.json', import.meta.url), 'utf8')) as Report;
const HOSTILE_FILE = '<img src=x onerror=alert(1)>.json';

function scaledFps(factor: number, report: Report = RUN): Report {
  const scaled = structuredClone(report);
  for (const s of scaled.streams) s.fps = s.fps === null ? null : s.fps * factor;
  return scaled;
}

/** `count` streams, copies of the fixture's first, with fps and times to first frame spread over a range. */
function manyStreams(count: number, fps: number): Report {
  const report = structuredClone(RUN);
  const template = report.streams[0]!;
  report.streams = Array.from({ length: count }, (_, i) => ({
    ...template,
    index: i,
    cameraId: String(i),
    fps: fps + (i % 97) / 97,
    timeToFirstFrameMs: 20 + (i % 251),
  }));
  return report;
}

const compare = (base: Report, next: Report, files = { base: 'runs/base.json', next: 'runs/new.json' }): CompareResult =>
  compareReports({ base, next, files, allowDifferentPlans: false, version: '0.0.0-test' });

const embedded = (page: string): ComparePageData =>
  JSON.parse(/<script type="application\/json" id="data">([^]*?)<\/script>/.exec(page)?.[1] ?? 'null') as ComparePageData;

describe('the compare page`s chart data', () => {
  it('a CDF per side on one grid: exact shares, the last 1, rising', () => {
    const cdf = overlayCdf([1, 2, 2, 4], [3, 5], 3);
    expect(cdf).toEqual({ x: [0.999, 1, 2, 3, 4, 5], base: [0, 0.25, 0.75, 0.75, 1, 1], new: [0, 0, 0, 0.5, 0.5, 1], streams: { base: 4, new: 2 } });
    expect(overlayCdf([], [], 3)).toBeNull();
    expect(overlayCdf([1], [], 3)?.new).toEqual([null, null]);
  });

  it('stays bounded at 10,000 streams a side: 500 points of each CDF at most, a few of each percentile curve', () => {
    const data = comparePageData(manyStreams(10_000, 5), manyStreams(10_000, 4));
    for (const cdf of [data.fps, data.timeToFirstFrameMs]) {
      expect(cdf?.streams).toEqual({ base: 10_000, new: 10_000 });
      expect(cdf!.x.length).toBeLessThanOrEqual(2 * MAX_CDF_POINTS + 1);
      expect([cdf!.base.length, cdf!.new.length]).toEqual([cdf!.x.length, cdf!.x.length]);
      expect([cdf!.base.at(-1), cdf!.new.at(-1)]).toEqual([1, 1]);
      for (const side of [cdf!.base, cdf!.new]) expect(side.every((share, i) => i === 0 || share! >= side[i - 1]!)).toBe(true);
    }
    expect(data.frameGapMs!.x.length).toBeLessThanOrEqual(20);
    expect(JSON.stringify(data).length).toBeLessThan(80_000);
  });

  it('overlays both runs: NEW`s fps CDF reaches 1 where BASE`s has not begun', () => {
    const data = comparePageData(RUN, scaledFps(0.5));
    const fps = data.fps!;
    const newDone = fps.new.indexOf(1);
    expect(newDone).toBeGreaterThan(-1);
    expect(fps.base[newDone]).toBe(0);
    expect(data.frameGapMs!.base).toEqual(data.frameGapMs!.new);
    expect(data.delayMs?.labels.at(-1)).toBe('100% (max)');
  });

  it('reads the percentiles of the merged histograms as the compare lines do, each side up to what its frames resolve', () => {
    const result = compare(RUN, RUN);
    const gaps = comparePageData(RUN, RUN).frameGapMs!;
    const at = (label: string): number | null | undefined => gaps.base[gaps.labels.indexOf(label)];
    const line = (figure: string): number | null | undefined => result.lines.find((l) => l.figure === figure)?.base;
    expect([at('50%'), at('99%')]).toEqual([line('frameGap.p50'), line('frameGap.p99')]);
    const few = { values: [10, 20], counts: [1, 1] };
    const many = { values: [10, 20, 30], counts: [500, 400, 100] };
    const curve = overlayPercentiles(few, many)!;
    expect(curve.labels.slice(0, 3)).toEqual(['0% (min)', '25%', '50%']);
    expect(curve.base[curve.labels.indexOf('99%')]).toBeNull();
    expect(curve.new[curve.labels.indexOf('99%')]).toBe(30);
    expect([curve.base.at(-1), curve.new.at(-1)]).toEqual([20, 30]);
    expect(overlayPercentiles(few, mergedBuckets([]))).toBeNull();
  });

  it('has no delay curve unless both runs had timestamped frames', () => {
    const untimed = structuredClone(RUN);
    for (const s of untimed.streams) s.freshness.delayHistogram = '';
    expect(comparePageData(RUN, untimed).delayMs).toBeNull();
    const page = renderComparePage(compare(RUN, untimed), RUN, untimed, FAKE_ASSETS);
    expect(page).toMatch(/data-chart="compare-delay" data-empty="true">.*No data: both runs need frames with a capture time/);
  });
});

describe('the compare page', () => {
  it('says the verdict first, in the colour of its word, with one table row per line', () => {
    const worse = compare(RUN, scaledFps(0.6));
    const tones = [
      [worse, 'bad', 'WORSE'],
      [compare(scaledFps(0.6), RUN), 'good', 'BETTER'],
      [compare(RUN, RUN), 'neutral', 'SAME'],
    ] as const;
    for (const [result, tone, word] of tones) {
      const page = renderComparePage(result, RUN, RUN, FAKE_ASSETS);
      expect(page).toMatch(
        new RegExp(`<section id="verdict" class="verdict verdict-${tone}" data-verdict="${result.verdict}">[^]*?<h2 class="verdict-title">${word}</h2>`),
      );
    }
    const page = renderComparePage(worse, RUN, scaledFps(0.6), FAKE_ASSETS);
    const rows =
      page
        .split('<div class="compare-scope"')
        .slice(1)
        .join('')
        .match(/<tbody>[^]*?<\/tbody>/g) ?? [];
    expect(rows.join('').match(/<tr /g)).toHaveLength(worse.lines.length);
    expect(page).toContain('class="row-bad"');
    expect(page).toContain('Mann–Whitney');
    expect(embedded(page).kind).toBe('compare');
  });

  it('shows file names only, escaped, and no stream URL', () => {
    const result = compare(RUN, scaledFps(0.6), { base: `/home/ci/secret-folder/${HOSTILE_FILE}`, next: 'new.json' });
    const page = renderComparePage(result, RUN, scaledFps(0.6), FAKE_ASSETS);
    expect(page).not.toContain('<img');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;.json');
    expect(page).not.toContain('secret-folder');
    for (const s of RUN.streams) expect(page).not.toContain(s.url);
    expect(page).not.toContain('127.0.0.1');
  });
});
