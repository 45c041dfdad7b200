import type { Percentiles } from '../metrics/gap-histogram.js';

// The report's figures per stage of `--stages` (issue 30).

/** One stream's frames in one stage and the seconds it was watched in it (absent from the stage: null). */
export interface StageViewed {
  frames: number;
  seconds: number;
}

/** One stage: its schedule, what was reached, and the viewers' figures within it. */
export interface StageReport {
  /** 1-based, as thresholds name it: `fps.p5{stage:2}`. */
  stage: number;
  fromSeconds: number;
  toSeconds: number;
  /**
   * The concurrent streams asked for at the stage's start and end (a ramp between them). In the open model, the
   * concurrency Little's law expects once its rate has held for a watch time (rate × mean watch time, capped by
   * --max-streams): a steady state, not a ramp.
   */
  target: { from: number; to: number };
  /** The open model only: new viewers per second (Poisson) planned within it. */
  arrivalsPerSecond?: number;
  /** Streams with a response open, over the timeline's rows within the stage: the most and the mean. */
  openStreams: { max: number; mean: number } | null;
  /** Viewers that arrived (a stream slot opened) and left (closed by a stage) within it. */
  arrivals: number;
  departures: number;
  /** Arrivals dropped because --max-streams viewers were open already (the open model; 0 under --stages). */
  droppedArrivals: number;
  /**
   * Arrivals planned before the stop that camera-load never began (their slot's visit before outlasted its end): its
   * own lateness, counted in clientLatenessMs from their instant to the stop. Absent in reports from before it was.
   */
  arrivalsNotStarted?: number;
  reconnections: number;
  /** Frames within it, all streams. */
  frames: number;
  /** Each viewer's fps within it (frames ÷ seconds watched), over viewers watched 1 s or more of it. */
  fpsPerStream: { streams: number; p5: number; p50: number; mean: number } | null;
  /**
   * Each viewer that arrived in it, its fps over its whole visit (frames ÷ seconds from its first frame to its
   * departure or the run's end; 0 for a visit of 1 s or more without a frame, none under 1 s): viewers as samples,
   * where fpsPerStream's are the stream slots. null: no such viewer. Absent in reports from before it was kept.
   */
  viewerFps?: { viewers: number; p5: number; p50: number } | null;
  /** HdrHistogram of viewerFps in milli-fps (fps × 1,000), so that a merge adds it. */
  viewerFpsHistogram?: string;
  /** Each arrival's first frame, from its request leaving (ms). */
  timeToFirstFrameMs: Percentiles;
  timeToFirstFrameHistogram: string;
  frameGapMs: Percentiles;
  frameGapHistogram: string;
  /** Queueing delay of timestamped frames (ms). */
  delayMs: Percentiles;
  delayHistogram: string;
  /**
   * Each arrival's client lateness (ms): from its planned instant to its first attempt, camera-load's own delay (its
   * timers, event loop and CPU), so a schedule it could not keep is named. Absent in reports from before it was kept.
   */
  clientLatenessMs?: Percentiles;
  clientLatenessHistogram?: string;
  /** Connections that ended within it, by code. */
  errors: Record<string, number>;
}
