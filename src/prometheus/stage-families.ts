import { stageIndexAt, targetAt, type StageSpan } from '../stages.js';
import { labelled, single, type MetricFamily } from './exposition.js';

// `--stages` (issue 30) on the live endpoint: which stage runs now and the concurrency it asks for, read off the
// runner's own clock at each scrape, so that a dashboard sets the open streams against what was asked of them.

/** The stage under way and the target now (a fraction during a ramp). */
export interface StageNow {
  span: StageSpan;
  target: number;
}

/** The stage under way at `atMs` on the run clock, the last one from its start on (and after the run's end). */
export function stageAt(spans: readonly StageSpan[], atMs: number): StageNow | undefined {
  const span = spans[stageIndexAt(spans, atMs)];
  return span && { span, target: targetAt(spans, atMs) };
}

/**
 * The families of a run with stages: served from the first scrape on, with no sample until the run starts (a stage
 * before then would be a guess). The target is the whole test's, as --stages gives it: each shard holds its own share
 * of the streams, so it is read against the open streams summed over the shards.
 */
export function stageFamilies(now: StageNow | undefined): MetricFamily[] {
  const running: [Record<string, string>, number][] = now
    ? [[{ stage: String(now.span.number), target_from: String(now.span.fromTarget), target_to: String(now.span.toTarget) }, 1]]
    : [];
  return [
    single('gauge', 'camera_load_stage', 'The --stages stage under way (from 1); the last one once the run has ended', now?.span.number),
    labelled(
      'gauge',
      'camera_load_stage_info',
      'The --stages stage under way: its number (from 1) and the concurrent streams it goes from and to, all shards',
      running,
    ),
    single(
      'gauge',
      'camera_load_stage_target_streams',
      'The concurrent streams --stages asks for now, all shards (a fraction during a ramp): the test-wide target, against sum(camera_load_streams_open)',
      now?.target,
    ),
  ];
}
