import type { Report } from '../report/report-types.js';

// A side whose figures may understate the server (camera-load saturated or late, the run interrupted, shards
// missing) is named on every line: a verdict resting on it is never silent.

function warningsOf(report: Report, label: 'BASE' | 'NEW'): string[] {
  const warnings: string[] = [];
  const { valid, invalidReason, durationSeconds, targetDurationSeconds } = report.summary;
  if (!valid)
    warnings.push(`${label}: camera-load itself was saturated or late (${invalidReason ?? 'no reason given'}): its figures may understate the server`);
  if (report.interrupted) warnings.push(`${label}: the run was interrupted after ${durationSeconds.toFixed(1)} s of ${targetDurationSeconds} s`);
  if (report.partial === true) warnings.push(`${label}: a partial merge, shards ${(report.missingShards ?? []).join(', ')} missing`);
  return warnings;
}

export function sideWarnings(base: Report, next: Report): string[] {
  return [...warningsOf(base, 'BASE'), ...warningsOf(next, 'NEW')];
}
