import type { StageSpan, Visit } from '../stages.js';
import { GapHistogram } from './gap-histogram.js';

// Figures per stage of `--stages` (issue 30). What every stream adds up (frame gaps, queueing delays, times to first
// frame, arrivals, departures, reconnections, ended connections by code) is counted once per stage over all streams:
// HdrHistogram counts and sums, so a merge of shards adds them. Each stream's frames and watched time per stage are
// kept per stream, for the stage's fps percentiles over viewers.

/** One stage's figures over all of a run's streams. */
export class StageWindow {
  readonly gaps = new GapHistogram();
  readonly delays = new GapHistogram(0);
  /** Each visit's first frame, from its request leaving. */
  readonly firstFrames = new GapHistogram();
  /** Each arrival's client lateness: from its planned instant to its first attempt (camera-load's own delay). */
  readonly lateness = new GapHistogram(0);
  /** Each departed viewer's fps over its visit (milli-fps), in the stage it arrived in: viewers as samples. */
  readonly viewerFps = new GapHistogram(0);
  arrivals = 0;
  departures = 0;
  /** The open model's arrivals that found --max-streams viewers open (countDropped). */
  droppedArrivals = 0;
  /** Arrivals planned before the stop that camera-load never began: its own lateness (their slot's visit before ran late). */
  notStarted = 0;
  reconnections = 0;
  readonly errors: Record<string, number> = {};

  constructor(readonly span: StageSpan) {}
}

/** One stream's frames in one stage, the time they took (from the frame before each) and its presence at the end. */
export interface StageTally {
  frames: number;
  spanMs: number;
  /** Its first frame or arrival in the stage: a silence is measured from here when no frame came. */
  fromMs: number;
  lastFrameAt: number | undefined;
  /** Away on purpose (a stage closed it) since then: a silence at the stage's end stops there. */
  leftAt: number | undefined;
}

/** The visit open now: the stage it arrived in, its frames and its first frame's time (what its fps is made of). */
interface OpenVisit {
  window: StageWindow;
  fromMs: number;
  frames: number;
  firstFrameAt: number | undefined;
}

/**
 * A visit's fps in milli-fps, as a stream's: frames ÷ seconds from its first frame to `at`; one with no frame has 0
 * over its time there. Undefined under 1 s, as a stream's fps is.
 */
function visitMilliFps(visit: OpenVisit, at: number): number | undefined {
  const spanMs = at - (visit.firstFrameAt ?? visit.fromMs);
  if (spanMs < 1000) return undefined;
  return visit.firstFrameAt === undefined ? 0 : (visit.frames * 1_000_000) / spanMs;
}

/** Which stage an instant falls in, for one stream: stages only move forward, so the search starts at the last one. */
export class StreamStages {
  /** Per stage; undefined: the stream had nothing in it. */
  readonly tallies: (StageTally | undefined)[];
  private index = 0;
  private visit: OpenVisit | undefined;

  /** `visits`: the slot's times open by the plan, for the time it was present in a stage it had no frame in. */
  constructor(
    readonly windows: readonly StageWindow[],
    readonly visits: readonly Visit[],
  ) {
    this.tallies = windows.map(() => undefined);
  }

  private at(at: number): StageWindow {
    const windows = this.windows;
    while (this.index < windows.length - 1 && at >= (windows[this.index] as StageWindow).span.toMs) this.index++;
    return windows[this.index] as StageWindow;
  }

  /** The tally of the stage `at(at)` last found, made on its first use. */
  private tallyFrom(at: number): StageTally {
    let tally = this.tallies[this.index];
    if (tally === undefined) {
      tally = { frames: 0, spanMs: 0, fromMs: at, lastFrameAt: undefined, leftAt: undefined };
      this.tallies[this.index] = tally;
    }
    return tally;
  }

  /** A frame: its gap from the one before (NaN: a visit's first) and its delay (NaN: no capture time). */
  frame(at: number, gapMs: number, delayMs: number): void {
    const window = this.at(at);
    const tally = this.tallyFrom(at);
    if (gapMs === gapMs) {
      window.gaps.record(gapMs);
      tally.frames++;
      tally.spanMs += gapMs;
    }
    if (delayMs === delayMs) window.delays.record(delayMs);
    tally.lastFrameAt = at;
    if (this.visit !== undefined) {
      this.visit.frames++;
      this.visit.firstFrameAt ??= at;
    }
  }

  /** The open visit's fps to `endMs` (milli-fps) and the stage it counts in; undefined: none, or under 1 s of it. */
  openVisitFps(endMs: number): { window: StageWindow; milliFps: number } | undefined {
    const milliFps = this.visit && visitMilliFps(this.visit, endMs);
    return this.visit === undefined || milliFps === undefined ? undefined : { window: this.visit.window, milliFps };
  }

  /** A visit's first frame, `ms` after its request left. */
  firstFrame(at: number, ms: number): void {
    this.at(at).firstFrames.record(ms);
  }

  /** An arrival planned at `plannedAt` began its first attempt `ms` after it. */
  late(plannedAt: number, ms: number): void {
    this.at(plannedAt).lateness.record(ms);
  }

  /**
   * An arrival the run stopped before camera-load began, `lateMs` after its planned instant: counted, and its lateness
   * (a lower bound) recorded, in the stage it was planned in.
   */
  neverStarted(plannedAt: number, lateMs: number): void {
    const window = this.windows.findLast((w) => w.span.fromMs <= plannedAt) ?? this.windows[0];
    if (window === undefined) return;
    window.notStarted++;
    window.lateness.record(lateMs);
  }

  arrived(at: number): void {
    const window = this.at(at);
    window.arrivals++;
    this.tallyFrom(at).leftAt = undefined;
    this.visit = { window, fromMs: at, frames: 0, firstFrameAt: undefined };
  }

  departed(at: number): void {
    this.at(at).departures++;
    this.tallyFrom(at).leftAt = at;
    const milliFps = this.visit && visitMilliFps(this.visit, at);
    if (milliFps !== undefined) this.visit?.window.viewerFps.record(milliFps);
    this.visit = undefined;
  }

  reconnected(at: number): void {
    this.at(at).reconnections++;
  }

  ended(at: number, code: string): void {
    const errors = this.at(at).errors;
    errors[code] = (errors[code] ?? 0) + 1;
  }
}

/** How many of `sorted` are below `ms`. */
function countBelow(sorted: readonly number[], ms: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid] as number) < ms) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * The open model's dropped arrivals (planned: `droppedAt`, in time order, this process's share) into the stages they
 * fall in, up to the run's end: an arrival planned after an early stop never came. A search per stage, as every
 * snapshot of the run (each scrape of live metrics) counts them again.
 */
export function countDropped(windows: readonly StageWindow[], droppedAt: readonly number[], endMs: number): void {
  windows.forEach((w, i) => {
    const toMs = Math.min(endMs, i === windows.length - 1 ? Infinity : w.span.toMs);
    w.droppedArrivals = Math.max(0, countBelow(droppedAt, toMs) - (i === 0 ? 0 : countBelow(droppedAt, w.span.fromMs)));
  });
}

/**
 * Each stage's viewers' fps as a report holds it: the departed viewers' (in their windows) and those still open at
 * `endMs`, added into a copy, so that every snapshot of the run (each scrape of live metrics) reads them anew.
 */
export function viewerFpsHistograms(windows: readonly StageWindow[], streams: readonly (StreamStages | undefined)[], endMs: number): GapHistogram[] {
  const totals = windows.map((w) => {
    const total = new GapHistogram(0);
    w.viewerFps.forEachBucket((bucket, count) => {
      total.recordInteger(bucket, count);
    });
    return total;
  });
  for (const stream of streams) {
    const open = stream?.openVisitFps(endMs);
    if (open !== undefined) totals[windows.indexOf(open.window)]?.record(open.milliFps);
  }
  return totals;
}
