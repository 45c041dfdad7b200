// A merged report's configuration: what every shard ran with, what each had of its own, and where they disagreed.
// Shard 1's settings are not the test's: its output paths are its own, and its thresholds are not the merge's.

/** Settings each shard has its own of by nature: which share it ran, where it wrote, what it judged itself by. */
export const PER_SHARD_SETTINGS = ['shard', 'output', 'log', 'html', 'junit', 'metrics', 'thresholds'] as const;

export interface MergedConfig {
  /** The settings every shard had alike, and the thresholds the merge checked on the merged figures. */
  common: Record<string, unknown>;
  /** Per shard, in the order given: its PER_SHARD_SETTINGS and every setting the shards disagree on. */
  perShard: Record<string, unknown>[];
  /** Settings that should be common but are not alike in every shard (each shard's value is in perShard). */
  differing: string[];
}

/** Deep equality of JSON values, key order aside (the reports were written by code, but maybe another version's). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((key) => Object.hasOwn(b, key) && sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

const isPerShard = (key: string): boolean => (PER_SHARD_SETTINGS as readonly string[]).includes(key);

/**
 * Pure: the shards' configs (in shard order) → the merged report's. A setting absent from some shards (an older
 * camera-load) differs from one present in all.
 */
export function mergeConfigs(configs: readonly Record<string, unknown>[], thresholds: readonly string[]): MergedConfig {
  const keys = [...new Set(configs.flatMap((config) => Object.keys(config)))];
  const differing = keys.filter(
    (key) => !isPerShard(key) && configs.some((config) => !Object.hasOwn(config, key) || !sameJson(config[key], configs[0]?.[key])),
  );
  const common: Record<string, unknown> = {};
  for (const key of keys) {
    // Where a run's report has its thresholds: here, the merge's (the shards' own unless merge --threshold).
    if (key === 'thresholds') common.thresholds = [...thresholds];
    else if (!isPerShard(key) && !differing.includes(key)) common[key] = configs[0]?.[key];
  }
  common.thresholds ??= [...thresholds];
  const perShard = configs.map((config) =>
    Object.fromEntries(keys.filter((key) => (isPerShard(key) || differing.includes(key)) && Object.hasOwn(config, key)).map((key) => [key, config[key]])),
  );
  return { common, perShard, differing };
}
