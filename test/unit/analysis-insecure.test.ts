import { describe, expect, it } from 'vitest';
import { StreamStats } from '../../src/metrics/stream-stats.js';
import { buildReport } from '../../src/report/build-report.js';
import { renderSummary } from '../../src/render/summary.js';

function reportWith(config: Record<string, unknown>) {
  const stats = new StreamStats(0, '1', 'Camera 1', 'https://cam/1');
  stats.attemptStarted(0);
  for (let i = 0; i < 10; i++) stats.frame(1000, 100 + i * 200);
  return buildReport({
    version: '1.0.0',
    config,
    cameras: { listed: 1, active: 1, skipped: 0 },
    streamsRequested: 1,
    streamsPerCamera: 1,
    targetDurationMs: 2_000,
    outcome: { startedAt: new Date(0), endedAt: new Date(2_000), elapsedMs: 2_000, interrupted: false, streams: [stats], timeline: [], system: [] },
  });
}

describe('--insecure keeps its warning', () => {
  it('the report, and so the summary and the HTML page, say that certificates were not verified', () => {
    const insecure = reportWith({ insecure: true });
    expect(insecure.analysis.warnings).toContain(
      '--insecure: TLS certificates were not verified, for the API (its token included) or the streams; --ca trusts a private CA instead.',
    );
    expect(renderSummary(insecure)).toMatch(/! --insecure: TLS certificates were not verified/);
    expect(reportWith({ insecure: false }).analysis.warnings.join(' ')).not.toMatch(/insecure/);
  });
});
