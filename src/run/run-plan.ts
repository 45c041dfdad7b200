import type { Camera } from '../cameras/camera.js';
import { DEFAULT_BACKOFF } from '../connection/backoff.js';
import { DEFAULTS } from '../options/defaults.js';
import type { EngineOptions } from '../options/engine-options.js';
import type { RunCameras } from './run-cameras.js';
import type { RunPlan } from './runner.js';

/** The runner's plan from the checked options: the streams, their timing, and how each is held. */
export function runPlan(
  options: EngineOptions,
  streams: Camera[],
  timing: { durationMs: number; rampUpMs: number },
  cameras: Pick<RunCameras, 'headersFor' | 'credentialsFor' | 'network'>,
): RunPlan {
  return {
    streams,
    durationMs: timing.durationMs,
    rampUpMs: timing.rampUpMs,
    stallTimeoutMs: options.stallTimeoutMs,
    freshness: { freezeTimeoutMs: options.freezeTimeoutMs },
    timestampHeaders: options.timestampHeaders,
    backoff: { ...DEFAULT_BACKOFF, maxMs: options.backoffMaxMs },
    intervalMs: options.intervalMs,
    headersFor: cameras.headersFor,
    credentialsFor: cameras.credentialsFor,
    network: cameras.network,
    connectConcurrency: options.connectConcurrency,
    systemIntervalMs: DEFAULTS.systemIntervalMs,
  };
}
