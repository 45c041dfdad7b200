import { parseThreshold, type Threshold } from '../report/thresholds.js';
import { parseDuration, parseInteger } from './units.js';
import { parseMinDuration, resolveEngineOptions, type EngineFlags, type EngineOptions } from './engine-options.js';

/** What commander hands the run command: raw text, checked here. */
export interface RunFlags extends EngineFlags {
  maxStreams?: string;
  duration: string;
  rampUp: string;
  threshold: string[];
  junit?: string;
}

export interface RunOptions extends EngineOptions {
  /** undefined: not given (ask on a terminal, else the default). */
  maxStreams: number | undefined;
  durationMs: number;
  rampUpMs: number;
  thresholds: Threshold[];
  junit?: string;
}

export function resolveRunOptions(flags: RunFlags, env: NodeJS.ProcessEnv, apiUrlGiven: boolean): RunOptions {
  return {
    ...resolveEngineOptions(flags, env, apiUrlGiven),
    maxStreams: flags.maxStreams === undefined ? undefined : parseInteger(flags.maxStreams, '--max-streams', 1, 100_000),
    durationMs: parseMinDuration(flags.duration, '--duration', 1),
    rampUpMs: parseDuration(flags.rampUp, '--ramp-up'),
    thresholds: flags.threshold.map(parseThreshold),
    ...(flags.junit === undefined ? {} : { junit: flags.junit }),
  };
}
