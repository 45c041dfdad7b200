import { describe, expect, it } from 'vitest';
import { encodeHistogram, GapHistogram } from '../../../src/metrics/gap-histogram.js';
import { renderHtmlReport } from '../../../src/html/render-html.js';
import type { Report } from '../../../src/report/report-types.js';
import { FAKE_ASSETS, HOSTILE, maxPageData, maxReport, mergedReport, olderRunReport, pageData, runReport, sectionHtml, visibleText } from './pages.js';

const render = (report: Parameters<typeof renderHtmlReport>[0]): string => renderHtmlReport(report, FAKE_ASSETS);

/** The verdict's findings in order: the headline, then the others. */
function verdictTitles(page: string): string[] {
  const verdict = sectionHtml(page, 'verdict');
  return [...verdict.matchAll(/<h2 class="verdict-title">([^<]*)<\/h2>|<li class="tone-\w+"><strong>([^<]*)\.<\/strong>/g)].map((m) => m[1] ?? m[2] ?? '');
}

const tone = (page: string): string | undefined => /data-verdict="(\w+)"/.exec(page)?.[1];

describe('renderHtmlReport: a run report', () => {
  const report = olderRunReport();
  const page = render(report);
  const text = visibleText(page);

  it('shows the key metrics of the text summary in the HTML itself, each with its unit', () => {
    expect(text).toMatch(/Streams opened 22 of 24 streams/);
    expect(text).toMatch(/Reconnections 20 on 10 streams/);
    expect(text).toMatch(/Duration 8\.0 s target 8 s/);
    expect(text).toMatch(/Frames received 864 frames/);
    expect(text).toMatch(/Average fps per stream 4\.89 fps/);
  });

  it('and the details: rates, percentiles, uptime, errors by code with their meaning, client CPU', () => {
    expect(text).toContain('107.6 fps');
    expect(text).toContain('26.18 Mbps');
    expect(text).toContain('min 3.61, p5 3.61, median 5.11, max 5.23 fps');
    expect(text).toContain('p50 202, p95 208, p99 401, max 2,832 ms');
    expect(text).toContain('p50 21.9, p95 27, max 27.3 ms');
    expect(text).toContain('average 89.2 %, worst stream 0.0 %');
    expect(text).toContain('16 listed, 12 active, 0 skipped');
    expect(text).toMatch(/HTTP_503 11 the server answered HTTP 503/);
    expect(text).toMatch(/Client CPU [\d.]+ % of a core on average, max [\d.]+ %/);
  });

  it('puts the verdict first, then the assessment, warnings and recommendations', () => {
    expect(page.indexOf('id="verdict"')).toBeLessThan(page.indexOf('id="key-metrics"'));
    expect(verdictTitles(page)).toEqual(['PASSED', 'With warnings']);
    expect(tone(page)).toBe('warn');
    expect(text).toContain(report.analysis.assessment);
    // `code spans` show as code, without their backticks.
    for (const line of [...report.analysis.warnings, ...report.analysis.recommendations]) expect(text).toContain(line.replace(/`/g, ''));
  });

  it('lists the streams problems first: never opened, then the most trouble, then the lowest uptime', () => {
    const data = pageData(page);
    const at = (name: string): number => data.cameras.columns.indexOf(name as never);
    const rows = data.cameras.rows;
    expect(rows).toHaveLength(24);
    expect(rows.slice(0, 2).map((r) => r[at('opened')])).toEqual([0, 0]);
    const trouble = rows.slice(2).map((r) => (r[at('reconnections')] ?? 0) + (r[at('stalls')] ?? 0) + (r[at('errorCount')] ?? 0));
    expect(trouble).toEqual([...trouble].sort((a, b) => b - a));
    // The first page of the table is in the HTML in the same order.
    const tableIndexes = [...sectionHtml(page, 'cameras-section').matchAll(/<tr class="[^"]*"><td class="num">(\d+)<\/td>/g)].map((m) => Number(m[1]));
    expect(tableIndexes).toEqual(rows.map((r) => r[at('index')]));
  });

  it('embeds the streams compactly, every string once, and they read back as the report has them', () => {
    const data = pageData(page);
    const { columns, strings, rows } = data.cameras;
    const col = (name: (typeof columns)[number]): number => columns.indexOf(name);
    expect(new Set(strings).size).toBe(strings.length);
    for (const row of rows) {
      const stream = report.streams.find((s) => s.index === row[col('index')]);
      expect(stream).toBeDefined();
      expect(strings[row[col('cameraId')] ?? -1]).toBe(stream?.cameraId);
      expect(strings[row[col('name')] ?? -1]).toBe(stream?.name);
      expect(row[col('frames')]).toBe(stream?.frames);
      const last = stream?.lastError;
      expect(row[col('lastError')] === -1 ? null : strings[row[col('lastError')] ?? -1]).toBe(last ? `${last.code}: ${last.message}` : null);
    }
    expect(data.cameras.perCamera).toBe(true);
  });

  it('puts the timeline on one axis of seconds since startedAt, from the rows` wall clock', () => {
    const data = pageData(page);
    const start = Date.parse(report.startedAt);
    expect(data.timeline.t[1]).toBeCloseTo(((report.timeline[1]?.at ?? 0) - start) / 1000, 3);
    expect(data.timeEnd).toBeGreaterThanOrEqual(report.summary.durationSeconds);
    // A report from before errors were counted by code: the total stands in.
    expect(Object.keys(data.timeline.errors)).toEqual(['errors']);
    expect(data.client?.cpuLimitPercent).toBe(90);
    expect(data.client?.eventLoopLimitMs).toBe(100);
  });

  it('computes the distributions: every opened stream in the fps histogram, the gap curve up to the maximum', () => {
    const { fpsPerStream, timeToFirstFrameMs, frameGapMs } = pageData(page).distributions;
    expect(fpsPerStream?.counts.reduce((a, b) => a + b, 0)).toBe(22);
    expect(timeToFirstFrameMs?.counts.reduce((a, b) => a + b, 0)).toBe(22);
    expect(frameGapMs?.count).toBe(report.summary.frameGapMs.count);
    expect(frameGapMs?.ms.at(-1)).toBe(report.summary.frameGapMs.max);
    expect(frameGapMs?.ms[frameGapMs.percentiles.indexOf(50)]).toBe(report.summary.frameGapMs.p50);
    expect(frameGapMs?.x).toEqual([...(frameGapMs?.x ?? [])].sort((a, b) => a - b));
  });

  it('gives every chart a data-chart slot', () => {
    const slots = [...page.matchAll(/data-chart="([\w-]+)"/g)].map((m) => m[1]);
    expect(slots).toEqual(['open-streams', 'fps', 'delay', 'bandwidth', 'errors', 'client', 'fps-histogram', 'ttff-histogram', 'gap-percentiles']);
    // A report from before freshness was measured: the delay chart says so rather than draw nothing.
    expect([...page.matchAll(/data-chart="([\w-]+)" data-empty="true"/g)].map((m) => m[1])).toEqual(['delay']);
    expect(text).toContain('Not measured: this report was written before camera-load measured frame freshness.');
    expect(page).toContain('<noscript>');
  });

  it('has the hooks the page script and the browser test use', () => {
    expect(page).toContain('<table id="cameras"');
    expect(page).toContain('id="camera-filter"');
    for (const key of ['index', 'cameraId', 'ordinal', 'opened', 'fps', 'frames', 'reconnections', 'stalls', 'uptime', 'errorCount', 'lastError']) {
      expect(page).toContain(`data-sort="${key}"`);
    }
  });

  it('requests nothing: no URL in a src or href, a policy that forbids fetching, the data inline', () => {
    expect(page).not.toMatch(/\s(?:src|href|action|srcset|poster|data)\s*=\s*["']?\s*(?:[a-z]+:)?\/\//i);
    expect([...page.matchAll(/\shref="([^"]*)"/g)].map((m) => m[1]).every((href) => href?.startsWith('#') === true || href === 'data:,')).toBe(true);
    expect(page).not.toMatch(/@import|url\(/);
    expect(page).toMatch(
      /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-[^"]+' 'sha256-[^"]+'; style-src 'unsafe-inline'; img-src data:;/,
    );
  });

  it('shows the configuration, the tool and the run`s identity', () => {
    const config = visibleText(sectionHtml(page, 'configuration'));
    expect(config).toContain('camera-load 0.1.0');
    expect(config).toContain('stallTimeoutSeconds 2');
    expect(config).toContain('backoff {"baseMs":500,"factor":2,"maxMs":30000}');
    expect(config).toContain(report.planFingerprint ?? 'none');
    expect(config).toContain(report.host ?? 'none');
  });
});

describe('renderHtmlReport: the verdict, the most urgent first', () => {
  it('Passed when nothing is wrong and every threshold met', () => {
    const report = runReport();
    report.analysis = { ...report.analysis, warnings: [] };
    const page = render(report);
    expect(verdictTitles(page)).toEqual(['PASSED']);
    expect(tone(page)).toBe('good');
    expect(visibleText(page)).toContain('all 2 thresholds met');
  });

  it('Threshold failed, naming each failed expression with its actual value', () => {
    const report = runReport();
    report.thresholds = [
      { expression: 'fps.avg>=6', actual: 5.137, passed: false },
      { expression: 'reconnections<=100', actual: 4, passed: true },
      { expression: 'ttff.p95<=10', actual: null, passed: false },
    ];
    const page = render(report);
    expect(verdictTitles(page)).toEqual(['FAILED']);
    expect(tone(page)).toBe('bad');
    const verdict = visibleText(sectionHtml(page, 'verdict'));
    expect(verdict).toContain('2 of 3 thresholds failed: fps.avg>=6 (actual 5.137); ttff.p95<=10 (actual n/a).');
    expect(verdict).not.toContain('reconnections<=100');
    const thresholds = visibleText(sectionHtml(page, 'thresholds'));
    expect(thresholds).toMatch(/fps\.avg>=6 5\.137 failed reconnections<=100 4 passed ttff\.p95<=10 n\/a \(nothing measured\) failed/);
  });

  it('Client saturated, with the reason', () => {
    const report = runReport();
    report.summary = { ...report.summary, valid: false, invalidReason: 'camera-load itself was saturated: its CPU was at ≥ 90% of a core in 4 of 5 samples' };
    const page = render(report);
    expect(verdictTitles(page)).toEqual(['NOT VALID']);
    expect(visibleText(sectionHtml(page, 'verdict'))).toContain('its CPU was at ≥ 90% of a core in 4 of 5 samples');
  });

  it('Interrupted before saturated before threshold failed, all of them listed', () => {
    const report = runReport();
    report.interrupted = true;
    report.summary = { ...report.summary, valid: false, invalidReason: 'saturated' };
    report.thresholds = [{ expression: 'fps.avg>=6', actual: 5.137, passed: false }];
    const page = render(report);
    expect(verdictTitles(page)).toEqual(['INTERRUPTED', 'Not valid (client saturated)', 'Threshold failed (1 of 1)']);
    expect(tone(page)).toBe('bad');
    expect(page).toMatch(/<title>camera-load: INTERRUPTED<\/title>/);
  });
});

describe('renderHtmlReport: reports with little or nothing in them', () => {
  it('no stream opened: the figures say so, charts and distributions say "no data", nothing throws', () => {
    const report = olderRunReport();
    report.streams = report.streams.map((s) => ({
      ...s,
      opened: false,
      frames: 0,
      fps: 0,
      uptime: 0,
      timeToFirstFrameMs: null,
      frameGapMs: { count: 0, p50: 0, p95: 0, p99: 0, max: 0 },
      frameGapHistogram: encodeHistogram(new GapHistogram()),
    }));
    report.summary = {
      ...report.summary,
      streamsOpened: 0,
      totalFrames: 0,
      avgFpsPerStream: 0,
      frameGapMs: { count: 0, p50: 0, p95: 0, p99: 0, max: 0 },
      timeToFirstFrameMs: null,
    };
    const page = render(report);
    const data = pageData(page);
    expect(data.distributions).toEqual({ fpsPerStream: null, timeToFirstFrameMs: null, frameGapMs: null });
    expect([...page.matchAll(/data-chart="([\w-]+)" data-empty="true"/g)].map((m) => m[1])).toEqual([
      'delay',
      'fps-histogram',
      'ttff-histogram',
      'gap-percentiles',
    ]);
    const text = visibleText(page);
    expect(text).toContain('Streams opened 0 of 24 streams');
    expect(text).toContain('n/a (no stream opened)');
    expect(text).toContain('No data: no stream received a frame.');
  });

  it('an empty timeline and no samples: the time charts say so', () => {
    const report = olderRunReport();
    report.timeline = [];
    report.system = { ...report.system, samples: [] };
    const page = render(report);
    const empty = [...page.matchAll(/data-chart="([\w-]+)" data-empty="true"/g)].map((m) => m[1]);
    expect(empty).toEqual(['open-streams', 'fps', 'delay', 'bandwidth', 'errors', 'client']);
    expect(pageData(page).timeEnd).toBe(report.summary.durationSeconds);
  });

  it('an older report of schema 1 without shard, host, planFingerprint, at, errorsByCode, frame-gap histograms or thresholds', () => {
    const report = olderRunReport() as unknown as Record<string, unknown> & Report;
    for (const key of ['shard', 'host', 'planFingerprint', 'thresholds'] as const) Reflect.deleteProperty(report, key);
    for (const row of report.timeline) for (const key of ['at', 'errorsByCode']) Reflect.deleteProperty(row, key);
    for (const stream of report.streams) Reflect.deleteProperty(stream, 'frameGapHistogram');
    const page = render(report);
    const data = pageData(page);
    expect(data.timeline.t).toEqual(
      olderRunReport()
        .timeline.map((row) => row.t)
        .slice(0, data.timeline.t.length),
    );
    expect(data.distributions.frameGapMs).toBeNull();
    expect(visibleText(page)).toContain('No thresholds were set');
    expect(visibleText(sectionHtml(page, 'configuration'))).toMatch(/Host — Plan fingerprint —/);
  });
});

describe('renderHtmlReport: errors by code over time', () => {
  it('one series per code from the timeline rows, the same counts as the rows', () => {
    const report = runReport();
    const data = pageData(render(report));
    expect(Object.keys(data.timeline.errors)).toEqual(['ECONNRESET']);
    const total = (data.timeline.errors.ECONNRESET ?? []).reduce((a, b) => a + b, 0);
    expect(total).toBe(report.summary.errors.ECONNRESET);
  });

  it('folds the run`s last sliver of a row into the row before it', () => {
    const report = olderRunReport();
    const rows = report.timeline;
    expect(rows.at(-1)?.seconds).toBeLessThan(0.1);
    const data = pageData(render(report));
    expect(data.timeline.t).toHaveLength(rows.length - 1);
    expect(data.timeline.reconnections.reduce((a, b) => a + b, 0)).toBe(rows.reduce((a, row) => a + row.reconnections, 0));
    expect(Math.max(...data.timeline.fps)).toBeLessThan(200);
  });
});

describe('renderHtmlReport: a merged report', () => {
  const report = mergedReport();
  const page = render(report);

  it('one row per shard, the missing one too, and the partial merge in the verdict', () => {
    const shards = visibleText(sectionHtml(page, 'shards'));
    expect(shards).toContain('Partial merge: 1 shard missing (3)');
    expect(shards).toMatch(/1 vm valid no 2 [\d.]+ \/ [\d.]+ % [\d.]+ ms/);
    expect(shards).toMatch(/2 vm valid no 2 /);
    expect(shards).toMatch(/3 — missing — — — — —/);
    expect(verdictTitles(page)).toEqual(['FAILED', 'Partial merge']);
  });

  it('a partial merge that passed: Passed is the headline, the partial merge listed after it', () => {
    const passed = mergedReport();
    passed.thresholds = [];
    const html = render(passed);
    expect(verdictTitles(html)).toEqual(['PASSED', 'With warnings', 'Partial merge']);
    expect(tone(html)).toBe('warn');
  });

  it('an older merge (shard 1`s settings as the test`s) says so in its configuration', () => {
    const config = visibleText(sectionHtml(page, 'configuration'));
    expect(config).toContain("Merged by an older camera-load, which kept shard 1's settings as the test's");
  });

  it('a merge`s configuration: the common settings with the merge`s thresholds, then each shard`s own beside each other, disagreements named', () => {
    const merged = mergedReport();
    merged.config = { maxStreams: 6, thresholds: ['fps.avg>=4'], stallTimeoutSeconds: 2 };
    merged.settingsDiffering = ['saturationCpuPercent'];
    merged.shards = (merged.shards ?? []).map((shard) => ({
      ...shard,
      config: { shard: { index: shard.index, count: 3 }, output: `/r/shard-${shard.index}.json`, thresholds: [], saturationCpuPercent: 80 + shard.index },
    }));
    const config = visibleText(sectionHtml(render(merged), 'configuration'));
    expect(config).toContain('Command merge of 2 shard reports (run)');
    expect(config).toMatch(/Common to every shard thresholds: the ones this merge checked\. maxStreams 6 thresholds \["fps\.avg>=4"\] stallTimeoutSeconds 2/);
    expect(config).toContain("Each shard's own");
    expect(config).toContain('saturationCpuPercent differs between them');
    expect(config).toContain(
      'Setting Shard 1 Shard 2 shard {"index":1,"count":3} {"index":2,"count":3} output /r/shard-1.json /r/shard-2.json thresholds [] []',
    );
    expect(config).toContain('saturationCpuPercent differs 81 82');
  });

  it('no client chart: each shard ran on its own machine', () => {
    expect(page).toContain('data-chart="client" data-empty="true"');
    expect(pageData(page).client).toBeNull();
    expect(visibleText(page)).toContain('merged report of 2 shards');
  });
});

describe('renderHtmlReport: a max report', () => {
  const report = maxReport();
  const page = render(report);

  it('the answer is the verdict', () => {
    expect(verdictTitles(page)).toEqual(['PASSED']);
    expect(tone(page)).toBe('good');
    expect(visibleText(sectionHtml(page, 'verdict'))).toContain(
      'Maximum stable: 9 streams at 4.89 fps per stream. Reference: 4.83 fps per stream at the lowest stable level. 4 trials.',
    );
  });

  it('a trials table in the order they ran, and the chart`s data', () => {
    const trials = visibleText(sectionHtml(page, 'trials'));
    expect(trials).toMatch(/1 12 11 unstable 1 of 12 streams never opened; 3 reconnections and 0 stalls \(tolerance 0\) 4\.50 fps — 3 0 valid/);
    expect(trials).toMatch(/2 6 6 stable 4\.83 fps — 0 0 valid/);
    expect(trials.indexOf(' 2 6 6 stable')).toBeLessThan(trials.indexOf(' 3 9 9 stable'));
    const data = maxPageData(page);
    expect(data.kind).toBe('max');
    expect(data.trials.streams).toEqual([12, 6, 9, 10]);
    expect(data.trials.stable).toEqual([0, 1, 1, 0]);
    expect(page).toContain('data-chart="trials"');
  });

  it('bounded by the client and interrupted: the word says interrupted, the answer a lower bound, the client named after it', () => {
    const bounded = maxReport();
    bounded.interrupted = true;
    bounded.result = { ...bounded.result, boundedByClient: true, boundedByClientReason: 'its event loop lagged ≥ 100 ms in 3 of 4 samples' };
    const html = render(bounded);
    expect(verdictTitles(html)).toEqual(['INTERRUPTED', 'Bounded by the client']);
    expect(visibleText(sectionHtml(html, 'verdict'))).toContain('Stopped after 4 trials; maximum stable: at least 9 streams');
    expect(tone(html)).toBe('bad');
    expect(visibleText(html)).toContain('its event loop lagged ≥ 100 ms in 3 of 4 samples');
  });

  it('no stable level, and no trial at all', () => {
    const none = maxReport();
    none.result = { ...none.result, maxStableStreams: null, fpsPerStreamAtMax: null, referenceFpsPerStream: null };
    expect(verdictTitles(render(none))).toEqual(['FAILED']);
    expect(visibleText(sectionHtml(render(none), 'verdict'))).toContain('No stable level: even 1 stream was unstable.');
    none.trials = [];
    none.result.trials = 0;
    const html = render(none);
    expect(html).toContain('data-chart="trials" data-empty="true"');
    expect(maxPageData(html).trials.streams).toEqual([]);
  });
});

describe('renderHtmlReport: hostile strings are text', () => {
  const NASTY = `"'&<>`;
  const hostileReport = (): Report => {
    const report = olderRunReport();
    const [first, second] = report.streams;
    if (!first || !second) throw new Error('fixture');
    first.name = HOSTILE;
    first.cameraId = `<img src=x onerror=alert(2)>`;
    first.opened = false;
    first.lastError = { code: 'HTTP_503', message: `${HOSTILE} ${NASTY}`, atSeconds: 1 };
    first.errors = { [`<b>${NASTY}</b>`]: 2 };
    second.name = `${NASTY} <!-- \u2028 \u2029`;
    report.summary.errors = { ...report.summary.errors, [`<b>${NASTY}</b>`]: 2 };
    report.config = { ...report.config, output: HOSTILE, source: { kind: 'url', urls: [NASTY] } };
    report.analysis = { assessment: HOSTILE, warnings: [NASTY], recommendations: [`</style>${HOSTILE}`] };
    report.thresholds = [{ expression: `fps.avg>=4${HOSTILE}`, actual: 1, passed: false }];
    return report;
  };
  const report = hostileReport();
  const page = render(report);

  it('never writes their markup: no script or tag from the report reaches the page', () => {
    expect(page).not.toMatch(/<script>alert/i);
    expect(page).not.toContain('<img');
    expect(page).not.toContain('<b>');
    expect(page).not.toContain('<!-- ');
    // Three script elements of the page's own close, and no other.
    expect(page.match(/<\/script/gi)).toHaveLength(3);
    expect(page.match(/<\/style/gi)).toHaveLength(3);
  });

  it('shows them as the text they are, in the table, the verdict, the analysis and the configuration', () => {
    const text = visibleText(page);
    expect(text).toContain(`${HOSTILE} ${NASTY}`);
    expect(text).toContain(`<img src=x onerror=alert(2)> ${HOSTILE}`);
    expect(text).toContain(`fps.avg>=4${HOSTILE} (actual 1)`);
    expect(text).toContain(`output ${HOSTILE}`);
    expect(text).toContain(`</style>${HOSTILE}`);
    expect(page).toContain('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('&quot;&#39;&amp;&lt;&gt;');
  });

  it('the embedded data holds them exactly, and escapes < and the line separators', () => {
    const data = pageData(page);
    expect(data.cameras.strings).toContain(HOSTILE);
    expect(data.cameras.strings).toContain(`${NASTY} <!-- \u2028 \u2029`);
    expect(data.cameras.strings).toContain(`HTTP_503: ${HOSTILE} ${NASTY}`);
    const json = /id="data">([^]*?)<\/script>/.exec(page)?.[1] ?? '';
    expect(json).not.toMatch(/[<>&\u2028\u2029]/);
  });
});
