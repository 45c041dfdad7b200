import { encodeHistogram, percentiles, valueAtPercentile, type Percentiles } from '../metrics/gap-histogram.js';
import { addedHistogram } from '../metrics/encoded-histograms.js';
import type { Storm } from '../stages.js';
import { round } from './numbers.js';

// Each reconnect storm's recovery (`--storm-at`, issue 30), from mergeable pieces: counts and the encoded histogram
// of recovery times, one per process (a merge of shards has one per shard, added here).

/** One storm as the report holds it. */
export interface StormReport {
  /** 1-based, in time order. */
  storm: number;
  atSeconds: number;
  immediate: boolean;
  /** When it struck (its timer can fire late on a busy client); the latest over shards. */
  struckAtSeconds: number | null;
  /** Viewers with a stream open at the storm: the ones it dropped. */
  viewers: number;
  /** Of those, the ones that had a frame again before the run ended. */
  recovered: number;
  /** Until 95% and all of the dropped viewers had a frame again (ms); null when fewer recovered by the run's end. */
  recovery95Ms: number | null;
  recoveryAllMs: number | null;
  /** The recovered viewers' times, from the storm to their first frame after it (ms). */
  recoveryMs: Percentiles;
  recoveryHistogram: string;
  /** Connection attempts of the dropped viewers until each had a frame again, and the codes that ended connections meanwhile. */
  attempts: number;
  errors: Record<string, number>;
}

/** One storm's counts and encoded histograms, from one process or over shards. */
export interface StormInput {
  storm: Storm;
  struckAtMs: number | undefined;
  viewers: number;
  attempts: number;
  errors: Record<string, number>;
  recoveryHistograms: readonly string[];
}

/** The time by which `share` of `viewers` had recovered: the rank over all of them, those not recovered last. */
function recoveredBy(buckets: readonly number[], counts: readonly number[], recovered: number, viewers: number, share: number): number | null {
  const needed = Math.ceil(viewers * share);
  if (viewers === 0 || recovered < needed) return null;
  return valueAtPercentile(buckets, counts, recovered, (needed / recovered) * 100);
}

export function stormReports(inputs: readonly StormInput[]): StormReport[] {
  return inputs.map((input, i) => {
    const total = addedHistogram(input.recoveryHistograms, 1);
    const { buckets, counts } = total.sortedBuckets();
    const recovered = total.totalCount;
    return {
      storm: i + 1,
      atSeconds: round(input.storm.atMs / 1000),
      immediate: input.storm.immediate,
      struckAtSeconds: input.struckAtMs === undefined ? null : round(input.struckAtMs / 1000),
      viewers: input.viewers,
      recovered,
      recovery95Ms: recoveredBy(buckets, counts, recovered, input.viewers, 0.95),
      recoveryAllMs: recoveredBy(buckets, counts, recovered, input.viewers, 1),
      recoveryMs: percentiles(total),
      recoveryHistogram: recovered === 0 ? '' : encodeHistogram(total),
      attempts: input.attempts,
      errors: input.errors,
    };
  });
}
