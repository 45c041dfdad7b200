import { describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../../src/html/render-html.js';
import type { Report } from '../../../src/report/report-types.js';
import { stagedReport } from '../../helpers/stages-report.js';
import { stormedReport } from '../../helpers/storms-report.js';
import { FAKE_ASSETS, HOSTILE, olderRunReport, pageData, runReport, sectionHtml, visibleText } from './pages.js';

// The reconnect storms of --storm-at (issue 30) on the page: the table near the top, the marks for the charts, a
// storm that failed or did not run marked; a run without storms as it was.

const render = (report: Report): string => renderHtmlReport(report, FAKE_ASSETS);

/** The rows of the storms table, each as its cells' text. */
function stormRows(page: string): string[][] {
  const table = sectionHtml(page, 'storms');
  const body = table.slice(table.indexOf('<tbody>'));
  return [...body.matchAll(/<tr[^>]*>(.*?)<\/tr>/g)].map((row) =>
    [...(row[1] ?? '').matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((cell) => visibleText(cell[1] ?? '').trim()),
  );
}

const rowClasses = (page: string): string[] => [...sectionHtml(page, 'storms').matchAll(/<tr class="([^"]*)">/g)].map((m) => m[1] ?? '');

describe('renderHtmlReport: a run with storms', () => {
  const page = render(stormedReport());

  it('a Reconnect storms section after the key metrics, before the details, in the navigation too', () => {
    const at = (id: string): number => page.indexOf(`id="${id}"`);
    expect(at('storms')).toBeGreaterThan(at('key-metrics'));
    expect(at('storms')).toBeLessThan(at('details'));
    expect(page).toContain('<a href="#storms">Storms</a>');
    expect(sectionHtml(page, 'storms')).toContain('<h2>Reconnect storms</h2>');
  });

  it('one row per storm, its recovery with units in the headers, connection ends most first', () => {
    const headers = [...sectionHtml(page, 'storms').matchAll(/<th[^>]*>([^<]*)<\/th>/g)].map((m) => visibleText(m[1] ?? '').trim());
    expect(headers).toEqual([
      'Storm',
      'At (s)',
      'Mode',
      'Viewers dropped',
      'Recovered',
      '95% / all recovered within (ms)',
      'Recovery p50 / max (ms)',
      'Connection attempts',
      'Connection ends (code ×count)',
    ]);
    expect(stormRows(page)).toEqual([
      ['1', '1', 'backoff', '12', '12', '480 / 512', '260 / 512', '12', 'none'],
      ['2', '3', 'immediate', '12', '10', 'never / never', '31 / 1,204', '17', 'HTTP_503 ×4, ECONNRESET ×1'],
      ['3', '6', 'backoff', '—', '—', '—', '—', '—', '—'],
    ]);
  });

  it('marks the storm with viewers never back as failed, and one the run ended before as not run', () => {
    expect(rowClasses(page)).toEqual(['', 'row-bad', 'row-skipped']);
    const text = visibleText(sectionHtml(page, 'storms'));
    expect(text).toContain('Storm 2: some dropped viewers never had a frame again.');
    expect(text).toContain('Storm 3: not run (the run ended first).');
  });

  it('a storm that recovered with connection ends is a warning', () => {
    const report = stormedReport();
    const [first] = report.storms ?? [];
    if (first) first.errors = { HTTP_503: 1 };
    expect(rowClasses(render(report))[0]).toBe('row-warn');
  });

  it('embeds when each storm struck for the charts (none for one that never did), and says what the lines are', () => {
    expect(pageData(page).storms).toEqual([
      { storm: 1, at: 1 },
      { storm: 2, at: 3 },
    ]);
    expect(visibleText(sectionHtml(page, 'over-time'))).toContain('Solid red lines: the reconnect storms, labelled (see Reconnect storms).');
  });

  it('beside stages: the stages first, then the storms, both on the charts', () => {
    const both = stagedReport();
    both.storms = stormedReport().storms ?? [];
    const shown = render(both);
    expect(shown.indexOf('id="stages"')).toBeLessThan(shown.indexOf('id="storms"'));
    expect(shown.indexOf('id="storms"')).toBeLessThan(shown.indexOf('id="details"'));
    expect(pageData(shown).stages).toHaveLength(4);
    expect(pageData(shown).storms).toHaveLength(2);
  });

  it('a storm that found no stream open dropped nobody: dashes for its recovery, not never', () => {
    const report = stormedReport();
    const [first] = report.storms ?? [];
    if (first)
      Object.assign(first, {
        viewers: 0,
        recovered: 0,
        recovery95Ms: null,
        recoveryAllMs: null,
        recoveryMs: { count: 0, p50: 0, p95: 0, p99: 0, max: 0 },
        attempts: 0,
      });
    const page = render(report);
    expect(stormRows(page)[0]).toEqual(['1', '1', 'backoff', '0', '0', '—', '—', '0', 'none']);
    expect(rowClasses(page)[0]).toBe('');
  });

  it('a code from the report file is text', () => {
    const hostile = stormedReport();
    const [first] = hostile.storms ?? [];
    if (first) first.errors = { [HOSTILE]: 1 };
    const shown = render(hostile);
    expect(shown).not.toContain('<script>alert');
    expect(visibleText(sectionHtml(shown, 'storms'))).toContain(`${HOSTILE} ×1`);
  });
});

describe('renderHtmlReport: a run without storms', () => {
  it('has no section, marks or hint: the page of before', () => {
    for (const report of [runReport(), olderRunReport()]) {
      const page = render(report);
      expect(page).not.toContain('id="storms"');
      expect(page).not.toContain('href="#storms"');
      expect('storms' in pageData(page)).toBe(false);
      expect(visibleText(page)).not.toMatch(/\bstorms?\b/i);
    }
  });

  it('an empty list of storms is no storms', () => {
    const report = runReport();
    report.storms = [];
    const page = render(report);
    expect(page).not.toContain('id="storms"');
    expect('storms' in pageData(page)).toBe(false);
  });
});
