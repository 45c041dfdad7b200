import type { SystemSample } from '../metrics/client-health.js';
import { addStreamCounts, countStream, emptyCounts, type StreamCounts } from '../metrics/stream-counts.js';
import type { StreamStats } from '../metrics/stream-stats.js';
import type { Runner } from '../run/runner.js';
import { VIEWER_GROUPS, type ViewerGroup, type ViewerPlan } from '../viewers.js';
import { startWaits } from '../metrics/start-waits.js';
import type { StageSpan, Storm } from '../stages.js';
import { stageAt, type StageNow } from './stage-families.js';
import { stormsNow, type StormsNow } from './storm-families.js';

// The live figures of a run, summed over its streams when Prometheus asks (families.ts): pure sums of the
// engine's own counters and gap buckets, so a scrape adds no work per frame and counts nothing twice.

/**
 * Upper bounds of the frame-gap and time-to-first-frame buckets, in seconds: 30 fps (33 ms) to 1 fps (1 s) fall
 * mid-range, outages up to 10 s are told apart. In milliseconds each bound is also the lower edge of an
 * HdrHistogram bucket (3 significant digits: exact below 2,048 ms, 2/4/8 ms wide above), so counting the engine's
 * buckets against them is exact to the millisecond the engine records.
 */
export const BUCKETS_SECONDS: readonly number[] = [0.01, 0.02, 0.035, 0.05, 0.075, 0.1, 0.15, 0.2, 0.25, 0.35, 0.5, 0.75, 1, 1.5, 2.5, 5, 10];
const BUCKETS_MS = BUCKETS_SECONDS.map((s) => Math.round(s * 1000));

/** A classic histogram's figures: counts per bucket (not cumulative; the last one is above every bound), sum, count. */
export interface HistogramTally {
  buckets: number[];
  /** Seconds. */
  sum: number;
  count: number;
}

/** One camera's streams summed (with --metrics-per-camera): the counts every aggregate shares. */
export type CameraTally = StreamCounts;

/** One viewer group's streams summed: the counts every aggregate shares, the streams it holds now, its frame gaps. */
export interface ViewerTally extends StreamCounts {
  /** A gauge: the group's streams the running runner holds. */
  streams: number;
  frameGap: HistogramTally;
}

/** Everything the endpoint exports, summed over streams. Counters and histograms add up; openStreams is now. */
export interface Tally extends StreamCounts {
  frameGap: HistogramTally;
  timeToFirstFrame: HistogramTally;
  /** camera-load's own delay before a stream's request left (beyond any connect queue), and its wait for a connect slot (first attempts). */
  clientLateness: HistogramTally;
  connectQueue: HistogramTally;
  /** Per camera id; empty unless --metrics-per-camera. */
  cameras: Map<string, CameraTally>;
  /** Per viewer group, normal first; empty unless the run has viewer groups. */
  viewers: Map<ViewerGroup, ViewerTally>;
}

const emptyHistogram = (): HistogramTally => ({ buckets: new Array<number>(BUCKETS_MS.length + 1).fill(0), sum: 0, count: 0 });

export function emptyTally(): Tally {
  return {
    ...emptyCounts(),
    frameGap: emptyHistogram(),
    timeToFirstFrame: emptyHistogram(),
    clientLateness: emptyHistogram(),
    connectQueue: emptyHistogram(),
    cameras: new Map(),
    viewers: new Map(),
  };
}

const emptyViewerTally = (): ViewerTally => ({ ...emptyCounts(), streams: 0, frameGap: emptyHistogram() });

/**
 * The groups a run exports: the plan's (normal and each behaviour's), every one from the first scrape on, so a shard
 * none of whose streams fell in a group still says 0 for it. Without the plan, the groups its streams are in, when
 * any is not normal. None: the run has no viewer groups, and no series is added.
 */
export function viewerGroupsOf(streams: readonly StreamStats[], plan: ViewerPlan | undefined): ViewerGroup[] {
  const named = plan ? ['normal', ...plan.behaviours.map((b) => b.group)] : streams.map((s) => s.viewers);
  if (plan === undefined && named.every((group) => group === 'normal')) return [];
  return VIEWER_GROUPS.filter((group) => group === 'normal' || named.includes(group));
}

/** The bucket a value in milliseconds falls in: the first bound it does not exceed, else the last (+Inf) one. */
function bucketIndex(ms: number): number {
  let i = 0;
  while (i < BUCKETS_MS.length && ms > (BUCKETS_MS[i] ?? 0)) i++;
  return i;
}

function observe(histogram: HistogramTally, ms: number): void {
  const i = bucketIndex(ms);
  histogram.buckets[i] = (histogram.buckets[i] ?? 0) + 1;
  histogram.sum += ms / 1000;
  histogram.count++;
}

/** A stream's start as the report reads it (startWaits), once its first request has left. */
function addStart(tally: Tally, s: StreamStats): void {
  if (s.start.requestSentAt === undefined) return;
  const waits = startWaits(s.start, s.start.requestSentAt);
  observe(tally.clientLateness, waits.clientLatenessMs ?? 0);
  observe(tally.connectQueue, waits.connectQueueMs ?? 0);
  if (s.firstFrameAt !== undefined) observe(tally.timeToFirstFrame, s.firstFrameAt - s.start.requestSentAt);
}

/**
 * A stream's frame gaps, bucket by bucket from its GapHistogram (its buckets, counted into ours rather than into an
 * HdrHistogram); their sum is exact, since a stream's gaps are the times between its consecutive frames: together,
 * its last frame's time minus its first's.
 */
function addGaps(gaps: HistogramTally, s: StreamStats): void {
  if (s.gaps.totalCount === 0 || s.firstFrameAt === undefined || s.lastFrameAt === undefined) return;
  s.gaps.forEachBucket((bucket, count) => {
    const i = bucketIndex(bucket);
    gaps.buckets[i] = (gaps.buckets[i] ?? 0) + count;
  });
  gaps.count += s.gaps.totalCount;
  gaps.sum += (s.lastFrameAt - s.firstFrameAt) / 1000;
}

/**
 * Sums the streams' own counters: what the report will sum at the end. With viewer groups (see viewerGroupsOf), each
 * group's streams are summed apart as well, as the report's viewerGroups sum them.
 */
export function tallyOf(streams: readonly StreamStats[], perCamera: boolean, viewers?: ViewerPlan): Tally {
  const tally = emptyTally();
  for (const group of viewerGroupsOf(streams, viewers)) tally.viewers.set(group, emptyViewerTally());
  for (const s of streams) {
    countStream(tally, s);
    addGaps(tally.frameGap, s);
    addStart(tally, s);
    if (perCamera) {
      let camera = tally.cameras.get(s.cameraId);
      if (camera === undefined) tally.cameras.set(s.cameraId, (camera = emptyCounts()));
      countStream(camera, s);
    }
    const group = tally.viewers.get(s.viewers);
    if (group !== undefined) {
      countStream(group, s);
      group.streams++;
      addGaps(group.frameGap, s);
    }
  }
  return tally;
}

function addHistogram(a: HistogramTally, b: HistogramTally): HistogramTally {
  return { buckets: a.buckets.map((n, i) => n + (b.buckets[i] ?? 0)), sum: a.sum + b.sum, count: a.count + b.count };
}

/** `earlier` (finished runs) plus `now` (the running one): counters and histograms add, gauges are `now`'s. */
export function addTallies(earlier: Tally, now: Tally): Tally {
  const cameras = new Map<string, CameraTally>();
  for (const [id, camera] of earlier.cameras) cameras.set(id, addStreamCounts(camera, now.cameras.get(id) ?? emptyCounts()));
  for (const [id, camera] of now.cameras) if (!cameras.has(id)) cameras.set(id, camera);
  const viewers = new Map<ViewerGroup, ViewerTally>();
  for (const group of VIEWER_GROUPS) {
    const [before, current] = [earlier.viewers.get(group), now.viewers.get(group)];
    if (before === undefined && current === undefined) continue;
    const [a, b] = [before ?? emptyViewerTally(), current ?? emptyViewerTally()];
    viewers.set(group, { ...addStreamCounts(a, b), streams: b.streams, frameGap: addHistogram(a.frameGap, b.frameGap) });
  }
  return {
    ...addStreamCounts(earlier, now),
    frameGap: addHistogram(earlier.frameGap, now.frameGap),
    timeToFirstFrame: addHistogram(earlier.timeToFirstFrame, now.timeToFirstFrame),
    clientLateness: addHistogram(earlier.clientLateness, now.clientLateness),
    connectQueue: addHistogram(earlier.connectQueue, now.connectQueue),
    cameras,
    viewers,
  };
}

/**
 * The runner measured now, and what the runners before it measured (max runs one per trial): every counter
 * accumulates over the whole command, as a Prometheus counter must, although each trial's streams start from zero.
 */
export class LiveTally {
  private finished = emptyTally();
  private runner: Runner | undefined;
  /** The running runner's viewer groups, when its caller named them (else read from its streams). */
  private viewers: ViewerPlan | undefined;
  /** The running runner's --stages on its clock; undefined without them. */
  private spans: readonly StageSpan[] | undefined;
  /** The running runner has --storm-at storms. */
  private hasStorms = false;
  /** The running runner has started its run: its clock runs. */
  private started = false;
  /** Streams the running runner holds (this shard's share; max: the trial's level). */
  planned = 0;
  trials = 0;
  sample: SystemSample | undefined;

  constructor(private readonly perCamera: boolean) {}

  follow(runner: Runner, planned: number, viewers?: ViewerPlan, stages?: readonly StageSpan[], storms?: readonly Storm[]): void {
    // The previous runner has returned (trials run one after another): its counters are final.
    if (this.runner !== undefined) this.finished = addTallies(this.finished, this.current());
    this.runner = runner;
    this.viewers = viewers;
    this.spans = stages && stages.length > 0 ? stages : undefined;
    this.hasStorms = storms !== undefined && storms.length > 0;
    this.started = false;
    this.planned = planned;
    this.trials++;
    runner.on('sample', (sample) => {
      this.sample = sample;
    });
    runner.on('start', () => {
      if (this.runner === runner) this.started = true;
    });
  }

  /** Runs with --stages: the stage under way on the runner's own clock, which stops with the run (`now` undefined until it starts); null without stages. */
  stages(): { now: StageNow | undefined } | null {
    if (this.spans === undefined) return null;
    if (!this.started || this.runner === undefined) return { now: undefined };
    return { now: stageAt(this.spans, this.runner.snapshot(false).elapsedMs) };
  }

  /** Runs with --storm-at: the storms struck so far and the viewers they dropped still without a frame; null without storms. */
  storms(): StormsNow | null {
    if (!this.hasStorms) return null;
    // The windows exist from the run's start; before it, nothing has struck.
    return stormsNow(this.runner?.snapshot(false).storms ?? []);
  }

  read(): Tally {
    return addTallies(this.finished, this.current());
  }

  // snapshot() hands out the runner's live StreamStats (no copy), before, during and after its run.
  private current(): Tally {
    return tallyOf(this.runner?.snapshot(false).streams ?? [], this.perCamera, this.viewers);
  }
}
