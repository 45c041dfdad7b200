import { createHash } from 'node:crypto';
import { html, inlineCode, jsonForScript, rawHtml, type Html } from './escape.js';
import type { ComparePageData } from './compare-charts.js';
import type { PageData } from './page-data.js';

/** The files the page inlines: uPlot, its license, and the page's own script and stylesheet. */
export interface HtmlAssets {
  uplotJs: string;
  uplotCss: string;
  uplotLicense: string;
  pageJs: string;
  pageCss: string;
}

export interface PageParts {
  title: string;
  subtitle: string;
  nav: readonly (readonly [id: string, label: string])[];
  main: Html;
  footer: string;
  data: PageData | ComparePageData;
}

/** Without JavaScript, what only the script fills or drives is left out: empty chart frames, dead controls. */
const WITHOUT_SCRIPT = '.chart-card, .hint, .table-tools input, .table-tools button, .table-tools select { display: none; }';

const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/**
 * One self-contained file. The Content-Security-Policy is a second wall behind the escaping: nothing may be
 * fetched (default-src 'none'), and only the page's own two scripts, by hash, may run.
 */
export function page(parts: PageParts, assets: HtmlAssets): string {
  const license = assets.uplotLicense.trim().replace(/\*\//g, '* /');
  const uplot = inlineCode(`/*! uPlot, inlined: https://github.com/leeoniya/uPlot\n${license}\n*/\n${assets.uplotJs}`);
  const script = inlineCode(assets.pageJs);
  const policy = `default-src 'none'; script-src ${sha256(uplot)} ${sha256(script)}; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'`;
  const body = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${rawHtml(policy)}">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="camera-load">
<title>${parts.title}</title>
<link rel="icon" href="data:,">
<style>${rawHtml(inlineCode(assets.uplotCss))}</style>
<style>${rawHtml(inlineCode(assets.pageCss))}</style>
<noscript><style>${rawHtml(WITHOUT_SCRIPT)}</style></noscript>
</head>
<body>
<header class="page-header"><div class="wrap"><h1>${parts.title}</h1><p class="subtitle">${parts.subtitle}</p>
<nav class="toc" aria-label="Sections">${parts.nav.map(([id, label]) => html`<a href="#${id}">${label}</a>`)}</nav></div></header>
<main class="wrap">
${parts.main}
</main>
<footer class="wrap page-footer">${parts.footer}</footer>
<script type="application/json" id="data">${rawHtml(jsonForScript(parts.data))}</script>
<script>${rawHtml(uplot)}</script>
<script>${rawHtml(script)}</script>
</body>
</html>
`;
  return body.text;
}
