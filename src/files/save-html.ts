import { basename } from 'node:path';
import type { MaxReport } from '../max/max-report.js';
import type { CommandContext } from '../command-context.js';
import type { CompareResult } from '../compare/compare-types.js';
import type { Report } from '../report/report-types.js';
import { saveOutput } from './run-files.js';

/** The report drawn as one HTML page, saved where --html asked or, as every output, where it then says. */
export async function saveHtml(report: Report | MaxReport, path: string, context: CommandContext): Promise<{ where: string | undefined; moved: boolean }> {
  // Loaded when a page is asked for: every run would otherwise load the renderer to write none.
  const [{ renderHtmlReport }, { loadHtmlAssets }] = await Promise.all([import('../html/render-html.js'), import('./html-assets.js')]);
  return saveOutput(renderHtmlReport(report, await loadHtmlAssets()), { flag: '--html', path, name: basename(path) }, context);
}

/** `compare --html`: the comparison drawn as one page, with both reports' distributions, saved as --html asked. */
export async function saveCompareHtml(
  result: CompareResult,
  reports: { base: Report; next: Report },
  path: string,
  context: CommandContext,
): Promise<{ where: string | undefined; moved: boolean }> {
  const [{ renderComparePage }, { loadHtmlAssets }] = await Promise.all([import('../html/compare-page.js'), import('./html-assets.js')]);
  const page = renderComparePage(result, reports.base, reports.next, await loadHtmlAssets('compare-page.js'));
  return saveOutput(page, { flag: '--html', path, name: basename(path) }, context);
}
