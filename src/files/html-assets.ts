import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { HtmlAssets } from '../html/render-html.js';
import { PACKAGE_ROOT } from '../package-root.js';

let cached: Promise<HtmlAssets> | undefined;

/**
 * The files the HTML report inlines: uPlot from its package (wherever npm put it), the page's own script (its axis
 * helpers, then the page) and stylesheet from assets/html. Read once per process: a max search or a merge may render more than one page.
 */
export function loadHtmlAssets(): Promise<HtmlAssets> {
  cached ??= readAssets().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

async function readAssets(): Promise<HtmlAssets> {
  const uplot = dirname(createRequire(import.meta.url).resolve('uplot/package.json'));
  const pages = join(PACKAGE_ROOT, 'assets', 'html');
  const read = (path: string): Promise<string> => readFile(path, 'utf8');
  const [uplotJs, uplotCss, uplotLicense, axisJs, pageJs, pageCss] = await Promise.all([
    read(join(uplot, 'dist', 'uPlot.iife.min.js')),
    read(join(uplot, 'dist', 'uPlot.min.css')),
    read(join(uplot, 'LICENSE')),
    read(join(pages, 'axis-format.js')),
    read(join(pages, 'report-page.js')),
    read(join(pages, 'report-page.css')),
  ]);
  // One script: the axis helpers first, then the page that uses them (the page's policy allows its scripts by hash).
  return { uplotJs, uplotCss, uplotLicense, pageJs: `${axisJs}\n${pageJs}`, pageCss };
}
