import { describe, expect, it } from 'vitest';
import type { MaxReport } from '../../src/max/max-report.js';
import { searchVerdict } from '../../src/verdict/search-verdict.js';
import { maxReport } from './html/pages.js';

/** The fixture's max report with its result and trials changed. */
function searched(result: Partial<MaxReport['result']>, change: (report: MaxReport) => void = () => undefined): MaxReport {
  const report = maxReport();
  report.result = { ...report.result, boundedByClient: false, boundedByCameras: false, ...result };
  change(report);
  return report;
}

const noFrames = (report: MaxReport): void => {
  for (const trial of report.trials) {
    trial.opened = 0;
    trial.summary = { ...trial.summary, errors: { HTTP_503: 4, ECONNRESET: 1 } };
  }
};

describe("max: the search's verdict, in the words and order of a run's", () => {
  it.each([
    ['an answer', searched({ maxStableStreams: 23, fpsPerStreamAtMax: 5.01 }), 'PASSED', 'maximum stable: 23 streams at 5.01 fps per stream'],
    [
      'an answer the cameras bounded',
      searched({ maxStableStreams: 12, fpsPerStreamAtMax: 5, boundedByCameras: true }),
      'PASSED',
      'maximum stable: at least 12 streams at 5.00 fps per stream, every stream the cameras allow',
    ],
    ['no level held, streams did open', searched({ maxStableStreams: null, fpsPerStreamAtMax: null }), 'FAILED', 'no stable level: even 1 stream was unstable'],
    ['no trial got a frame', searched({ maxStableStreams: null, fpsPerStreamAtMax: null }, noFrames), 'NOTHING MEASURED', 'HTTP_503 ×'],
    [
      'camera-load was the limit',
      searched({ maxStableStreams: 40, fpsPerStreamAtMax: 5, boundedByClient: true }),
      'NOT VALID',
      'camera-load itself was the limit, not the server; maximum stable: at least 40 streams',
    ],
    [
      'Ctrl+C, whatever else',
      searched({ maxStableStreams: 40, fpsPerStreamAtMax: 5, boundedByClient: true }, (r) => (r.interrupted = true)),
      'INTERRUPTED',
      'maximum stable: at least 40 streams',
    ],
  ])('%s', (_, report, word, reason) => {
    const verdict = searchVerdict(report, 1);
    expect(verdict.word).toBe(word);
    expect(verdict.reason).toContain(reason);
    expect(verdict.reason).not.toMatch(/[.?!]$/);
  });
});
