import type { MaxReport, TrialRecord } from '../max/max-report.js';
import { searchVerdict } from '../verdict/search-verdict.js';

/** Pure: all trials sorted by level, as a table. */
export function renderTrials(trials: readonly TrialRecord[]): string {
  const rows = [...trials].sort((a, b) => a.level - b.level);
  const lines = ['TRIALS', '  streams  opened  fps/stream  reconnections  stalls  verdict'];
  for (const t of rows) {
    lines.push(
      `  ${String(t.level).padStart(7)}  ${String(t.opened).padStart(6)}  ${t.fpsPerStream.toFixed(2).padStart(10)}  ` +
        `${String(t.reconnections).padStart(13)}  ${String(t.stalls).padStart(6)}  ${t.verdict.stable ? 'stable' : `unstable: ${t.verdict.reasons.join('; ')}`}`,
    );
  }
  return lines.join('\n');
}

/** Pure: one finished trial, as the line printed while the search goes on. */
export function describeTrial(t: TrialRecord): string {
  return (
    `trial ${t.index}: ${t.level} streams — opened ${t.opened}, ${t.fpsPerStream.toFixed(2)} fps per stream, ` +
    `${t.reconnections} reconnections, ${t.stalls} stalls: ` +
    (t.verdict.stable ? 'STABLE' : `UNSTABLE (${t.verdict.reasons.join('; ')})`)
  );
}

/** Pure: the search's end: its verdict and answer first, the trials, then what bounded the answer and how to go past it. */
export function renderSearch(report: MaxReport, min: number): string {
  const { result, trials } = report;
  const verdict = searchVerdict(report, min);
  const lines = [`camera-load: ${verdict.word} — ${verdict.reason}`, '', renderTrials(trials)];
  if (result.boundedByClientReason !== undefined) {
    lines.push(`Stopped: this machine, not the server, was the limit at ${trials.at(-1)?.level ?? '?'} streams (${result.boundedByClientReason}).`);
  }
  if (result.boundedByCameras === true) {
    lines.push(
      `Bounded by the cameras, not the server: ${result.maxStableStreams} is every stream the cameras allow, and all held. ` +
        'To go past it: --streams-per-camera K opens K streams per camera (or list more cameras).',
    );
  }
  return `${lines.join('\n')}\n`;
}
