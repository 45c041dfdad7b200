import { GapHistogram } from './gap-histogram.js';

// Did the slow viewers hurt the normal ones? The normal viewers' figures over two windows, compared: the lead-in
// (before any group began) and the rest of the run, from when the server last began to feel a group. Gaps and delays
// are added over the whole normal group (HdrHistogram counts: a merge adds them); frames are counted per stream,
// for each stream's fps in each window.

/** The normal viewers' frame gaps and queueing delays over one window, from `fromMs` on the run clock. */
export class IsolationWindow {
  readonly gaps = new GapHistogram();
  readonly delays = new GapHistogram(0);

  constructor(readonly fromMs: number) {}

  /** A frame of a normal viewer: its gap from the one before (NaN: its first) and its delay (NaN: no capture time). */
  frame(gapMs: number, delayMs: number): void {
    if (gapMs === gapMs) this.gaps.record(gapMs);
    if (delayMs === delayMs) this.delays.record(delayMs);
  }
}

/** A window's edge for one stream: when it was crossed (run clock, ms) and the stream's frames then. */
export interface WindowEdge {
  at: number;
  frames: number;
}

/** One normal viewer's part in the windows: which window its frames go to, and its frames at their edges. */
export class StreamIsolation {
  /** The lead-in's end; undefined while the lead-in lasts. */
  leadInEnd: WindowEdge | undefined;
  /** The start of the window compared with the lead-in; undefined while the lead-in lasts. */
  afterFrom: WindowEdge | undefined;

  constructor(private window: IsolationWindow) {}

  frame(gapMs: number, delayMs: number): void {
    this.window.frame(gapMs, delayMs);
  }

  /** The stream's frames go to `window` from `edge` on; the first such edge ends its lead-in. */
  enter(window: IsolationWindow, edge: WindowEdge): void {
    this.leadInEnd ??= edge;
    this.afterFrom = edge;
    this.window = window;
  }
}
