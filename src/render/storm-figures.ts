import type { Report, StormReport } from '../report/report-types.js';
import type { StormWithStanding as StormRow } from '../verdict/storm-verdict.js';

// A reconnect storm's figures (issue 30), one list for every text output that shows them: the job summary's Markdown
// table and JUnit's system-out name and format them alike (the HTML page has its own columns, in html/storms-section.ts).

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const decimal = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 2 });
/** Until all (or 95%) had a frame again: "never" when fewer did by the run's end; n/a when it dropped nobody. */
const until = (storm: StormReport, ms: number | null): string => (storm.viewers === 0 ? 'n/a' : ms === null ? 'never' : int(ms));

/** One figure of a storm: its name with its statistic and unit, and its value. */
export interface StormFigure {
  name: string;
  value: (storm: StormReport) => string;
}

/** "storm 1 at 120 s": the same for one --storm-at, run after run, so CI keeps its history. */
export const stormName = (storm: StormReport): string => `storm ${storm.storm} at ${decimal(storm.atSeconds)} s`;

/** How the dropped viewers came back, as --storm-at asked. */
export const stormMode = (storm: StormReport): string => (storm.immediate ? 'immediate' : 'backoff');

/** What was measured after a storm. Its time and mode are apart: a storm the run did not reach has them too. */
export const STORM_FIGURES: readonly StormFigure[] = [
  { name: 'viewers dropped', value: (s) => int(s.viewers) },
  { name: 'viewers recovered', value: (s) => int(s.recovered) },
  { name: '95% recovered within (ms)', value: (s) => until(s, s.recovery95Ms) },
  { name: 'all recovered within (ms)', value: (s) => until(s, s.recoveryAllMs) },
  // A percentile of nothing would read 0.
  { name: 'recovery p50 / max (ms)', value: (s) => (s.recoveryMs.count === 0 ? 'n/a' : `${int(s.recoveryMs.p50)} / ${int(s.recoveryMs.max)}`) },
  { name: 'connection attempts', value: (s) => int(s.attempts) },
];

/** Why a storm failed, or did not run; null when it passed. */
export function stormProblem({ storm, standing }: StormRow, report: Pick<Report, 'summary'>): string | null {
  if (!standing.ran) {
    return storm.atSeconds >= report.summary.durationSeconds
      ? `not run: the run ended at ${decimal(report.summary.durationSeconds)} s, before the storm`
      : 'not run: the storm never struck';
  }
  if (!standing.failed) return null;
  return `${int(standing.lost)} of ${int(storm.viewers)} dropped viewers never had a frame again`;
}

/** Seconds from the storm until all dropped viewers had a frame again, else until the run's end: a JUnit case's time. */
export function stormSeconds({ storm, standing }: StormRow, report: Pick<Report, 'summary'>): number {
  if (!standing.ran || storm.viewers === 0) return 0;
  if (storm.recoveryAllMs !== null) return storm.recoveryAllMs / 1000;
  return Math.max(0, report.summary.durationSeconds - (storm.struckAtSeconds ?? storm.atSeconds));
}
