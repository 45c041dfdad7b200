import { addCounts } from '../metrics/timeline.js';
import type { Storm } from '../stages.js';
import { checkShardsRanAlike } from './merge-plans.js';
import type { Report, StormReport } from './report-types.js';
import { stormReports, type StormInput } from './storm-reports.js';

// The storms of a sharded run with --storm-at. Every shard dropped its own open streams at the same instants of
// its own run clock, so each storm's counts add up and its recovery histograms (one encoding per shard) are added
// by the code that builds one process's storms (stormReports): the recovery ranks are over all the dropped viewers.

/** The storm as it was asked for (to the millisecond, as the report writes it). */
const stormOf = (storm: StormReport): Storm => ({ atMs: Math.round(storm.atSeconds * 1000), immediate: storm.immediate });

/** Every shard ran the first one's --storm-at (the same storms, at the same times, alike immediate). */
export const checkStormPlans = (reports: readonly Report[], names: readonly string[]): void => {
  checkShardsRanAlike(reports, names, {
    flag: '--storm-at',
    ran: (report) => report.storms && JSON.stringify(report.storms.map(stormOf)),
    missing: 'has no storms where {first} has some',
    extra: 'has storms where {first} has none',
    other: 'ran other storms than {first} (their storms[] do not come at the same times, alike immediate)',
  });
};

const sum = (storms: readonly StormReport[], key: 'viewers' | 'attempts'): number => storms.reduce((total, s) => total + s[key], 0);

/** One storm over the shards: its counts added, the latest strike, and every shard's histogram for stormReports to add. */
function stormInput(storms: readonly StormReport[]): StormInput {
  const struck = storms.flatMap((s) => (s.struckAtSeconds === null ? [] : [Math.round(s.struckAtSeconds * 1000)]));
  return {
    storm: stormOf(storms[0] as StormReport),
    struckAtMs: struck.length === 0 ? undefined : Math.max(...struck),
    viewers: sum(storms, 'viewers'),
    attempts: sum(storms, 'attempts'),
    errors: storms.reduce<Record<string, number>>((total, s) => addCounts(total, s.errors), {}),
    recoveryHistograms: storms.map((s) => s.recoveryHistogram),
  };
}

/** Pure: the merged storms (absent when the shards had none), the shards' storms checked alike (checkStormPlans). */
export function mergedStorms(sorted: readonly Report[]): Pick<Report, 'storms'> {
  const lists = sorted.flatMap((r) => (r.storms ? [r.storms] : []));
  const first = lists[0];
  if (first === undefined) return {};
  return { storms: stormReports(first.map((_, i) => stormInput(lists.map((storms) => storms[i] as StormReport)))) };
}
