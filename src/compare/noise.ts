import type { NoiseThreshold } from './compare-types.js';

// How large a change must be before it is a verdict, per figure. The streams of one run share its noise (the
// machine's load that minute, the server's warm-up), so a rank test over streams finds run-to-run differences
// significant that are only noise: a change is a verdict only when it is also larger than this. Calibrated from 77
// pairs of identical runs (50 streams × 5 fps, 10 s) on the shared 2-core development machine at load 0 to 10
// (`npm run bench -- compare-noise`; docs/compare.md#noise-thresholds has the figures): each threshold is at least
// 1.25× the largest change seen there. Times (first frames, p99 gaps and delays) move by a few hundred ms when the
// client process waits for a core, whatever their size, hence floors in ms; their shares stay at 50%, as a share of
// 100% or more would leave no improvement large enough to read better. Rates per stream (fps, bandwidth) moved by
// 2.3% at most, and 4% still leaves a 10% drop of fps reading worse.

const DEFAULT_NOISE: Readonly<Record<string, NoiseThreshold>> = {
  fps: { relative: 0.04, absolute: 0.05 },
  freshFps: { relative: 0.04, absolute: 0.05 },
  timeToFirstFrame: { relative: 0.5, absolute: 700 },
  'timeToFirstFrame.p50': { relative: 0.5, absolute: 700 },
  'frameGap.p50': { relative: 0.04, absolute: 4 },
  'frameGap.p99': { relative: 0.5, absolute: 300 },
  'delay.p50': { relative: 0.25, absolute: 20 },
  'delay.p99': { relative: 0.5, absolute: 450 },
  reconnections: { relative: 0.25, absolute: 1 },
  stalls: { relative: 0.25, absolute: 1 },
  bandwidth: { relative: 0.04, absolute: 0.01 },
};

/** Any error code's ends per stream-hour: as reconnections. */
const ERROR_NOISE: NoiseThreshold = { relative: 0.25, absolute: 1 };

/** A figure's threshold; `override` (--noise, 0-1) replaces its relative part, the absolute floor stays. */
export function noiseOf(figure: string, override: number | undefined): NoiseThreshold {
  const own = DEFAULT_NOISE[figure] ?? ERROR_NOISE;
  return override === undefined ? own : { relative: override, absolute: own.absolute };
}

/** Whether a change passes the threshold: larger than the relative share of the base and than the floor. */
export function beyondNoise(change: number, base: number, threshold: NoiseThreshold): boolean {
  return Math.abs(change) > Math.max(threshold.relative * Math.abs(base), threshold.absolute);
}
