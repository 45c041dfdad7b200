import { describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../../src/html/render-html.js';
import { foldSlivers } from '../../../src/html/time-series.js';
import type { Percentiles } from '../../../src/metrics/gap-histogram.js';
import type { FreshnessSummary, Report, StreamFreshness } from '../../../src/report/report-types.js';
import { FAKE_ASSETS, olderRunReport, pageData, runReport, sectionHtml, visibleText } from './pages.js';

// Frame freshness on the page, from hand-made figures on a real report (the fixtures predate freshness): the key
// figures, the details, the two charts' data, and the camera table's columns and problems-first order.

const render = (report: Report): string => renderHtmlReport(report, FAKE_ASSETS);
const percentiles = (p50: number, p95: number, p99: number, max: number, count: number): Percentiles => ({ count, p50, p95, p99, max });
const NONE = percentiles(0, 0, 0, 0, 0);

function streamFreshness(over: Partial<StreamFreshness> = {}): StreamFreshness {
  return {
    timestamp: { header: 'X-Timestamp', unit: 's' },
    timestampedFrames: 30,
    invalidTimestamps: 0,
    delayMs: percentiles(4, 12, 15, 18, 30),
    delayHistogram: '',
    delayTrendMsPerSecond: 0.1,
    lastDelayMs: 5,
    growingDelay: false,
    ageRangeMs: { min: 2, max: 20 },
    ageMs: percentiles(6, 14, 17, 20, 30),
    agesOutOfRange: 0,
    repeatedFrames: 0,
    freshFps: 4.9,
    frozen: 0,
    longestFreezeMs: 0,
    ...over,
  };
}

function summaryFreshness(over: Partial<FreshnessSummary> = {}): FreshnessSummary {
  return {
    timestampedStreams: 11,
    timestampedFrames: 330,
    invalidTimestamps: 3,
    delayMs: percentiles(12, 85, 300, 340, 330),
    ageMs: percentiles(15, 90, 310, 350, 330),
    agesOutOfRange: 0,
    streamsWithGrowingDelay: 1,
    repeatedFrames: 40,
    streamsWithRepeats: 1,
    avgFreshFpsPerStream: 4.45,
    freshFpsPerStream: { min: 1.2, p5: 1.2, p50: 4.9, max: 5 },
    frozenEvents: 3,
    streamsFrozen: 1,
    ...over,
  };
}

/** Stream 3 froze three times; stream 7's delay kept growing; stream 10 carried no capture time. */
function freshReport(summary: Partial<FreshnessSummary> = {}): Report {
  const report = runReport();
  report.streams = report.streams.map((s) => ({
    ...s,
    freshness:
      s.index === 3
        ? streamFreshness({ frozen: 3, repeatedFrames: 40, freshFps: 1.2, longestFreezeMs: 2_600 })
        : s.index === 7
          ? streamFreshness({ growingDelay: true, delayMs: percentiles(150, 320, 335, 340, 30), delayTrendMsPerSecond: 60 })
          : s.index === 10
            ? streamFreshness({
                timestamp: null,
                timestampedFrames: 0,
                delayMs: NONE,
                ageMs: NONE,
                ageRangeMs: null,
                lastDelayMs: null,
                delayTrendMsPerSecond: null,
              })
            : streamFreshness(),
  }));
  report.summary = { ...report.summary, freshness: summaryFreshness(summary) };
  // Row 2 had no timestamped frame: a gap in the delay line, not a 0.
  report.timeline = report.timeline.map((row, i) => ({
    ...row,
    freshFps: row.fps - 2,
    timestampedFrames: i === 2 ? 0 : 50,
    delayMsMean: i === 2 ? null : 10 * (i + 1),
  }));
  return report;
}

const keyMetrics = (page: string): string => visibleText(sectionHtml(page, 'key-metrics'));

describe('freshness in the key figures and the details', () => {
  const report = freshReport();
  const page = render(report);

  it('the queueing delay with its meaning, the raw age with its caveat, fresh fps beside fps, repeats, FROZEN events', () => {
    const text = keyMetrics(page);
    expect(text).toContain("Queueing delay p95 85 ms p50 12, max 340 ms; age less each stream's smallest age; needs no synced clocks; growing on 1 stream");
    expect(text).toContain('Raw age p50 / p95 15 / 90 ms valid only with synced clocks');
    expect(text).toContain(`Fresh fps per stream 4.45 fps p5 1.2 fps; all frames ${report.summary.avgFpsPerStream.toFixed(2)} fps`);
    expect(text).toMatch(/Repeated frames 40 frames on 1 stream \([\d.]+\s%\sof frames\)/);
    expect(text).toContain('FROZEN events 3 on 1 stream');
    expect(sectionHtml(page, 'key-metrics')).toContain('metric metric-bad');
  });

  it('Details: where the timestamps came from, every percentile, the longest freeze', () => {
    const text = visibleText(sectionHtml(page, 'details'));
    expect(text).toContain('Capture timestamps 11 of 12 opened streams, 330 frames (X-Timestamp in seconds); 3 unreadable values ignored');
    expect(text).toContain(
      "Queueing delay p50 12, p95 85, p99 300, max 340 ms (age less each stream's smallest age; needs no synced clocks); growing steadily on 1 stream",
    );
    expect(text).toContain('Raw age p50 15, p95 90, p99 310, max 350 ms (valid only with synced clocks)');
    expect(text).toContain('Fresh fps per stream min 1.2, p5 1.2, median 4.9, max 5 fps');
    expect(text).toContain('FROZEN events 3 events on 1 stream; longest freeze 2.6 s');
  });

  it('raw age without comparable clocks, and a run without any timestamp', () => {
    const skewed = keyMetrics(render(freshReport({ ageMs: null, agesOutOfRange: 330 })));
    expect(skewed).toContain("Raw age p50 / p95 clocks not comparable 330 ages below 0 or above 1 h: the camera's clock and this machine's differ");
    expect(skewed).toContain('Queueing delay p95 85 ms p50 12, max 340 ms');
    const untimed = render(freshReport({ timestampedStreams: 0, timestampedFrames: 0, delayMs: NONE, ageMs: null, streamsWithGrowingDelay: 0 }));
    expect(keyMetrics(untimed)).toContain('Queueing delay p95 no timestamps no frame carried a capture time');
    expect(keyMetrics(untimed)).toContain('Raw age p50 / p95 no timestamps');
    expect(visibleText(sectionHtml(untimed, 'details'))).toContain('Queueing delay n/a (no timestamps)');
  });
});

describe('freshness over time', () => {
  it('fresh fps beside fps, the mean delay with a gap where no frame was timestamped', () => {
    const report = freshReport();
    const page = render(report);
    const { timeline } = pageData(page);
    const rows = foldSlivers(report.timeline);
    expect(timeline.freshFps).toEqual(rows.map((row) => Math.round((row.freshFps ?? NaN) * 100) / 100));
    expect(timeline.delayMs[2]).toBeNull();
    expect(timeline.delayMs.filter((v) => v !== null).length).toBe(timeline.delayMs.length - 1);
    expect(page).toMatch(/data-chart="delay"><figcaption>/);
    expect(page).toContain('fresh: repeated pictures left out');
  });

  it('a sliver folded into the row before it: the delays weighted by their timestamped frames', () => {
    const [a, b] = foldSlivers([
      { t: 0, seconds: 1, openStreams: 2, fps: 10, bytesPerSecond: 1, reconnections: 0, errors: 0, freshFps: 8, timestampedFrames: 30, delayMsMean: 10 },
      { t: 1, seconds: 1, openStreams: 2, fps: 10, bytesPerSecond: 1, reconnections: 0, errors: 0, freshFps: 8, timestampedFrames: 10, delayMsMean: 20 },
      { t: 2, seconds: 0.05, openStreams: 2, fps: 20, bytesPerSecond: 1, reconnections: 0, errors: 0, freshFps: 0, timestampedFrames: 10, delayMsMean: 40 },
    ]);
    expect(a?.delayMsMean).toBe(10);
    expect(b).toMatchObject({ seconds: 1.05, timestampedFrames: 20, delayMsMean: 30 });
    expect(b?.freshFps).toBeCloseTo(8 / 1.05, 9);
  });

  it('no timestamp in the whole run: the delay chart says why it is empty', () => {
    const report = freshReport({ timestampedStreams: 0 });
    report.timeline = report.timeline.map((row) => ({ ...row, timestampedFrames: 0, delayMsMean: null }));
    const page = render(report);
    expect([...page.matchAll(/data-chart="([\w-]+)" data-empty="true"/g)].map((m) => m[1])).toEqual(['delay']);
    expect(visibleText(page)).toContain('No data: no frame carried a capture time (X-Timestamp or --timestamp-header).');
  });
});

describe('freshness in the camera table', () => {
  const report = freshReport();
  const page = render(report);
  const data = pageData(page);
  const col = (name: (typeof data.cameras.columns)[number]): number => data.cameras.columns.indexOf(name);
  const row = (index: number): number[] => data.cameras.rows.find((r) => r[col('index')] === index) ?? [];

  it('columns for fresh fps, delay p95, repeated frames and FROZEN events, sortable', () => {
    expect(data.cameras.freshness).toBe(true);
    const sortKeys = [...sectionHtml(page, 'cameras-section').matchAll(/data-sort="(\w+)"/g)].map((m) => m[1]);
    expect(sortKeys).toEqual([
      'index',
      'cameraId',
      'ordinal',
      'opened',
      'fps',
      'freshFps',
      'frames',
      'reconnections',
      'stalls',
      'uptime',
      'delayP95',
      'repeated',
      'frozen',
      'errorCount',
      'lastError',
    ]);
    expect([row(3)[col('freshFps')], row(3)[col('repeated')], row(3)[col('frozen')], row(3)[col('growingDelay')]]).toEqual([1.2, 40, 3, 0]);
    expect([row(7)[col('delayP95')], row(7)[col('growingDelay')]]).toEqual([320, 1]);
    // No capture time: no delay, rather than a delay of 0.
    expect(row(10)[col('delayP95')]).toBe(-1);
  });

  it('frozen and growing-delay streams count as problems: sorted first, marked, the delay badged "growing"', () => {
    const order = data.cameras.rows.map((r) => r[col('index')]);
    // Stream 3: three FROZEN events, more than any other stream's problems; 7: a growing delay, one problem.
    expect(order[0]).toBe(3);
    expect(order.indexOf(7)).toBeLessThan(order.indexOf(0));
    const table = sectionHtml(page, 'cameras-section');
    const first = /<tbody><tr class="([^"]*)">(.*?)<\/tr>/.exec(table);
    expect(first?.[1]).toBe('row-warn');
    expect(visibleText(first?.[2] ?? '')).toMatch(/ 1\.20 .* 3 /);
    expect(table).toContain('320 ms <span class="badge badge-warn">growing</span>');
  });

  it('an older report: no freshness columns, the key figures say it was not measured, -1 in the data', () => {
    const older = render(olderRunReport());
    const olderData = pageData(older);
    expect(olderData.cameras.freshness).toBe(false);
    expect(sectionHtml(older, 'cameras-section')).not.toContain('data-sort="freshFps"');
    expect(olderData.cameras.rows.every((r) => r.slice(-5).join() === '-1,-1,-1,-1,0')).toBe(true);
    expect(olderData.timeline.freshFps).toBeNull();
    expect(keyMetrics(older)).toContain('Frame freshness was not measured');
    expect(visibleText(sectionHtml(older, 'details'))).toContain('Frame freshness not measured');
  });
});
