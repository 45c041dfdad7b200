import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderJobSummary } from '../../src/render/job-summary.js';
import { renderSummary } from '../../src/render/summary.js';
import { analyse } from '../../src/report/analysis.js';
import { summarizeFreshness } from '../../src/report/freshness-report.js';
import type { Report } from '../../src/report/report-types.js';
import { evaluateThresholds, parseThreshold } from '../../src/report/thresholds.js';

// A report written before freshness was measured: no summary.freshness, no streams[].freshness, no timeline fields.
const older = (): Report => JSON.parse(readFileSync(new URL('../fixtures/html/run-without-codes.json', import.meta.url), 'utf8')) as Report;

describe('reports older than freshness', () => {
  it('read back: the summary and the job summary leave freshness out rather than inventing it', () => {
    const report = older();
    expect('freshness' in report.summary).toBe(false);
    const summary = renderSummary(report);
    expect(summary).toContain('KEY METRICS');
    expect(summary).not.toContain('FRESHNESS');
    expect(renderJobSummary(report, [])).not.toContain('queueing delay');
    expect(analyse(report).warnings.join(' ')).not.toMatch(/FROZEN|repeated|delay/);
  });

  it('a threshold on freshness fails on them: nothing was measured', () => {
    const results = evaluateThresholds(['delay.p95<500ms', 'frozen==0', 'freshFps.p5>=0', 'repeated_frames==0'].map(parseThreshold), older());
    expect(results.map((r) => [r.actual, r.passed])).toEqual([
      [null, false],
      [null, false],
      [null, false],
      [null, false],
    ]);
  });

  it('merged with newer streams, their streams count as unstamped and every frame fresh', () => {
    const streams = older().streams;
    const f = summarizeFreshness(streams);
    expect(f.timestampedStreams).toBe(0);
    expect(f.delayMs.count).toBe(0);
    expect(f.ageMs).toBeNull();
    expect(f.repeatedFrames).toBe(0);
    const opened = streams.filter((s) => s.opened);
    expect(f.avgFreshFpsPerStream).toBeCloseTo(opened.reduce((sum, s) => sum + (s.fps ?? Number.NaN), 0) / opened.length, 2);
  });
});
