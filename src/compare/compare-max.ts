import type { MaxReport } from '../max/max-report.js';
import { PLANS_DIFFER } from './compare-reports.js';
import type { CompareLine, CompareResult, CompareSide, NoiseThreshold } from './compare-types.js';
import { beyondNoise } from './noise.js';

// Two `max` reports compared (issue 31): a search has no samples to test, but it brackets the server's limit
// between its highest stable level and the lowest unstable one above it. The limit moved when the brackets do not
// overlap, and by more than the noise threshold.

export interface MaxCompareInput {
  base: MaxReport;
  next: MaxReport;
  files: { base: string; next: string };
  noise?: number;
  allowDifferentPlans: boolean;
  version: string;
}

/** What makes a level stable, and what it was tried on: runs that differ here searched for different things. */
const CRITERIA = ['trialSeconds', 'maxReconnects', 'minFps', 'relativeFps', 'streamsPerCamera'] as const;

/** [highest stable, lowest unstable above it): 0 stable when even the lowest was not; null above when none was tried. */
function bracket(report: MaxReport): { low: number; high: number | null } {
  const low = report.result.maxStableStreams ?? 0;
  const above = report.trials.filter((t) => !t.verdict.stable && t.level > low).map((t) => t.level);
  return { low, high: above.length === 0 ? null : Math.min(...above) };
}

function side(report: MaxReport, file: string): CompareSide {
  const { boundedByClient, boundedByClientReason } = report.result;
  return {
    file,
    startedAt: report.startedAt,
    schemaVersion: report.schemaVersion,
    streams: Math.max(0, ...report.trials.map((t) => t.level)),
    cameras: report.result.cameraCapacity ?? 0,
    valid: !boundedByClient,
    ...(boundedByClient ? { invalidReason: boundedByClientReason ?? 'camera-load saturated' } : {}),
    interrupted: report.interrupted,
    partial: false,
  };
}

function warnings(report: MaxReport, label: 'BASE' | 'NEW'): string[] {
  const out: string[] = [];
  if (report.result.boundedByClient) out.push(`${label}: the search stopped because camera-load itself saturated: its level is a lower bound`);
  if (report.result.boundedByCameras === true) out.push(`${label}: the search reached the cameras' capacity: the server's limit is above it`);
  if (report.interrupted) out.push(`${label}: the search was interrupted`);
  return out;
}

const levelText = (b: { low: number; high: number | null }): string => `${b.low}–${b.high === null ? 'untried' : b.high - 1}`;

function levelLine(input: MaxCompareInput, lineWarnings: string[]): CompareLine {
  const [b, n] = [bracket(input.base), bracket(input.next)];
  const threshold: NoiseThreshold = { relative: input.noise ?? 0.05, absolute: 0 };
  const change = n.low - b.low;
  // Worse: the new limit lies below a level the base held; better: the new holds a level the base could not.
  const worse = n.high !== null && n.high <= b.low;
  const better = b.high !== null && n.low >= b.high;
  const significant = worse || better;
  const verdict = significant && beyondNoise(change, b.low, threshold) ? (better ? 'better' : 'worse') : 'same';
  return {
    figure: 'maxStableStreams',
    scope: {},
    name: 'maximum stable streams',
    unit: 'streams',
    better: 'higher',
    base: input.base.result.maxStableStreams,
    new: input.next.result.maxStableStreams,
    change,
    relativeChange: b.low === 0 ? null : change / b.low,
    interval: b.high === null || n.high === null ? null : { low: n.low - (b.high - 1), high: n.high - 1 - b.low },
    pValue: null,
    samples: { base: input.base.trials.length, new: input.next.trials.length },
    method: `each search brackets the limit between its highest stable level and the lowest unstable one above it (BASE ${levelText(b)}, NEW ${levelText(n)}); significant when the brackets do not overlap`,
    threshold,
    significant,
    verdict,
    warnings: lineWarnings,
  };
}

/** Searches for different things (another trial length, other stability criteria): undefined when alike. */
export function searchDifference(base: Record<string, unknown>, next: Record<string, unknown>): string | undefined {
  const differing = CRITERIA.filter((key) => JSON.stringify(base[key]) !== JSON.stringify(next[key]));
  return differing.length === 0 ? undefined : `the searches differ in ${differing.join(', ')}`;
}

function criteriaDifference(base: MaxReport, next: MaxReport): string | undefined {
  const criteria = searchDifference(base.config, next.config);
  const capacity =
    base.result.cameraCapacity === next.result.cameraCapacity
      ? undefined
      : `the cameras allow ${base.result.cameraCapacity ?? '?'} and ${next.result.cameraCapacity ?? '?'} streams`;
  return [criteria, capacity].filter((d) => d !== undefined).join('; ') || undefined;
}

export function compareMaxReports(input: MaxCompareInput): CompareResult {
  const difference = criteriaDifference(input.base, input.next);
  if (difference !== undefined && !input.allowDifferentPlans) throw PLANS_DIFFER(difference, '--allow-different-plans compares them anyway');
  const sideWarnings = [...warnings(input.base, 'BASE'), ...warnings(input.next, 'NEW')];
  const line = levelLine(input, sideWarnings);
  const named = (verdict: string): string[] => (line.verdict === verdict ? [line.name] : []);
  return {
    schemaVersion: 1,
    tool: { name: 'camera-load', version: input.version },
    command: 'compare',
    kind: 'max',
    base: side(input.base, input.files.base),
    new: side(input.next, input.files.next),
    verdict: line.verdict === 'not compared' ? 'same' : line.verdict,
    worse: named('worse'),
    better: named('better'),
    noiseOverride: input.noise ?? null,
    warnings: difference === undefined ? sideWarnings : [`different searches, compared as asked (--allow-different-plans): ${difference}`, ...sideWarnings],
    lines: [line],
  };
}
