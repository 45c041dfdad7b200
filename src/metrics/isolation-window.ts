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

/**
 * One stream's frames in one window: how many arrived and the milliseconds they took, each from the frame before it
 * (a rate from intervals has no edge effect: N frames counted in T seconds read a frame more or less in a short
 * window), and its last frame, for a silence at the window's end.
 */
export interface WindowTally {
  fromMs: number;
  /** undefined: the window is still open (to the run's end). */
  toMs: number | undefined;
  frames: number;
  spanMs: number;
  lastFrameAt: number | undefined;
}

const tally = (fromMs: number): WindowTally => ({ fromMs, toMs: undefined, frames: 0, spanMs: 0, lastFrameAt: undefined });

/** One normal viewer's part in the windows: which window its frames go to, and its tally in each. */
export class StreamIsolation {
  /** The lead-in window (its second half: the first lets the streams settle); undefined before it. */
  leadIn: WindowTally | undefined;
  /** The window compared with the lead-in; undefined while the lead-in lasts. */
  after: WindowTally | undefined;
  private window: IsolationWindow | undefined;
  private current: WindowTally | undefined;

  /** A frame at `at`: its gap from the one before (NaN: its first) and its delay (NaN: no capture time). */
  frame(at: number, gapMs: number, delayMs: number): void {
    const current = this.current;
    if (current === undefined) return;
    this.window?.frame(gapMs, delayMs);
    if (gapMs === gapMs) {
      current.frames++;
      current.spanMs += gapMs;
    }
    current.lastFrameAt = at;
  }

  /** The lead-in window begins at `at`: the stream's frames go to `window`. */
  settled(window: IsolationWindow, at: number): void {
    this.leadIn = tally(at);
    this.current = this.leadIn;
    this.window = window;
  }

  /** From `at` the stream's frames go to `window`, compared with the lead-in; the first such moment ends the lead-in. */
  enter(window: IsolationWindow, at: number): void {
    if (this.leadIn && this.leadIn.toMs === undefined) this.leadIn.toMs = at;
    this.after = tally(at);
    this.current = this.after;
    this.window = window;
  }
}
