import { createHash } from 'node:crypto';
import { redactUrl } from '../text/redact.js';
import type { ViewerPlan } from '../viewers.js';
import type { Stage, Storm } from '../stages.js';
import type { OpenModel } from '../arrivals.js';

/** What a run measures: two shards' reports add up only when all of this is the same. */
export interface PlanIdentity {
  /** In plan order; URLs are hashed redacted, so no secret is folded into a printable value. */
  cameras: readonly { id: string; streamUrl: string }[];
  maxStreams: number;
  streamsPerCamera: number;
  durationMs: number;
  rampUpMs: number;
  stallTimeoutMs: number;
  intervalMs: number;
  backoffMaxMs: number;
  connectConcurrency: number;
  /** Shards of a 3-way split and of a 4-way one are different plans. */
  shardCount: number;
  /** Draws the viewer groups and the backoff jitter. */
  seed?: number;
  viewers?: ViewerPlan;
  /** Each stream's visits follow them. */
  stages?: readonly Stage[];
  /** The open model: its rates, watch time and popularity draw every visit (with the seed). */
  arrivals?: OpenModel;
  storms?: readonly Storm[];
}

// Thresholds, outputs, the saturation limit and headers are left out: they judge or record, they do not change
// what is measured (headers may be secret, and differ per machine).
/** sha256 (hex) of the plan identity as canonical JSON. */
export function planFingerprint(plan: PlanIdentity): string {
  const canonical = JSON.stringify([
    plan.cameras.map((camera) => [camera.id, redactUrl(camera.streamUrl)]),
    plan.maxStreams,
    plan.streamsPerCamera,
    plan.durationMs,
    plan.rampUpMs,
    plan.stallTimeoutMs,
    plan.intervalMs,
    plan.backoffMaxMs,
    plan.connectConcurrency,
    plan.shardCount,
    // Absent: a plan that has none (max trials, tests).
    ...(plan.seed === undefined ? [] : [plan.seed]),
    ...(plan.viewers === undefined ? [] : [plan.viewers.leadInMs, plan.viewers.behaviours]),
    ...(plan.stages === undefined ? [] : [plan.stages.map((s) => [s.durationMs, s.target])]),
    ...(plan.storms === undefined ? [] : [plan.storms.map((s) => [s.atMs, s.immediate])]),
    ...(plan.arrivals === undefined ? [] : [{ arrivals: plan.arrivals }]),
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}
