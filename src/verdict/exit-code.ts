import { ExitCode, mostUrgent } from '../exit-codes.js';
import type { VerdictWord } from './run-verdict.js';

/** The exit code each verdict word stands for: the verdict is already the most urgent of these. */
const EXIT_CODE_OF: Readonly<Record<VerdictWord, ExitCode>> = {
  INTERRUPTED: ExitCode.INTERRUPTED,
  'NOT VALID': ExitCode.CLIENT_SATURATED,
  // Nothing measured never passes, thresholds or not: a server that is down is not a green run.
  'NOTHING MEASURED': ExitCode.THRESHOLD_FAILED,
  FAILED: ExitCode.THRESHOLD_FAILED,
  PASSED: ExitCode.OK,
};

/**
 * The exit code of a run, merge or search (docs: the README's Exit codes): its verdict's, unless how it ended is
 * more urgent (130, then 70 for streams that did not stop in time, 5 for outputs saved elsewhere, 4, 1).
 */
export function exitCodeOf(word: VerdictWord, ending: { outputsMoved: boolean; stoppedInTime: boolean }): ExitCode {
  return mostUrgent([
    EXIT_CODE_OF[word],
    ending.stoppedInTime ? ExitCode.OK : ExitCode.INTERNAL,
    ending.outputsMoved ? ExitCode.OUTPUT_ELSEWHERE : ExitCode.OK,
  ]);
}
