/** One reading of the machine camera-load runs on. */
export interface SystemSample {
  /** Seconds from the start of the run. */
  t: number;
  /** Whole machine, all cores: 0-100. */
  cpuPercent: number;
  /** This process, in percent of one core (a single-threaded event loop saturates at 100). */
  processCpuPercent: number;
  memoryUsedBytes: number;
  memoryTotalBytes: number;
  processRssBytes: number;
  /** All interfaces together, bytes per second. */
  networkRxBytesPerSecond: number;
  networkTxBytesPerSecond: number;
  /** Event-loop delay over the sample period, milliseconds. */
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
}

export interface ClientHealth {
  valid: boolean;
  reason?: string;
  /** Share of samples in which the client was saturated. */
  saturatedShare: number;
}

export interface SaturationLimits {
  /** A sample is saturated when this process used at least this much of its core (percent)… */
  processCpuPercent: number;
  /** …or its event loop was at least this late (p99, ms). */
  eventLoopDelayP99Ms: number;
}

export const DEFAULT_SATURATION: SaturationLimits = { processCpuPercent: 90, eventLoopDelayP99Ms: 100 };

/** Sustained: at least this share of the samples, and at least two of them. */
const SUSTAINED_SHARE = 0.25;

/**
 * The run's figures describe the server only if the client kept up. A sample is saturated when this process
 * used ≥ 90% of its one core or its event loop was ≥ 100 ms late (p99) (the limits can be set); the run is
 * invalid when a quarter of the samples (two at least) were.
 */
export function assessClient(samples: readonly SystemSample[], limits: SaturationLimits = DEFAULT_SATURATION): ClientHealth {
  if (samples.length === 0) return { valid: true, saturatedShare: 0 };
  let cpu = 0;
  let loop = 0;
  let saturated = 0;
  for (const sample of samples) {
    const cpuHot = sample.processCpuPercent >= limits.processCpuPercent;
    const loopHot = sample.eventLoopDelayP99Ms >= limits.eventLoopDelayP99Ms;
    if (cpuHot) cpu++;
    if (loopHot) loop++;
    if (cpuHot || loopHot) saturated++;
  }
  const share = saturated / samples.length;
  if (saturated < 2 || share < SUSTAINED_SHARE) return { valid: true, saturatedShare: share };
  const causes: string[] = [];
  if (cpu > 0) causes.push(`its CPU was at ≥ ${limits.processCpuPercent}% of a core in ${cpu} of ${samples.length} samples`);
  if (loop > 0) causes.push(`its event loop lagged ≥ ${limits.eventLoopDelayP99Ms} ms in ${loop} of ${samples.length} samples`);
  return { valid: false, reason: `camera-load itself was saturated: ${causes.join('; ')}`, saturatedShare: share };
}

export interface Stat {
  min: number;
  avg: number;
  max: number;
}

export function stat(values: readonly number[]): Stat {
  if (values.length === 0) return { min: 0, avg: 0, max: 0 };
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const value of values) {
    min = Math.min(min, value);
    max = Math.max(max, value);
    sum += value;
  }
  return { min, avg: sum / values.length, max };
}
