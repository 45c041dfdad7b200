import { errorsOfUnopened, topErrors } from './error-counts.js';
import type { Report } from './report-types.js';

// One verdict for a run, the same word and reason first in every output (terminal, job summary, HTML), in the
// order the exit codes follow: INTERRUPTED (130), NOT VALID (4), NOTHING MEASURED (1), FAILED (1), PASSED (0).

/** Why a run is not valid, in two words for a heading: camera-load was saturated, late, or both. */
export function notValidLabel(invalidReason: string | undefined): string {
  const late = invalidReason?.includes('client lateness') === true;
  const saturated = invalidReason?.includes('saturated') === true;
  return late && saturated ? 'client saturated and late' : late ? 'client late' : 'client saturated';
}

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
  if (report.interrupted) return { word: 'INTERRUPTED', reason: `stopped after ${s.durationSeconds} s of ${s.targetDurationSeconds} s: the figures are the results so far` };
  if (!s.valid) return { word: 'NOT VALID', reason: `${notValidLabel(s.invalidReason)}: ${s.invalidReason ?? 'camera-load itself was saturated'}; the figures understate the server` };
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
  const streams = unopened > 0 ? `${s.streamsOpened} of ${plural(s.streamsPlanned, 'stream')} delivered frames; ${unopened} never did${codes ? ` (${codes})` : ''}` : `${every(s.streamsPlanned, 'stream')} delivered frames`;
  return { word: 'PASSED', reason: `${streams}; ${met}` };
}

/** Which share of a sharded test a report holds, as every output names it ("shard 2 of 4"); null: the whole test. */
export function shardLabel(report: Partial<Pick<Report, 'shard'>>): string | null {
  const shard = report.shard;
  // One shard of one is the whole plan: nothing to merge, nothing to remind.
  return shard && shard.count > 1 ? `shard ${shard.index} of ${shard.count}` : null;
}

/**
 * The reminder beside a shard's verdict, in one sentence without a final stop: it judges this shard's streams, not
 * the test's. null for a whole run or a merge.
 */
export function shardScopeNote(report: Partial<Pick<Report, 'shard'>> & Pick<Report, 'streams'>): string | null {
  const label = shardLabel(report);
  if (label === null || !report.shard) return null;
  return `This verdict is ${label}'s only (its ${plural(report.streams.length, 'stream')}): \`camera-load merge\` of all ${report.shard.count} shard reports gives the whole test's`;
}
