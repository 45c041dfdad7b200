import { DEFAULTS } from '../options/defaults.js';
import { parseDuration } from '../options/units.js';

/** Exponential backoff with full jitter (AWS architecture blog's "full jitter"): spreads reconnect storms. */
export interface BackoffPolicy {
  baseMs: number;
  factor: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { ...DEFAULTS.backoff, maxMs: parseDuration(DEFAULTS.backoffMax, '--backoff-max') };

/** The ceiling for retry `attempt` (1 = first retry): min(max, base × factor^(attempt − 1)). */
export function backoffCeiling(policy: BackoffPolicy, attempt: number): number {
  if (attempt < 1) return 0;
  // Past ~60 doublings the power overflows to Infinity; min() still gives maxMs.
  return Math.min(policy.maxMs, policy.baseMs * policy.factor ** (attempt - 1));
}

/** A delay drawn uniformly from [0, ceiling]; `random` is injected so tests are exact. */
export function backoffDelay(policy: BackoffPolicy, attempt: number, random: () => number = Math.random): number {
  return Math.floor(random() * backoffCeiling(policy, attempt));
}
