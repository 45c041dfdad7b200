import { DEFAULT_CRITERIA, type StabilityCriteria } from '../max/stability.js';
import { UsageError } from '../errors.js';
import { parseMinDuration, resolveEngineOptions, type EngineFlags, type EngineOptions } from './engine-options.js';
import { resolveMetricsOptions, type MetricsFlags, type MetricsOptions } from './run-options.js';
import { parseInteger, parsePositiveNumber } from './units.js';
import { defined } from '../defined.js';

/** What commander hands the max command: raw text, checked here. */
export interface MaxFlags extends EngineFlags, MetricsFlags {
  start?: string;
  maxStreams?: string;
  min: string;
  trial: string;
  cooldown: string;
  precision: string;
  maxReconnects: string;
  minFps?: string;
  baseline?: string;
}

export interface MaxOptions extends EngineOptions {
  start: number | undefined;
  maxStreams: number | undefined;
  min: number;
  trialMs: number;
  cooldownMs: number;
  precision: number;
  criteria: StabilityCriteria;
  /** `--metrics-port`: the live Prometheus endpoint; undefined: none. */
  metrics?: MetricsOptions;
  /** --baseline: the max report to compare with at the end (read and checked before the search). */
  baseline?: string;
}

/** Checks the max command's flags once, at the edge. */
export function resolveMaxOptions(flags: MaxFlags, env: NodeJS.ProcessEnv, apiUrlGiven: boolean): MaxOptions {
  const min = parseInteger(flags.min, '--min', 1, 100_000);
  const start = flags.start === undefined ? undefined : parseInteger(flags.start, '--start', 1, 100_000);
  if (start !== undefined && start < min) throw new UsageError(`--start (${start}) must not be below --min (${min})`);
  const metrics = resolveMetricsOptions(flags);
  return {
    ...resolveEngineOptions(flags, env, apiUrlGiven),
    start,
    maxStreams: flags.maxStreams === undefined ? undefined : parseInteger(flags.maxStreams, '--max-streams', 1, 100_000),
    min,
    trialMs: parseMinDuration(flags.trial, '--trial', 1_000),
    cooldownMs: parseMinDuration(flags.cooldown, '--cooldown', 0),
    precision: parseInteger(flags.precision, '--precision', 1, 100_000),
    criteria: {
      ...DEFAULT_CRITERIA,
      maxReconnects: parseInteger(flags.maxReconnects, '--max-reconnects', 0, 1_000_000),
      ...(flags.minFps === undefined ? {} : { minFps: parsePositiveNumber(flags.minFps, '--min-fps') }),
    },
    ...defined({ metrics, baseline: flags.baseline }),
  };
}
