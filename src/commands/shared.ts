import { resolve as resolvePath } from 'node:path';
import type { Camera } from '../cameras/camera.js';
import { loadCameras, type CameraSource, type LoadedCameras } from '../cameras/load-cameras.js';
import type { EngineOptions } from '../config/engine-options.js';
import type { Logger } from '../log.js';
import { redactHeaders, redactUrl } from '../redact.js';
import { fileTimestamp } from '../report/write-file.js';
import type { RunPlan } from '../run/runner.js';
import { DEFAULT_BACKOFF } from '../stream/backoff.js';

// What `run` and `max` do alike: name their files, list the cameras, plan a run, describe their options.

export function outputPaths(options: EngineOptions, reportStem: string): { report: string; log: string } {
  const stamp = fileTimestamp(new Date());
  return {
    report: resolvePath(options.output ?? `${reportStem}_${stamp}.json`),
    log: resolvePath(options.log ?? `camera_load_test_${stamp}.log`),
  };
}

/** Lists the cameras (typed errors for a failing source) and logs what was found. */
export async function loadAndLogCameras(options: EngineOptions, logger: Logger, signal: AbortSignal): Promise<LoadedCameras> {
  let cameras: LoadedCameras;
  try {
    cameras = await loadCameras(options.source, {
      headers: options.headers,
      insecure: options.insecure,
      timeoutMs: options.apiTimeoutMs,
      signal,
    });
  } catch (error) {
    logger.error({ event: 'camera-source-failed', error: (error as Error).message });
    throw error;
  }
  logger.info({
    event: 'cameras',
    origin: redactUrl(cameras.origin),
    listed: cameras.listed,
    active: cameras.active,
    skipped: cameras.skipped,
    cameras: cameras.cameras.map((c) => ({ id: c.id, name: c.name, url: redactUrl(c.streamUrl) })),
  });
  return cameras;
}

export function runPlan(
  options: EngineOptions,
  streams: Camera[],
  timing: { durationMs: number; rampUpMs: number },
  headersFor: (url: string) => Record<string, string>,
): RunPlan {
  return {
    streams,
    durationMs: timing.durationMs,
    rampUpMs: timing.rampUpMs,
    stallTimeoutMs: options.stallTimeoutMs,
    backoff: { ...DEFAULT_BACKOFF, maxMs: options.backoffMaxMs },
    intervalMs: options.intervalMs,
    headersFor,
    insecure: options.insecure,
    connectConcurrency: options.connectConcurrency,
    systemIntervalMs: 2_000,
  };
}

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
export function engineConfig(options: EngineOptions, paths: { report: string; log: string }): Record<string, unknown> {
  return {
    source: describeSource(options.source),
    headers: redactHeaders(options.headers),
    insecure: options.insecure,
    streamsPerCamera: options.streamsPerCamera,
    stallTimeoutSeconds: options.stallTimeoutMs / 1000,
    backoff: { ...DEFAULT_BACKOFF, maxMs: options.backoffMaxMs },
    intervalSeconds: options.intervalMs / 1000,
    connectConcurrency: options.connectConcurrency,
    apiTimeoutSeconds: options.apiTimeoutMs / 1000,
    saturationCpuPercent: options.saturationCpuPercent,
    output: paths.report,
    log: paths.log,
  };
}
