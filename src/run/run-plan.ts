import type { Camera } from '../cameras/camera.js';
import { DEFAULT_BACKOFF, type BackoffPolicy } from '../connection/backoff.js';
import type { Network } from '../connection/network.js';
import { StreamTarget } from '../connection/stream-target.js';
import type { FreshnessOptions } from '../metrics/freshness.js';
import type { TimestampHeaders } from '../mjpeg/part-headers.js';
import { DEFAULTS } from '../options/defaults.js';
import type { EngineOptions } from '../options/engine-options.js';
import { proxyFor } from '../options/proxy.js';
import type { RunCameras } from '../cameras/open-cameras.js';
import type { ViewerGroup, ViewerPlan } from '../viewers.js';
import type { StageSpan, Storm, Visit } from '../stages.js';

/** One stream of the plan: the camera it reads, and where it connects and as whom. */
export interface PlannedStream {
  camera: Camera;
  target: StreamTarget;
}

export interface RunPlan {
  /** One entry per stream to hold open (a camera appears more than once with --streams-per-camera). */
  streams: PlannedStream[];
  /** Each stream's index in the whole test (a shard holds only some of them); by default 0, 1, 2, … */
  indexes?: readonly number[];
  durationMs: number;
  rampUpMs: number;
  stallTimeoutMs: number;
  /** When a picture that stays the same counts as frozen (default: DEFAULT_FRESHNESS). */
  freshness?: FreshnessOptions;
  /** The part headers capture times are read from (default: X-Timestamp, X-Frame-Timestamp). */
  timestampHeaders?: TimestampHeaders;
  backoff: BackoffPolicy;
  intervalMs: number;
  /** The proxies and the certificates trusted, for the run's dispatchers. */
  network: Network;
  /** Connection attempts waiting for response headers at once. */
  connectConcurrency: number;
  systemIntervalMs: number;
  /** The backoff's random draw (default: seeded per stream, or Math.random): the benchmark fixes it to hold every stream to one connection. */
  random?: () => number;
  /** Seeds each stream's backoff jitter (with its index in the whole plan); absent: Math.random. */
  seed?: number;
  /** `--stages`, on the run clock: each stream opens and closes by them (stream i is the plan's slot `indexes[i]`); absent: held from its ramp-up place to the end. */
  stages?: readonly StageSpan[];
  /**
   * The open model (`--arrival-rate`): each stream's visits (in the order of `streams`) and this process's dropped
   * arrivals' instants, in time order; `stages` are then its rate spans.
   */
  arrivals?: { visits: readonly (readonly Visit[])[]; droppedAt: readonly number[] };
  /** `--storm-at`: when every open stream is dropped by the client; absent: none. */
  storms?: readonly Storm[];
  /** The viewer groups: each stream's group (in the order of `streams`) and when they begin; absent: every viewer normal. */
  viewers?: { groups: readonly ViewerGroup[]; plan: ViewerPlan };
}

/** What the plan reads of the options: how each stream is held, and for how long the run lasts. */
export type PlanSettings = Pick<
  EngineOptions,
  'stallTimeoutMs' | 'freezeTimeoutMs' | 'timestampHeaders' | 'backoffMaxMs' | 'intervalMs' | 'connectConcurrency'
> & {
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
