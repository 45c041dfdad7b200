import type { Camera } from '../cameras/camera.js';
import { compareMaxReports, searchDifference } from '../compare/compare-max.js';
import { compareReports, planDifference, planShape, PLANS_DIFFER } from '../compare/compare-reports.js';
import type { CompareResult } from '../compare/compare-types.js';
import { ExitCode } from '../exit-codes.js';
import { UsageError } from '../errors.js';
import { readAnyReport } from '../files/read-reports.js';
import type { MaxReport } from '../max/max-report.js';
import type { Report } from '../report/report-types.js';
import { renderCompare } from '../render/compare-table.js';
import { VERSION } from '../version.js';

// `run --baseline BASE.json` and `max --baseline` (issue 31): the file is read and checked before anything runs,
// the plan is checked as soon as it is made, and the report is compared with it at the end, as `camera-load
// compare` would.

export interface Baseline<R = Report> {
  file: string;
  report: R;
}

/** The result as the table shows it, and the exit code it stands for (1: worse). */
export interface Compared {
  result: CompareResult;
  text: string;
  code: ExitCode;
}

const compared = (result: CompareResult): Compared => ({
  result,
  text: renderCompare(result),
  code: result.verdict === 'worse' ? ExitCode.THRESHOLD_FAILED : ExitCode.OK,
});

/** `run --baseline`: a run's report (a run, or a merge of shards), or exit 2. */
export async function readBaseline(file: string | undefined): Promise<Baseline | undefined> {
  if (file === undefined) return undefined;
  const report = await readAnyReport(file);
  if (report.command === 'max')
    throw new UsageError(`--baseline ${file}: a max report; run compares with a run's report (or a merge of shards) (ERR_COMPARE_NOT_A_RUN)`, {
      code: 'ERR_COMPARE_NOT_A_RUN',
    });
  return { file, report };
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

/** The run compared with its baseline (its plan was checked before it ran). */
export function compareWithBaseline(baseline: Baseline, report: Report, reportFile: string): Compared {
  const files = { base: baseline.file, next: reportFile };
  return compared(compareReports({ base: baseline.report, next: report, files, allowDifferentPlans: true, version: VERSION }));
}

/** `max --baseline`: a max report, and a search for the same thing (trial length, stability criteria), or exit 2. */
export async function readMaxBaseline(file: string | undefined, config: Record<string, unknown>): Promise<Baseline<MaxReport> | undefined> {
  if (file === undefined) return undefined;
  const report = await readAnyReport(file);
  if (report.command !== 'max')
    throw new UsageError(`--baseline ${file}: a run report; max compares with a max report (ERR_COMPARE_NOT_A_SEARCH)`, { code: 'ERR_COMPARE_NOT_A_SEARCH' });
  const difference = searchDifference(report.config, config);
  if (difference !== undefined)
    throw PLANS_DIFFER(
      `--baseline ${file}: ${difference}`,
      'search as the baseline did, or compare the reports afterwards with camera-load compare --allow-different-plans',
    );
  return { file, report };
}

/** The search compared with its baseline's. */
export function compareMaxWithBaseline(baseline: Baseline<MaxReport>, report: MaxReport, reportFile: string): Compared {
  const files = { base: baseline.file, next: reportFile };
  return compared(compareMaxReports({ base: baseline.report, next: report, files, allowDifferentPlans: true, version: VERSION }));
}
