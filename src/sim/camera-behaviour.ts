import type { BoundaryStyle, ErrorResponse, FaultRule, FreezeSpec, LagSpec, SimulatorFaults } from './options.js';
import { seededRandom, shuffled } from '../random.js';

/** How one camera's stream behaves: the faults of the options, resolved for this camera. */
export interface CameraBehaviour {
  dropEveryFrames?: number;
  stallAfterFrames?: number;
  errorResponse?: ErrorResponse;
  headerDelayMs?: number;
  corruptEveryFrames?: number;
  contentLength: boolean;
  lineEnding: '\r\n' | '\n';
  boundaryStyle?: BoundaryStyle;
  freeze?: FreezeSpec;
  lag?: LagSpec;
}

export const CLEAN_BEHAVIOUR: CameraBehaviour = { contentLength: true, lineEnding: '\r\n' };

/** The cameras a fault applies to: exactly round(share × count) of them, picked by the seed per fault. */
function affectedCameras(ids: readonly number[], share: number, seed: number, salt: number): Set<number> {
  const count = Math.round(share * ids.length);
  if (count >= ids.length) return new Set(ids);
  return new Set(shuffled(ids, seededRandom(seed * 7919 + salt)).slice(0, count));
}

/** Deterministic under `seed`: the same options always fault the same cameras. */
export function assignBehaviours(activeIds: readonly number[], faults: SimulatorFaults, seed: number): Map<number, CameraBehaviour> {
  const behaviours = new Map<number, CameraBehaviour>(activeIds.map((id) => [id, { ...CLEAN_BEHAVIOUR }]));
  const apply = <T>(rule: FaultRule<T> | undefined, salt: number, set: (b: CameraBehaviour, value: T) => void): void => {
    if (!rule) return;
    for (const id of affectedCameras(activeIds, rule.share, seed, salt)) {
      const behaviour = behaviours.get(id);
      if (behaviour) set(behaviour, rule.value);
    }
  };
  apply(faults.dropEveryFrames, 1, (b, v) => (b.dropEveryFrames = v));
  apply(faults.stallAfterFrames, 2, (b, v) => (b.stallAfterFrames = v));
  apply(faults.errorResponse, 3, (b, v) => (b.errorResponse = v));
  apply(faults.headerDelayMs, 4, (b, v) => (b.headerDelayMs = v));
  apply(faults.corruptEveryFrames, 5, (b, v) => (b.corruptEveryFrames = v));
  apply(faults.noContentLength, 6, (b) => (b.contentLength = false));
  apply(faults.lfOnly, 7, (b) => (b.lineEnding = '\n'));
  apply(faults.boundaryStyle, 8, (b, v) => (b.boundaryStyle = v));
  apply(faults.freeze, 9, (b, v) => (b.freeze = v));
  apply(faults.lag, 10, (b, v) => (b.lag = v));
  return behaviours;
}

/** Short labels for /__stats, so a test or a person sees which faults a camera has. */
export function describeBehaviour(b: CameraBehaviour): string[] {
  const out: string[] = [];
  if (b.dropEveryFrames !== undefined) out.push(`drop-every:${b.dropEveryFrames}`);
  if (b.stallAfterFrames !== undefined) out.push(`stall-after:${b.stallAfterFrames}`);
  if (b.errorResponse !== undefined) out.push(`status:${b.errorResponse}`);
  if (b.headerDelayMs !== undefined) out.push(`header-delay-ms:${b.headerDelayMs}`);
  if (b.corruptEveryFrames !== undefined) out.push(`corrupt-every:${b.corruptEveryFrames}`);
  if (!b.contentLength) out.push('no-content-length');
  if (b.lineEnding === '\n') out.push('lf-only');
  if (b.boundaryStyle !== undefined) out.push(`boundary:${b.boundaryStyle}`);
  if (b.freeze !== undefined) out.push(`freeze:${b.freeze.freshFrames}:${b.freeze.repeatFrames}`);
  if (b.lag !== undefined) out.push(`lag:${b.lag.stepMsPerSecond}ms/s:${b.lag.maxMs}ms`);
  return out;
}
