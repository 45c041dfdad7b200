import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { HtmlAssets } from '../html/render-html.js';
import { PACKAGE_ROOT } from '../package-root.js';

/** The page's own script: the run or max report's, or `compare --html`'s (which shares the rest). */
export type PageScript = 'report-page.js' | 'compare-page.js';

const cached = new Map<PageScript, Promise<HtmlAssets>>();

/**
 * The files the HTML report inlines: uPlot from its package (wherever npm put it), the page's own script (its axis
 * helpers, then the page) and stylesheet from assets/html. Read once per process: a max search or a merge may render more than one page.
 */
export function loadHtmlAssets(script: PageScript = 'report-page.js'): Promise<HtmlAssets> {
  let assets = cached.get(script);
  if (assets === undefined) {
    assets = readAssets(script).catch((error: unknown) => {
      cached.delete(script);
      throw error;
    });
    cached.set(script, assets);
  }
  return assets;
}

async function readAssets(script: PageScript): Promise<HtmlAssets> {
  const uplot = dirname(createRequire(import.meta.url).resolve('uplot/package.json'));
  const pages = join(PACKAGE_ROOT, 'assets', 'html');
  const read = (path: string): Promise<string> => readFile(path, 'utf8');
  const [uplotJs, uplotCss, uplotLicense, axisJs, pageJs, pageCss] = await Promise.all([
    read(join(uplot, 'dist', 'uPlot.iife.min.js')),
    read(join(uplot, 'dist', 'uPlot.min.css')),
    read(join(uplot, 'LICENSE')),
    read(join(pages, 'axis-format.js')),
    read(join(pages, script)),
    read(join(pages, 'report-page.css')),
  ]);
  // One script: the axis helpers first, then the page that uses them (the page's policy allows its scripts by hash).
  return { uplotJs, uplotCss, uplotLicense, pageJs: `${axisJs}\n${pageJs}`, pageCss };
}
