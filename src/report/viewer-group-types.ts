import type { Percentiles } from '../metrics/gap-histogram.js';

// The report's viewer-group figures beyond each group's summary (report-types.ts re-exports them): when the server
// felt a group, and the normal viewers' isolation windows.

/** Frames a stream received in a window, and the seconds it was viewed in it (from its first frame at the earliest). */
export interface ViewedWindow {
  frames: number;
  seconds: number;
}

/**
 * When the server felt a group's viewers (it skipped frames for them, told by capture times, or their connection
 * ended), from the group's start. Until then the kernel's buffers held what they did not read.
 */
export interface GroupFill {
  /** Viewers the server felt, of the group's. */
  felt: number;
  of: number;
  /** Seconds from the group's start until the server felt half its viewers (its fill time), and the last it felt; null: not half. */
  p50Seconds: number | null;
  maxSeconds: number | null;
  /** Viewers whose capture times could tell a skip; without, only a connection's end shows the server felt them. */
  skipsKnown: number;
}

/** The normal viewers over one window: their fps per stream, frame gaps and queueing delays (histograms added). */
export interface IsolationWindowReport {
  /** Run-clock seconds. */
  fromSeconds: number;
  toSeconds: number;
  /** Normal streams viewed 1 s or more of the window (those with an fps in it). */
  streams: number;
  fpsPerStream: { p5: number; p50: number } | null;
  frameGapMs: Percentiles;
  frameGapHistogram: string;
  /** count 0: no capture times. */
  delayMs: Percentiles;
  delayHistogram: string;
}

/** Did the slow viewers hurt the normal ones? The rule: report/isolation-report.ts (ISOLATION_RULE). */
export interface IsolationReport {
  leadIn: IsolationWindowReport;
  /** From the end of the last group's fill time (or the groups' start) to the end; null: the groups never began. */
  after: IsolationWindowReport | null;
  /** after fps p5 against the lead-in's, in %; gap and delay p95 changes in ms; null: not measured. */
  fpsChangePct: number | null;
  gapChangeMs: number | null;
  delayChangeMs: number | null;
  /** null: not judged (see verdict). */
  holds: boolean | null;
  verdict: string;
}
