// Fixture reports and readers for the HTML renderer's tests: real reports from the CLI (test/fixtures/html),
// varied in code, and small stand-in assets so that most tests render quickly.
import { readFileSync } from 'node:fs';
import type { MaxReport } from '../../../src/max/max-report.js';
import type { HtmlAssets } from '../../../src/html/render-html.js';
import type { MaxPageData, RunPageData } from '../../../src/html/page-data.js';
import type { Report } from '../../../src/report/report-types.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../fixtures/html/${name}`, import.meta.url), 'utf8'));

/** A real run: 12 cameras × 2 streams against the simulator dropping some; errors by code in the timeline. */
export const runReport = (): Report => fixture('run.json') as Report;
/** A real run from before the timeline counted errors by code: 2 streams refused (503), stalls, corrupt frames. */
export const olderRunReport = (): Report => fixture('run-without-codes.json') as Report;
/** A real merge of shards 1 and 2 of 3 (--allow-partial) with a failed threshold. */
export const mergedReport = (): Report => fixture('merged-partial.json') as Report;
/** A real `max` search: stable at 6 and 9, unstable at 10 and 12. */
export const maxReport = (): MaxReport => fixture('max.json') as MaxReport;

export const FAKE_ASSETS: HtmlAssets = {
  uplotJs: 'var uPlot = function () {};',
  uplotCss: '.uplot { display: block; }',
  uplotLicense: 'The MIT License (MIT)\nCopyright (c) 2022 Leon Sorokin',
  pageJs: 'document.body.dataset.rendered = "true";',
  pageCss: 'body { margin: 0; }',
};

export const HOSTILE = '</script><script>alert(1)</script>';

const DATA = /<script type="application\/json" id="data">([^]*?)<\/script>/;

function embedded(page: string): unknown {
  const match = DATA.exec(page);
  if (!match?.[1]) throw new Error('no data element');
  return JSON.parse(match[1]);
}

/** The embedded data, parsed as the page's script parses it. */
export const pageData = (page: string): RunPageData => embedded(page) as RunPageData;
export const maxPageData = (page: string): MaxPageData => embedded(page) as MaxPageData;

/** The page's text as a reader without JavaScript sees it: tags dropped, entities decoded, spaces collapsed. */
export function visibleText(page: string): string {
  const from = page.indexOf('<body>');
  const to = page.indexOf('<script type="application/json"');
  return page
    .slice(Math.max(0, from), to === -1 ? undefined : to)
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

/** The HTML of one element found by its id, up to the matching close of the first section/table. */
export function sectionHtml(page: string, id: string): string {
  const start = page.indexOf(`id="${id}"`);
  if (start === -1) throw new Error(`no #${id}`);
  return page.slice(start, page.indexOf('</section>', start));
}
