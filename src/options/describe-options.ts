import { REDACTED, redactHeaders, redactUrl } from '../text/redact.js';
import { describeProxy } from './proxy.js';
import type { CameraSource } from './camera-source.js';
import { DEFAULTS } from './defaults.js';
import type { EngineOptions } from './engine-options.js';
import type { MaxOptions } from './max-options.js';
import type { RunOptions } from './run-options.js';
import type { ViewerBehaviour, ViewerPlan } from '../viewers.js';
import type { OpenModel, WatchTime } from '../arrivals.js';

function describeSource(source: CameraSource): Record<string, unknown> {
  switch (source.kind) {
    case 'api':
      return { kind: 'api', apiUrl: redactUrl(source.apiUrl) };
    case 'file':
      return { kind: 'file', path: source.path };
    case 'urls':
      return { kind: 'urls', urls: source.urls.map(redactUrl) };
    case 'simulate':
      return { kind: 'simulate', cameras: source.cameras };
  }
}

/** The shared options as the report and the log record them, secrets redacted. */
export function engineConfig(options: EngineOptions, paths: { report: string; log: string; html?: string }): Record<string, unknown> {
  return {
    source: describeSource(options.source),
    headers: redactHeaders(options.headers),
    insecure: options.insecure,
    ca: options.ca ?? null,
    proxy: describeProxy(options.proxy, []),
    cameraAuth: options.cameraAuth === undefined ? null : REDACTED,
    streamsPerCamera: options.streamsPerCamera,
    stallTimeoutSeconds: options.stallTimeoutMs / 1000,
    freezeTimeoutSeconds: options.freezeTimeoutMs / 1000,
    timestampHeaders: { names: [...options.timestampHeaders.names], unit: options.timestampHeaders.unit },
    backoff: { ...DEFAULTS.backoff, maxMs: options.backoffMaxMs },
    intervalSeconds: options.intervalMs / 1000,
    connectConcurrency: options.connectConcurrency,
    apiTimeoutSeconds: options.apiTimeoutMs / 1000,
    saturationCpuPercent: options.saturationCpuPercent,
    output: paths.report,
    html: paths.html ?? null,
    log: paths.log,
  };
}

/** The viewer groups as a run's config records them: each group or null, shares 0-1, times in seconds. */
export interface ViewersConfig {
  leadInSeconds: number;
  slow: { share: number; bytesPerSecond: number } | null;
  pausing: { share: number; pauseSeconds: number; everySeconds: number } | null;
  stuck: { share: number } | null;
}

/** null: no viewer groups, every viewer normal. */
export function viewersConfig(plan: ViewerPlan | undefined): ViewersConfig | null {
  if (plan === undefined) return null;
  const find = <G extends ViewerBehaviour['group']>(group: G): Extract<ViewerBehaviour, { group: G }> | undefined =>
    plan.behaviours.find((b): b is Extract<ViewerBehaviour, { group: G }> => b.group === group);
  const slow = find('slow');
  const pausing = find('pausing');
  const stuck = find('stuck');
  return {
    leadInSeconds: plan.leadInMs / 1000,
    slow: slow === undefined ? null : { share: slow.share, bytesPerSecond: slow.bytesPerSecond },
    pausing: pausing === undefined ? null : { share: pausing.share, pauseSeconds: pausing.pauseMs / 1000, everySeconds: pausing.everyMs / 1000 },
    stuck: stuck === undefined ? null : { share: stuck.share },
  };
}

function watchTimeConfig(watch: WatchTime): Record<string, unknown> {
  switch (watch.kind) {
    case 'fixed':
      return { kind: 'fixed', seconds: watch.ms / 1000 };
    case 'exp':
      return { kind: 'exp', meanSeconds: watch.meanMs / 1000 };
    case 'uniform':
      return { kind: 'uniform', minSeconds: watch.minMs / 1000, maxSeconds: watch.maxMs / 1000 };
  }
}

/** The open model as a run's config records it, times in seconds; each null without --arrival-rate. */
export function arrivalsConfig(model: OpenModel | undefined): { arrivalRate: unknown; watchTime: unknown; cameraPopularity: unknown } {
  if (model === undefined) return { arrivalRate: null, watchTime: null, cameraPopularity: null };
  return {
    arrivalRate: model.rates.map((r) => ({ durationSeconds: r.durationMs / 1000, perSecond: r.perSecond })),
    watchTime: watchTimeConfig(model.watch),
    cameraPopularity: { ...model.popularity },
  };
}

/** Every effective option of `run`, secrets redacted: what its report and log record. */
export function runConfig(options: RunOptions, maxStreams: number | null, paths: { report: string; log: string; html?: string }): Record<string, unknown> {
  return {
    maxStreams,
    durationSeconds: options.durationMs / 1000,
    rampUpSeconds: options.rampUpMs / 1000,
    stages: options.stages?.map((s) => ({ durationSeconds: s.durationMs / 1000, target: s.target })) ?? null,
    storms: options.storms?.map((s) => ({ atSeconds: s.atMs / 1000, immediate: s.immediate })) ?? null,
    ...arrivalsConfig(options.arrivals),
    thresholds: options.thresholds.map((t) => t.expression),
    junit: options.junit ?? null,
    baseline: options.baseline ?? null,
    shard: options.shard ?? null,
    startAt: options.startAt === undefined ? null : new Date(options.startAt).toISOString(),
    metrics: options.metrics ?? null,
    seed: options.seed,
    viewers: viewersConfig(options.viewers),
    ...engineConfig(options, paths),
  };
}

/** Every effective option of `max`, secrets redacted. */
export function maxConfig(options: MaxOptions, paths: { report: string; log: string; html?: string }): Record<string, unknown> {
  return {
    start: options.start,
    maxStreams: options.maxStreams,
    min: options.min,
    trialSeconds: options.trialMs / 1000,
    cooldownSeconds: options.cooldownMs / 1000,
    precision: options.precision,
    maxReconnects: options.criteria.maxReconnects,
    minFps: options.criteria.minFps ?? null,
    relativeFps: options.criteria.relativeFps,
    baseline: options.baseline ?? null,
    metrics: options.metrics ?? null,
    ...engineConfig(options, paths),
  };
}
