import { addCounts } from '../metrics/timeline.js';
import { topErrors } from '../report/error-counts.js';
import type { MaxReport } from '../max/max-report.js';
import type { RunVerdict } from './run-verdict.js';

// The search's verdict in the words a run's has, in the order its exit codes follow: INTERRUPTED (130), NOT VALID
// (4: camera-load was the limit), NOTHING MEASURED and FAILED (1: no stable level), PASSED (0: an answer).

const streams = (n: number): string => `${n.toLocaleString('en-US')} stream${n === 1 ? '' : 's'}`;

/** The answer as a phrase: "at least 12 streams at 5.00 fps per stream", or undefined when there is none. */
function answer(report: MaxReport): string | undefined {
  const r = report.result;
  if (r.maxStableStreams === null) return undefined;
  const lowerBound = r.boundedByClient || r.boundedByCameras === true || report.interrupted;
  const fps = r.fpsPerStreamAtMax === null ? '' : ` at ${r.fpsPerStreamAtMax.toFixed(2)} fps per stream`;
  return `${lowerBound ? 'at least ' : ''}${streams(r.maxStableStreams)}${fps}`;
}

/** Pure: the search's verdict, its answer in the reason. */
export function searchVerdict(report: MaxReport, min: number): RunVerdict {
  const r = report.result;
  const found = answer(report);
  const held = found === undefined ? 'no level held yet' : `maximum stable: ${found}`;
  if (report.interrupted) return { word: 'INTERRUPTED', reason: `stopped after ${r.trials} trial${r.trials === 1 ? '' : 's'}; ${held}` };
  if (r.boundedByClient) return { word: 'NOT VALID', reason: `camera-load itself was the limit, not the server; ${held}` };
  if (report.trials.length > 0 && report.trials.every((t) => t.opened === 0)) {
    const codes = topErrors(report.trials.map((t) => t.summary.errors).reduce(addCounts, {}));
    return {
      word: 'NOTHING MEASURED',
      reason: `no stream delivered a frame in any of ${r.trials} trial${r.trials === 1 ? '' : 's'}${codes ? ` (${codes})` : ''}`,
    };
  }
  if (found === undefined) return { word: 'FAILED', reason: `no stable level: even ${streams(min)} ${min === 1 ? 'was' : 'were'} unstable` };
  return { word: 'PASSED', reason: `maximum stable: ${found}${r.boundedByCameras === true ? ', every stream the cameras allow' : ''}` };
}
