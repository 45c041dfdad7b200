import type { TimelineRow } from '../metrics/timeline.js';
import type { FreshnessSummary, Report, ShardSummary, StreamFreshness, StreamReport, ThresholdResult } from '../report/report-types.js';

// Schema 1 grew fields after its first reports were written (shard, host, planFingerprint, `at`, thresholds,
// frame-gap histograms, errors by code, freshness): an old report must still render, so the page reads them
// through these. An absent freshness field means "not measured", never zero.

type FreshnessFields = 'freshFps' | 'timestampedFrames' | 'delayMsMean';

export interface LooseTimelineRow extends Omit<TimelineRow, 'errorsByCode' | FreshnessFields>, Partial<Pick<TimelineRow, FreshnessFields>> {
  at?: number;
  errorsByCode?: Record<string, number>;
}

/** A field as an older report may have it: absent. */
function older<T, K extends keyof T>(value: T, key: K): T[K] | undefined {
  const loose: Partial<T> = value;
  return loose[key];
}

export const thresholdsOf = (report: Report): readonly ThresholdResult[] => older(report, 'thresholds') ?? [];

export const timelineOf = (report: Report): readonly LooseTimelineRow[] => older(report, 'timeline') ?? [];

export const gapHistogramOf = (stream: StreamReport): string => older(stream, 'frameGapHistogram') ?? '';

export const samplesOf = (report: Report): Report['system']['samples'] => older(report.system, 'samples') ?? [];

export const hostOf = (report: Report): string | null => older(report, 'host') ?? null;

export const fingerprintOf = (report: Report): string | null => older(report, 'planFingerprint') ?? null;

export const shardOf = (report: Report): Report['shard'] => older(report, 'shard') ?? null;

/** null: the report was written before freshness was measured. */
export const freshnessOf = (report: Report): FreshnessSummary | null => older(report.summary, 'freshness') ?? null;

export const streamFreshnessOf = (stream: StreamReport): StreamFreshness | null => older(stream, 'freshness') ?? null;

/** A merged shard's own settings; null: merged before they were kept (the report's config is then shard 1's). */
export const shardConfigOf = (shard: ShardSummary): Record<string, unknown> | null => {
  // A file read back is typed by trust, not checked: a hand-edited one may hold anything here.
  const config: unknown = older(shard, 'config');
  return typeof config === 'object' && config !== null && !Array.isArray(config) ? (config as Record<string, unknown>) : null;
};

/** The settings a merge's shards did not run alike: none in a shard's report, or in a merge older than the list. */
export const settingsDifferingOf = (report: Report): string[] => {
  const differing: unknown = older(report, 'settingsDiffering');
  return Array.isArray(differing) ? differing.filter((key): key is string => typeof key === 'string') : [];
};
