import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { prose } from '../../../src/html/escape.js';
import { renderHtmlReport } from '../../../src/html/render-html.js';
import { PACKAGE_ROOT } from '../../../src/package-root.js';
import type { ShardSummary, SystemReport } from '../../../src/report/report-types.js';
import { FAKE_ASSETS, HOSTILE, maxReport, mergedReport, olderRunReport, pageData, sectionHtml, visibleText } from './pages.js';

const render = (report: Parameters<typeof renderHtmlReport>[0]): string => renderHtmlReport(report, FAKE_ASSETS);

/** What stat() makes of no sample at all. */
const unsampled = (): Omit<SystemReport, 'samples'> => {
  const zero = { min: 0, avg: 0, max: 0 };
  return {
    cpuPercent: zero,
    processCpuPercent: zero,
    memoryUsedBytes: zero,
    processRssBytes: zero,
    networkRxBytesPerSecond: zero,
    networkTxBytesPerSecond: zero,
    eventLoopDelayP99Ms: zero,
  };
};

describe('the max page counts its trials in the right number', () => {
  it('"1 trial" in the subtitle and the card, "4 trials" when there are four', () => {
    const one = maxReport();
    one.trials = one.trials.slice(0, 1);
    one.result = { ...one.result, trials: 1 };
    const page = render(one);
    expect(visibleText(page)).toContain('capacity search · ');
    expect(visibleText(page)).toMatch(/ · 1 trial /);
    expect(visibleText(page)).not.toMatch(/\b1 trials\b/);
    expect(visibleText(sectionHtml(page, 'key-metrics'))).toMatch(/Trials 1 trial /);
    const four = render(maxReport());
    expect(visibleText(four)).toMatch(/ · 4 trials /);
    expect(visibleText(sectionHtml(four, 'key-metrics'))).toMatch(/Trials 4 trials /);
  });
});

describe('no sample of the client: "n/a", never a measured-looking 0', () => {
  it('a run that took no sample says so in Details', () => {
    const report = olderRunReport();
    report.system = { samples: [], ...unsampled() };
    const details = visibleText(sectionHtml(render(report), 'details'));
    expect(details).toContain('Client CPU n/a (no sample) Client event-loop delay n/a (no sample) Client memory n/a (no sample)');
    expect(details).not.toMatch(/0 % of a core|up to 0 ms|RSS up to 0 B/);
  });

  it('a run with samples still shows its figures', () => {
    const details = visibleText(sectionHtml(render(olderRunReport()), 'details'));
    expect(details).toMatch(/Client CPU [\d.]+ % of a core on average, max [\d.]+ %; machine [\d.]+ % on average/);
    expect(details).toMatch(/RSS up to [\d.]+ MB/);
  });

  it('a merge: Details points at the shards, and a shard without a sample says n/a in its row', () => {
    const report = mergedReport();
    const [first, second] = report.shards as [ShardSummary, ShardSummary];
    second.system = unsampled();
    report.shards = [first, second];
    const page = render(report);
    const details = visibleText(sectionHtml(page, 'details'));
    expect(details).toMatch(/Client CPU per shard, each on its own machine \(see Shards\); highest [\d.]+ % of a core/);
    const shards = visibleText(sectionHtml(page, 'shards'));
    expect(shards).toMatch(/1 vm valid no 2 [\d.]+ \/ [\d.]+ % [\d.]+ ms/);
    expect(shards).toMatch(/2 vm valid no 2 n\/a \(no sample\) n\/a \(no sample\) /);
    expect(shards).not.toMatch(/0 \/ 0 %| 0 ms/);
  });

  it('a merge of shards that none took a sample in', () => {
    const report = mergedReport();
    report.shards = (report.shards ?? []).map((s) => ({ ...s, system: unsampled() }));
    report.system = { samples: [], ...unsampled() };
    const details = visibleText(sectionHtml(render(report), 'details'));
    expect(details).toContain('Client CPU n/a (no shard took a sample; see Shards)');
    expect(details).not.toMatch(/up to 0 ms|RSS up to 0 B/);
  });
});

describe('code spans in the analysis', () => {
  it('prose(): escaped first, then each `…` pair on a line becomes <code>, and nothing else becomes markup', () => {
    expect(prose('`camera-load max` finds the level.').text).toBe('<code>camera-load max</code> finds the level.');
    expect(prose('a `b` and `c`').text).toBe('a <code>b</code> and <code>c</code>');
    expect(prose('one ` alone').text).toBe('one ` alone');
    expect(prose(`\`${HOSTILE}\` <b>x</b>`).text).toBe('<code>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</code> &lt;b&gt;x&lt;/b&gt;');
    expect(prose('`a\nb`').text).toBe('`a\nb`');
  });

  it('the page shows them as <code> in the assessment, warnings and recommendations', () => {
    const report = olderRunReport();
    report.analysis = {
      assessment: 'Ran `--duration 8`.',
      warnings: ['Check `--stall-timeout`.'],
      recommendations: ['The server refused streams: `camera-load max` finds the highest stable level.', `\`<img src=x onerror=alert(1)>\``],
    };
    const page = render(report);
    const assessment = sectionHtml(page, 'assessment');
    expect(assessment).toContain('Ran <code>--duration 8</code>.');
    expect(assessment).toContain('<li>Check <code>--stall-timeout</code>.</li>');
    expect(assessment).toContain('<code>camera-load max</code> finds the highest stable level.');
    expect(assessment).toContain('<code>&lt;img src=x onerror=alert(1)&gt;</code>');
    expect(assessment).not.toContain('`');
    expect(page).not.toContain('<img');
  });
});

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

describe('time ticks (report-page.js tickDigits)', () => {
  // The page script is one closure for the browser; its pure helper is read out of it and run here.
  const source = readFileSync(`${PACKAGE_ROOT}/assets/html/report-page.js`, 'utf8');
  const body = /\n {2}function tickDigits\(incr\) \{\n([^]*?)\n {2}\}\n/.exec(source)?.[1];
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const tickDigits = new Function('incr', body ?? 'throw new Error("no tickDigits")') as (incr: number) => number;

  it('as many decimals as the increment needs: 0.25 s apart, 2; 0.5, 1; whole seconds, none', () => {
    expect(body).toBeDefined();
    expect([0.01, 0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 5, 30, 600].map(tickDigits)).toEqual([2, 2, 1, 1, 2, 1, 0, 0, 0, 0, 0]);
    expect(tickDigits(0.001)).toBe(3);
    // Floating-point increments (0.1 * 3) still read as one decimal.
    expect(tickDigits(0.1 * 3)).toBe(1);
  });
});
