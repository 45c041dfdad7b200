import { describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../../src/html/render-html.js';
import { FAKE_ASSETS, maxReport, sectionHtml, visibleText } from './pages.js';

const render = (report: Parameters<typeof renderHtmlReport>[0]): string => renderHtmlReport(report, FAKE_ASSETS);

describe('the max page counts its trials in the right number', () => {
  it('"1 trial" in the subtitle and the card, "4 trials" when there are four', () => {
    const one = maxReport();
    one.trials = one.trials.slice(0, 1);
    one.result = { ...one.result, trials: 1 };
    const page = render(one);
    expect(visibleText(page)).toContain('max search · ');
    expect(visibleText(page)).toMatch(/ · 1 trial /);
    expect(visibleText(page)).not.toMatch(/\b1 trials\b/);
    expect(visibleText(sectionHtml(page, 'key-metrics'))).toMatch(/Trials 1 trial /);
    const four = render(maxReport());
    expect(visibleText(four)).toMatch(/ · 4 trials /);
    expect(visibleText(sectionHtml(four, 'key-metrics'))).toMatch(/Trials 4 trials /);
  });
});
