import { UsageError } from '../errors.js';
import type { ShardId } from '../report/report-types.js';
import { checkThresholdStages, parseThreshold, type Threshold } from '../report/thresholds.js';
import { parseStartAt } from './start-at.js';
import { MAX_DURATION_MS, parseDuration, parseInteger } from './units.js';
import { parseMinDuration, resolveEngineOptions, type EngineFlags, type EngineOptions } from './engine-options.js';
import { defined } from '../defined.js';
import type { ViewerPlan } from '../viewers.js';
import { parseSeed, resolveViewerPlan, type ViewerFlags } from './viewer-options.js';
import { checkStagesAgainst, parseStages } from './stage-options.js';
import { peakTarget, stagesDurationMs, type Stage, type Storm } from '../stages.js';
import { parseStorms } from './storm-options.js';
import { DEFAULTS } from './defaults.js';
import type { OpenModel } from '../arrivals.js';
import { checkArrivalFlags, openModel, parseArrivalRate, type ArrivalFlags } from './arrival-options.js';

/** The live Prometheus endpoint's flags (run and max). */
export interface MetricsFlags {
  metricsPort?: string;
  metricsHost?: string;
  metricsPerCamera?: boolean;
}

/** `--metrics-port`: where the live /metrics endpoint listens, and whether it has a series per camera. */
export interface MetricsOptions {
  /** 0: any free port (the address is printed). */
  port: number;
  host: string;
  perCamera: boolean;
}

// A host name (RFC 1123 labels), an IPv4 address or an IPv6 one (with or without brackets). Whether this machine
// has that address is found out by listening, before any stream opens.
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[?[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*\]?)$/;

/** undefined without --metrics-port: no endpoint. */
export function resolveMetricsOptions(flags: MetricsFlags): MetricsOptions | undefined {
  if (flags.metricsPort === undefined) {
    if (flags.metricsPerCamera === true) throw new UsageError('--metrics-per-camera needs --metrics-port', { code: 'ERR_METRICS' });
    return undefined;
  }
  const host = (flags.metricsHost ?? '127.0.0.1').trim();
  if (host === '' || host.length > 253 || !HOST.test(host)) {
    throw new UsageError(`--metrics-host expects a host name or an IP address of this machine, e.g. 127.0.0.1 or 0.0.0.0; got '${flags.metricsHost ?? ''}'`, {
      code: 'ERR_METRICS_HOST',
    });
  }
  return {
    port: parseInteger(flags.metricsPort, '--metrics-port', 0, 65_535),
    host: host.replace(/^\[(.*)\]$/, '$1'),
    perCamera: flags.metricsPerCamera === true,
  };
}

/** What commander hands the run command: raw text, checked here. */
export interface RunFlags extends EngineFlags, MetricsFlags, ViewerFlags, ArrivalFlags {
  maxStreams?: string;
  /** undefined: not given (the default, or the sum of the stages or of the arrival rate's spans). */
  duration?: string;
  rampUp?: string;
  stages?: string;
  stormAt?: string;
  threshold: string[];
  baseline?: string;
  junit?: string;
  shard?: string;
  shards?: string;
  startAt?: string;
}

export interface RunOptions extends EngineOptions {
  /** undefined: not given (ask on a terminal, else the default); with --arrival-rate always set: the most viewers open at once. */
  maxStreams: number | undefined;
  durationMs: number;
  rampUpMs: number;
  thresholds: Threshold[];
  /** --baseline: the report to compare with at the end (read and checked before the run). */
  baseline?: string;
  junit?: string;
  /** This process's share of a sharded run; undefined: the whole plan. */
  shard?: ShardId;
  /** `--start-at`: the wall-clock instant (epoch ms) the ramp starts; undefined: at once. */
  startAt?: number;
  /** `--metrics-port`: the live Prometheus endpoint; undefined: none. */
  metrics?: MetricsOptions;
  /** `--slow-viewers`, `--pausing-viewers`, `--stuck-viewers`, `--lead-in`: undefined: none, every viewer normal. */
  viewers?: ViewerPlan;
  /** `--seed`: seeds every random choice of the plan (viewer groups, backoff jitter); the same in every shard. */
  seed: number;
  /** `--stages`: the concurrent streams over time; the run lasts their sum. undefined: every stream held from its ramp-up place to the end. */
  stages?: Stage[];
  /** `--storm-at`: when the client drops every open stream, in time order. */
  storms?: Storm[];
  /** `--arrival-rate`, `--watch-time`, `--camera-popularity`: viewers come and go; the run lasts a staged rate's sum. undefined: no open model. */
  arrivals?: OpenModel;
}

const MAX_SHARDS = 10_000;

/** `--shard i/n` (1-based), or `--shards n` with the 0-based index Kubernetes puts in JOB_COMPLETION_INDEX. */
export function resolveShard(flags: Pick<RunFlags, 'shard' | 'shards'>, env: NodeJS.ProcessEnv): ShardId | undefined {
  if (flags.shard !== undefined && flags.shards !== undefined) throw new UsageError('choose one of --shard i/n and --shards n');
  if (flags.shard !== undefined) {
    const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(flags.shard);
    const index = Number(match?.[1]);
    const count = Number(match?.[2]);
    if (!match || count < 1 || count > MAX_SHARDS || index < 1 || index > count) {
      throw new UsageError(`--shard expects i/n with 1 <= i <= n <= ${MAX_SHARDS}, e.g. 2/4; got '${flags.shard}'`);
    }
    return { index, count };
  }
  if (flags.shards === undefined) return undefined;
  const count = parseInteger(flags.shards, '--shards', 1, MAX_SHARDS);
  const given = env.JOB_COMPLETION_INDEX;
  if (given === undefined || given.trim() === '') {
    throw new UsageError('--shards takes the shard index from JOB_COMPLETION_INDEX (0-based), which is not set; outside Kubernetes use --shard i/n');
  }
  if (!/^\d+$/.test(given.trim()) || Number(given) >= count) {
    throw new UsageError(`JOB_COMPLETION_INDEX must be a whole number from 0 to ${count - 1} for --shards ${count}; got '${given}'`);
  }
  return { index: Number(given) + 1, count };
}

/** `now` is the clock `--start-at` is read against (a clock time means today). */
export function resolveRunOptions(flags: RunFlags, env: NodeJS.ProcessEnv, apiUrlGiven: boolean, now: Date): RunOptions {
  const shard = resolveShard(flags, env);
  const startAt = flags.startAt === undefined ? undefined : parseStartAt(flags.startAt, now);
  const metrics = resolveMetricsOptions(flags);
  const maxStreams = flags.maxStreams === undefined ? undefined : parseInteger(flags.maxStreams, '--max-streams', 1, 100_000);
  const stages = flags.stages === undefined ? undefined : parseStages(flags.stages);
  const given = { stages: stages !== undefined, duration: flags.duration !== undefined, rampUp: flags.rampUp !== undefined };
  const rate = flags.arrivalRate === undefined ? undefined : parseArrivalRate(flags.arrivalRate);
  // First, so that --stages beside a rate is told as the one conflict it is, not as --stages' own.
  checkArrivalFlags(rate, flags, given);
  if (stages) checkStagesAgainst(stages, { ...given, maxStreams });
  const duration = flags.duration ?? DEFAULTS.duration;
  const rampUp = flags.rampUp ?? DEFAULTS.rampUp;
  const durationMs = stages ? stagesDurationMs(stages) : rate?.kind === 'staged' ? stagesDurationMs(rate.rates) : parseMinDuration(duration, '--duration', 1);
  const rampUpMs = stages || rate ? 0 : parseDuration(rampUp, '--ramp-up');
  // The run, then its shutdown budget, is one timer: together they must fit Node's (a minute kept for the budget).
  if (durationMs + rampUpMs > MAX_DURATION_MS - 60_000)
    throw new UsageError(`--duration and --ramp-up take at most 24 days together; got ${duration} and ${rampUp}`);
  const viewers = resolveViewerPlan(flags, { durationMs, rampUpMs });
  const storms = flags.stormAt === undefined ? undefined : parseStorms(flags.stormAt, durationMs);
  const arrivals = rate && openModel(rate, flags, durationMs);
  const thresholds = flags.threshold.map(parseThreshold);
  // A stage the plan does not have is refused now, not found missing after the run; a plain rate is one stage.
  checkThresholdStages(thresholds, stages?.length ?? arrivals?.rates.length);
  return {
    ...resolveEngineOptions(flags, env, apiUrlGiven),
    // With stages, the highest target is the stream count; with an arrival rate, the cap on viewers open at once: nothing to ask.
    maxStreams: stages ? peakTarget(stages) : (maxStreams ?? (arrivals ? DEFAULTS.maxStreams : undefined)),
    durationMs,
    rampUpMs,
    thresholds,
    seed: parseSeed(flags.seed),
    ...defined({ baseline: flags.baseline, junit: flags.junit, shard, startAt, metrics, viewers, stages, storms, arrivals }),
  };
}
