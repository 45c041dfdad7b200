import type { Camera } from '../../src/cameras/camera.js';
import { DIRECT } from '../../src/connection/network.js';
import type { RunPlan } from '../../src/run/runner.js';

/** A short run plan for engine tests: fast backoff and a fine timeline, overridable per test. */
export function testPlan(streams: Camera[], overrides: Partial<RunPlan> = {}): RunPlan {
  return {
    streams,
    durationMs: 2_000,
    rampUpMs: 0,
    stallTimeoutMs: 1_000,
    backoff: { baseMs: 50, factor: 2, maxMs: 200 },
    intervalMs: 250,
    headersFor: () => ({}),
    credentialsFor: () => undefined,
    network: DIRECT,
    connectConcurrency: 100,
    systemIntervalMs: 500,
    ...overrides,
  };
}
