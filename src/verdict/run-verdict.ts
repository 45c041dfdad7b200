import { errorsOfUnopened, topErrors } from '../report/error-counts.js';
import { notValidLabel } from '../report/not-valid.js';
import type { Report } from '../report/report-types.js';

// One verdict for a run, the same word and reason first in every output (terminal, job summary, HTML), in the
// order the exit codes follow: INTERRUPTED (130), NOT VALID (4), NOTHING MEASURED (1), FAILED (1), PASSED (0).

export type VerdictWord = 'INTERRUPTED' | 'NOT VALID' | 'NOTHING MEASURED' | 'FAILED' | 'PASSED';

export interface RunVerdict {
  word: VerdictWord;
  /** Why, in one sentence without a final stop. */
  reason: string;
}

const plural = (n: number, word: string): string => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
/** "all 12 streams", but "the 1 stream": "all" of one reads as a slip. */
const every = (n: number, word: string): string => `${n === 1 ? 'the' : 'all'} ${plural(n, word)}`;

/** The codes that ended the streams that never delivered a frame, most first: "ECONNREFUSED ×12, HTTP_503 ×2". */
const unopenedCodes = (report: Pick<Report, 'streams'>): string => topErrors(errorsOfUnopened(report.streams));

/**
 * Pure: the run's verdict. A run in which some streams never delivered a frame still passes (exit 0) unless a
 * threshold says otherwise (`streams.opened_ratio>=1` makes every stream count); its reason names them.
 */
export function runVerdict(report: Pick<Report, 'interrupted' | 'summary' | 'streams' | 'thresholds'>): RunVerdict {
  const s = report.summary;
  if (report.interrupted)
    return { word: 'INTERRUPTED', reason: `stopped after ${s.durationSeconds} s of ${s.targetDurationSeconds} s: the figures are the results so far` };
  if (!s.valid)
    return {
      word: 'NOT VALID',
      reason: `${notValidLabel(s.invalidReason)}: ${s.invalidReason ?? 'camera-load itself was saturated'}; the figures understate the server`,
    };
  if (s.streamsOpened === 0) {
    const codes = unopenedCodes(report);
    return { word: 'NOTHING MEASURED', reason: `none of ${plural(s.streamsPlanned, 'stream')} delivered a frame${codes ? ` (${codes})` : ''}` };
  }
  // Reports older than thresholds have none.
  const thresholds = (report as Partial<Pick<Report, 'thresholds'>>).thresholds ?? [];
  const failed = thresholds.filter((t) => !t.passed);
  if (failed.length > 0) {
    const named = failed.map((t) => `${t.expression} (actual ${t.actual ?? 'n/a'})`).join('; ');
    return { word: 'FAILED', reason: `${failed.length} of ${plural(thresholds.length, 'threshold')} failed: ${named}` };
  }
  const met = thresholds.length > 0 ? `${every(thresholds.length, 'threshold')} met` : 'no thresholds set';
  const unopened = s.streamsPlanned - s.streamsOpened;
  const codes = unopened > 0 ? unopenedCodes(report) : '';
  const streams =
    unopened > 0
      ? `${s.streamsOpened} of ${plural(s.streamsPlanned, 'stream')} delivered frames; ${unopened} never did${codes ? ` (${codes})` : ''}`
      : `${every(s.streamsPlanned, 'stream')} delivered frames`;
  return { word: 'PASSED', reason: `${streams}; ${met}` };
}
