import type { Camera } from '../cameras/camera.js';
import { compareReports, planDifference, planShape, PLANS_DIFFER } from '../compare/compare-reports.js';
import type { CompareResult } from '../compare/compare-types.js';
import { ExitCode } from '../exit-codes.js';
import { readRunReport } from '../files/read-reports.js';
import type { Report } from '../report/report-types.js';
import { renderCompare } from '../render/compare-table.js';
import { VERSION } from '../version.js';

// `run --baseline BASE.json` (issue 31): the file is read and checked before anything runs, the plan is checked
// as soon as it is made, and the run's report is compared with it at the end, as `camera-load compare` would.

export interface Baseline {
  file: string;
  report: Report;
}

export async function readBaseline(file: string | undefined): Promise<Baseline | undefined> {
  return file === undefined ? undefined : { file, report: await readRunReport(file, '--baseline') };
}

/** A plan other than the baseline's is refused before a stream opens (exit 2): its verdicts would compare unlike runs. */
export function checkBaselinePlan(baseline: Baseline | undefined, streams: readonly Camera[]): void {
  if (baseline === undefined) return;
  const difference = planDifference(planShape(baseline.report.streams.map((s) => s.cameraId)), planShape(streams.map((s) => s.id)));
  if (difference !== undefined)
    throw PLANS_DIFFER(
      `--baseline ${baseline.file}: ${difference}`,
      'run the same cameras and --max-streams, or compare the reports afterwards with camera-load compare --allow-different-plans',
    );
}

/** The run compared with its baseline (its plan was checked before it ran), as the table shows it; exit 1 when a figure is worse. */
export function compareWithBaseline(baseline: Baseline, report: Report, reportFile: string): { result: CompareResult; text: string; code: ExitCode } {
  const result = compareReports({
    base: baseline.report,
    next: report,
    files: { base: baseline.file, next: reportFile },
    allowDifferentPlans: true,
    version: VERSION,
  });
  return { result, text: renderCompare(result), code: result.verdict === 'worse' ? ExitCode.THRESHOLD_FAILED : ExitCode.OK };
}
