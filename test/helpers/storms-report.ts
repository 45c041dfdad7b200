import { readFileSync } from 'node:fs';
import type { Percentiles } from '../../src/metrics/gap-histogram.js';
import type { Report, StormReport } from '../../src/report/report-types.js';

// A run with --storm-at for the outputs' tests, its storms made by hand on a real report (the HTML fixture's run:
// 12 streams, 5.04 s): three storms that cover the ways a storm reads.
//   1  at 1 s, under backoff   all 12 back
//   2  at 3 s, immediate       10 of 12 back, connections ended meanwhile: failed
//   3  at 6 s                  after the run's end: not run

const recovery = (p50: number, max: number, count: number): Percentiles => ({ count, p50, p95: max, p99: max, max });

function storm(n: number, atSeconds: number, over: Partial<StormReport> = {}): StormReport {
  return {
    storm: n,
    atSeconds,
    immediate: false,
    struckAtSeconds: atSeconds,
    viewers: 12,
    recovered: 12,
    recovery95Ms: 480,
    recoveryAllMs: 512,
    recoveryMs: recovery(260, 512, 12),
    recoveryHistogram: '',
    attempts: 12,
    errors: {},
    ...over,
  };
}

export const STORMS: readonly StormReport[] = [
  storm(1, 1),
  storm(2, 3, {
    immediate: true,
    recovered: 10,
    recovery95Ms: null,
    recoveryAllMs: null,
    recoveryMs: recovery(31, 1_204, 10),
    attempts: 17,
    errors: { ECONNRESET: 1, HTTP_503: 4 },
  }),
  storm(3, 6, { struckAtSeconds: null, viewers: 0, recovered: 0, recovery95Ms: null, recoveryAllMs: null, recoveryMs: recovery(0, 0, 0), attempts: 0 }),
];

export function stormedReport(): Report {
  const report = JSON.parse(readFileSync(new URL('../fixtures/html/run.json', import.meta.url), 'utf8')) as Report;
  report.storms = STORMS.map((s) => structuredClone(s));
  return report;
}
