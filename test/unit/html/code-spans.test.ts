import { describe, expect, it } from 'vitest';
import { prose } from '../../../src/html/escape.js';
import { renderHtmlReport } from '../../../src/html/render-html.js';
import { FAKE_ASSETS, HOSTILE, olderRunReport, sectionHtml } from './pages.js';

const render = (report: Parameters<typeof renderHtmlReport>[0]): string => renderHtmlReport(report, FAKE_ASSETS);

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
