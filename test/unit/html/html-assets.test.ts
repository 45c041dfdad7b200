import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../../src/html/render-html.js';
import { loadHtmlAssets } from '../../../src/files/html-assets.js';
import { PACKAGE_ROOT } from '../../../src/package-root.js';
import { maxReport, olderRunReport } from './pages.js';

describe('the page with its real assets', () => {
  it('reads uPlot, its license and the page`s own files once per process', async () => {
    const assets = await loadHtmlAssets();
    expect(assets.uplotJs).toMatch(/^\/\*! https:\/\/github\.com\/leeoniya\/uPlot \(v1\.6\.\d+\) \*\/\nvar uPlot=/);
    expect(assets.uplotLicense).toContain('The MIT License');
    expect(assets.pageJs).toContain('document.body.dataset.rendered');
    expect(assets.pageCss).toContain('@media print');
    expect(loadHtmlAssets()).toBe(loadHtmlAssets());
  });

  it('ships the assets: package.json lists the folder', () => {
    const pkg = JSON.parse(readFileSync(`${PACKAGE_ROOT}/package.json`, 'utf8')) as { files: string[] };
    expect(pkg.files).toContain('assets');
  });

  it('inlines uPlot with its license notice, and allows exactly its scripts, by hash', async () => {
    const assets = await loadHtmlAssets();
    for (const report of [olderRunReport(), maxReport()]) {
      const page = renderHtmlReport(report, assets);
      expect(page).toContain('Copyright (c) 2022 Leon Sorokin');
      const scripts = [...page.matchAll(/<script>([^]*?)<\/script>/g)].map((m) => m[1] ?? '');
      expect(scripts).toHaveLength(2);
      const hashes = scripts.map((code) => `'sha256-${createHash('sha256').update(code, 'utf8').digest('base64')}'`);
      const policy = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(page)?.[1] ?? '';
      expect(policy).toContain(`script-src ${hashes.join(' ')};`);
      expect(page.match(/<\/script/gi)).toHaveLength(3);
    }
  });
});
