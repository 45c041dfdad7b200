import type { Report, StormReport } from '../report/report-types.js';

// How each reconnect storm of `--storm-at` (issue 30) fared, one rule for every output that marks a storm (JUnit, the
// job summary, the HTML page): a storm after which some dropped viewer never had a frame again failed, whatever the
// run's verdict says.

export interface StormStanding {
  /** The run ended before the storm's time (interrupted), or its timer never fired: nothing was dropped, nothing to judge. */
  ran: boolean;
  /** Dropped viewers without a frame again by the run's end. */
  lost: number;
  /** It ran and some dropped viewer never recovered. */
  failed: boolean;
}

/** Pure: how one storm of `report.storms` fared. */
export function stormStanding(report: Pick<Report, 'summary'>, storm: StormReport): StormStanding {
  const ran = storm.atSeconds < report.summary.durationSeconds && storm.struckAtSeconds !== null;
  const lost = ran ? Math.max(0, storm.viewers - storm.recovered) : 0;
  return { ran, lost, failed: lost > 0 };
}

/** A storm of the report with how it fared: what each output's row of it is drawn from. */
export interface StormWithStanding {
  storm: StormReport;
  standing: StormStanding;
}

/** Every storm of the report with how it fared; empty for a run without --storm-at. */
export const stormStandingsOf = (report: Pick<Report, 'summary' | 'storms'>): StormWithStanding[] =>
  (report.storms ?? []).map((storm) => ({ storm, standing: stormStanding(report, storm) }));
