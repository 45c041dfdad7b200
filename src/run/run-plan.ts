import type { Camera } from '../cameras/camera.js';
import { DEFAULT_BACKOFF } from '../connection/backoff.js';
import { StreamTarget } from '../connection/stream-target.js';
import { DEFAULTS } from '../options/defaults.js';
import type { EngineOptions } from '../options/engine-options.js';
import { proxyFor } from '../options/proxy.js';
import type { RunCameras } from './run-cameras.js';
import type { PlannedStream, RunPlan } from './runner.js';

/** What the plan reads of the options: how each stream is held, and for how long the run lasts. */
export type PlanSettings = Pick<EngineOptions, 'stallTimeoutMs' | 'freezeTimeoutMs' | 'timestampHeaders' | 'backoffMaxMs' | 'intervalMs' | 'connectConcurrency'> & {
  durationMs: number;
  rampUpMs: number;
};

/** How the cameras' source says a stream is reached: its headers and credentials, and the network's proxies. */
export type StreamAccess = Pick<RunCameras, 'headersFor' | 'credentialsFor' | 'network'>;

/** The runner's plan from the checked options: the streams, their timing, and how each is held. */
export function runPlan(settings: PlanSettings, streams: readonly Camera[], cameras: StreamAccess): RunPlan {
  return {
    streams: plannedStreams(streams, cameras),
    durationMs: settings.durationMs,
    rampUpMs: settings.rampUpMs,
    stallTimeoutMs: settings.stallTimeoutMs,
    freshness: { freezeTimeoutMs: settings.freezeTimeoutMs },
    timestampHeaders: settings.timestampHeaders,
    backoff: { ...DEFAULT_BACKOFF, maxMs: settings.backoffMaxMs },
    intervalMs: settings.intervalMs,
    network: cameras.network,
    connectConcurrency: settings.connectConcurrency,
    systemIntervalMs: DEFAULTS.systemIntervalMs,
  };
}

/**
 * Each stream with its target, resolved once per camera (a camera's streams share it): the headers and credentials
 * its source gives its URL, and the proxy that URL goes through.
 */
export function plannedStreams(streams: readonly Camera[], cameras: StreamAccess): PlannedStream[] {
  const targets = new Map<Camera, StreamTarget>();
  return streams.map((camera) => {
    let target = targets.get(camera);
    if (target === undefined) {
      target = targetOf(camera.streamUrl, cameras);
      targets.set(camera, target);
    }
    return { camera, target };
  });
}

function targetOf(url: string, cameras: StreamAccess): StreamTarget {
  const proxy = proxyFor(url, cameras.network.proxy);
  return new StreamTarget(url, { headers: cameras.headersFor(url), credentials: cameras.credentialsFor(url), ...(proxy === null ? {} : { proxy }) });
}
