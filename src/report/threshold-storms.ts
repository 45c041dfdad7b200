import type { Report, StormReport } from './report-types.js';
import type { ThresholdSelector } from './threshold-selectors.js';

// Thresholds on the reconnect storms of --storm-at (issue 30): `storm.recovery_ms.max<10s`. A run's storms are
// judged by the worst of them, and a storm whose viewers were not all back by the run's end has no recovery time
// at all: it fails, as a figure the run does not have fails, rather than passing on the viewers who did return.

/** The slowest storm's `pick`; null when the run had no storms or one of them has no such figure. */
function worstStorm(report: Report, pick: (storm: StormReport) => number | null): number | null {
  const storms = report.storms;
  if (storms === undefined || storms.length === 0) return null;
  let worst = 0;
  for (const storm of storms) {
    const value = pick(storm);
    if (value === null) return null;
    worst = Math.max(worst, value);
  }
  return worst;
}

/** The metrics (threshold-metrics.ts lists them with the others). */
export const STORM_METRICS = [
  {
    name: 'storm.recovery_ms.p95',
    unit: 'ms',
    description: "--storm-at, the slowest storm: until 95% of the viewers it dropped had a frame again; fails when fewer had by the run's end",
    read: (r: Report): number | null => worstStorm(r, (s) => s.recovery95Ms),
  },
  {
    name: 'storm.recovery_ms.max',
    unit: 'ms',
    description: "--storm-at, the slowest storm: until every viewer it dropped had a frame again; fails when one had not by the run's end",
    read: (r: Report): number | null => worstStorm(r, (s) => s.recoveryAllMs),
  },
  {
    name: 'storm.lost_viewers',
    unit: 'viewers',
    description: "--storm-at: viewers a storm dropped that had no frame again by the run's end, all storms added",
    read: (r: Report): number | null => (r.storms === undefined ? null : r.storms.reduce((n, s) => n + s.viewers - s.recovered, 0)),
  },
] as const;

const STORM_METRIC_NAMES: ReadonlySet<string> = new Set(STORM_METRICS.map((m) => m.name));

/** Why `metric` (`name` its own) cannot take this selector; undefined when it can. */
export function stormSelectorProblem(metric: string, name: string, selector: ThresholdSelector): string | undefined {
  if (!STORM_METRIC_NAMES.has(name) || Object.keys(selector).length === 0) return undefined;
  return `${metric} is over every storm of the run and every viewer it dropped: it takes no selector`;
}
