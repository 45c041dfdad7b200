import { describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../../src/html/render-html.js';
import type { Report } from '../../../src/report/report-types.js';
import { groupedReport } from '../../helpers/viewer-groups-report.js';
import { stagedReport, stoppedAt } from '../../helpers/stages-report.js';
import { FAKE_ASSETS, HOSTILE, olderRunReport, pageData, runReport, sectionHtml, visibleText } from './pages.js';

// The stages of --stages (issue 30) on the page: the table near the top, the bands for the charts, a stage that
// failed or did not run marked; a run without stages as it was.

const render = (report: Report): string => renderHtmlReport(report, FAKE_ASSETS);

/** The rows of the Stages table, each as its cells' text. */
function stageRows(page: string): string[][] {
  const table = sectionHtml(page, 'stages');
  const body = table.slice(table.indexOf('<tbody>'));
  return [...body.matchAll(/<tr[^>]*>(.*?)<\/tr>/g)].map((row) =>
    [...(row[1] ?? '').matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((cell) => visibleText(cell[1] ?? '').trim()),
  );
}

const rowClasses = (page: string): string[] => [...sectionHtml(page, 'stages').matchAll(/<tr class="([^"]*)">/g)].map((m) => m[1] ?? '');

describe('renderHtmlReport: a run with stages', () => {
  const page = render(stagedReport());

  it('a Stages section after the key metrics, before the details, in the navigation too', () => {
    const at = (id: string): number => page.indexOf(`id="${id}"`);
    expect(at('stages')).toBeGreaterThan(at('key-metrics'));
    expect(at('stages')).toBeLessThan(at('details'));
    expect(page).toContain('<a href="#stages">Stages</a>');
  });

  it('one row per stage, every figure the issue asks for, with units in the headers', () => {
    const headers = [...sectionHtml(page, 'stages').matchAll(/<th[^>]*>([^<]*)<\/th>/g)].map((m) => visibleText(m[1] ?? '').trim());
    expect(headers).toEqual([
      'Stage',
      'Time (s)',
      'Target (streams)',
      'Open streams max / mean',
      'Arrivals / departures',
      'Viewers with a frame / open',
      'Stream fps p5 / p50 (fps)',
      'Time to first frame p95 (ms)',
      'Frame gap p95 (ms)',
      'Queueing delay p95 (ms)',
      'Reconnections (count)',
      "Arrivals' client lateness p99 (ms)",
      'Connection ends (code ×count)',
    ]);
    expect(stageRows(page)).toEqual([
      ['1', '0–1', '0 → 12', '12 / 12', '12 / 0', '12 / 12', '—', '41', '212', '12', '0', '—', 'none'],
      ['2', '1–3', '12 (held)', '12 / 11.5', '0 / 0', '12 / 12', '4.8 / 5.05', '—', '212', '12', '3', '—', 'HTTP_503 ×2, ECONNRESET ×1'],
      ['3', '3–4', '12 → 4', '12 / 11.5', '0 / 8', '0 / 12', '0 / 0', '—', '—', '—', '0', '—', 'none'],
      ['4', '4–5', '4 (held)', '—', '0 / 0', '4 / 4', '—', '—', '212', '12', '0', '—', 'none'],
    ]);
  });

  it('marks the stage no viewer had a frame in as failed, and one with reconnections as a warning', () => {
    expect(rowClasses(page)).toEqual(['', 'row-warn', 'row-bad', '']);
    expect(visibleText(sectionHtml(page, 'stages'))).toContain('Stage 3: viewers were open and none had a frame.');
  });

  it('a stage the run did not reach: dashes and "not run", neither failed nor passed', () => {
    const stopped = render(stoppedAt(stagedReport(), 3.5));
    expect(stageRows(stopped)[3]).toEqual(['4', '4–5', '4 (held)', '—', '—', '—', '—', '—', '—', '—', '—', '—', '—']);
    expect(rowClasses(stopped)).toEqual(['', 'row-warn', 'row-bad', 'row-skipped']);
    expect(visibleText(sectionHtml(stopped, 'stages'))).toContain('Stage 4: not run (the run ended first).');
  });

  it('embeds each stage`s span for the charts, and says what the bands are', () => {
    expect(pageData(page).stages).toEqual([
      { stage: 1, from: 0, to: 1 },
      { stage: 2, from: 1, to: 3 },
      { stage: 3, from: 3, to: 4 },
      { stage: 4, from: 4, to: 5 },
    ]);
    expect(visibleText(sectionHtml(page, 'over-time'))).toContain('Bands: the stages, numbered at the top (see Stages).');
  });

  it('beside viewer groups: the groups first, then the stages', () => {
    const both = groupedReport();
    const staged = stagedReport();
    both.stages = staged.stages ?? [];
    both.streams = both.streams.map((s, i) => ({ ...s, stages: staged.streams[i]?.stages ?? [] }));
    const shown = render(both);
    expect(shown.indexOf('id="viewer-groups"')).toBeLessThan(shown.indexOf('id="stages"'));
    expect(shown.indexOf('id="stages"')).toBeLessThan(shown.indexOf('id="details"'));
    expect(pageData(shown).groupsBeganAt).toBe(2.5);
    expect(pageData(shown).stages).toHaveLength(4);
  });

  it('a code from the report file is text', () => {
    const hostile = stagedReport();
    const [first] = hostile.stages ?? [];
    if (first) first.errors = { [HOSTILE]: 1 };
    const shown = render(hostile);
    expect(shown).not.toContain('<script>alert');
    expect(visibleText(sectionHtml(shown, 'stages'))).toContain(`${HOSTILE} ×1`);
  });
});

describe('renderHtmlReport: a run without stages', () => {
  it('has no section, bands or hint: the page of before', () => {
    for (const report of [runReport(), olderRunReport()]) {
      const page = render(report);
      expect(page).not.toContain('id="stages"');
      expect(page).not.toContain('href="#stages"');
      expect('stages' in pageData(page)).toBe(false);
      expect(visibleText(page)).not.toMatch(/\bstages?\b/i);
    }
  });

  it('an empty list of stages is no stages', () => {
    const report = runReport();
    report.stages = [];
    const page = render(report);
    expect(page).not.toContain('id="stages"');
    expect('stages' in pageData(page)).toBe(false);
  });
});
