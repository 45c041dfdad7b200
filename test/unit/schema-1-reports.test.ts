import { describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../src/html/render-html.js';
import { renderSummary } from '../../src/render/summary.js';
import { asShardReport } from '../../src/report/merge-input.js';
import { mergeReports } from '../../src/report/merge-reports.js';
import { RUN_SCHEMA_VERSION } from '../../src/report/report-types.js';
import { evaluateThresholds, parseThreshold } from '../../src/report/thresholds.js';
import { FAKE_ASSETS, mergedReport, runReport } from './html/pages.js';

// Reports written before a stream's start was split by whose it is (schema 1): their fps counted from the first
// connection attempt, camera-load's own queue included. They still read, render and merge among themselves, their
// fps as written and labelled so; never mixed with schema 2 into one figure.

describe('reports of schema 1', () => {
  it('the fixtures are real schema 1 reports, and this camera-load writes schema 2', () => {
    expect(runReport().schemaVersion).toBe(1);
    expect(RUN_SCHEMA_VERSION).toBe(2);
  });

  it('the summary gives their fps as written, labelled with its definition, and no start figures', () => {
    const report = runReport();
    const text = renderSummary(report);
    expect(text).toContain(
      `Average FPS per stream:  ${report.summary.avgFpsPerStream.toFixed(2)}  (report schema 1: counted from the first connection attempt`,
    );
    expect(text).not.toMatch(/Client lateness|Connect queue|from the request leaving/);
  });

  it('the HTML page labels their fps and time to first frame with the old definition', () => {
    const page = renderHtmlReport(runReport(), FAKE_ASSETS);
    expect(page).toContain('schema 1: from the first attempt');
    expect(page).toContain('(from the first attempt)');
    expect(page).not.toContain('Client lateness');
  });

  it('a threshold on the start fails on them (nothing measured); one on fps reads the fps as written', () => {
    const report = runReport();
    const [late, fps] = evaluateThresholds([parseThreshold('client_lateness_ms.p95<100'), parseThreshold('fps.avg>=0')], report);
    expect(late).toMatchObject({ actual: null, passed: false });
    expect(fps).toMatchObject({ actual: report.summary.avgFpsPerStream, passed: true });
  });

  it('they merge among themselves into a schema 1 report, its fps recomputed by the same mean', () => {
    const shard = asShardReport(JSON.parse(JSON.stringify(runReport())), 'old.json');
    const merged = mergeReports([shard]);
    expect(merged.schemaVersion).toBe(1);
    expect(merged.summary.start).toBeNull();
    expect(merged.summary.avgFpsPerStream).toBe(shard.summary.avgFpsPerStream);
  });

  it('merged with a schema 2 report: refused by name', () => {
    const old = runReport();
    const { shards: _shards, ...unmerged } = mergedReport();
    const newer = { ...unmerged, schemaVersion: 2 as const };
    expect(() => mergeReports([old, newer], { names: ['old.json', 'new.json'] })).toThrow(
      /new\.json has report schema 2 and old\.json schema 1.*\(ERR_MERGE_MIXED_SCHEMAS\)/,
    );
  });
});
