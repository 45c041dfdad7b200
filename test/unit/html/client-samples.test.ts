import { describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../../src/html/render-html.js';
import type { ShardSummary, SystemReport } from '../../../src/report/report-types.js';
import { FAKE_ASSETS, mergedReport, olderRunReport, sectionHtml, visibleText } from './pages.js';

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
