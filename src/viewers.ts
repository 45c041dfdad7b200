// The viewer groups of a run (issue 29): viewers that read slower than their stream, pause, or stop reading, and
// the rest ("normal"), who read as fast as they can. Shared ground: the options parse them, the plan assigns them,
// the connection paces by them and the report sums per group.

export const VIEWER_GROUPS = ['normal', 'slow', 'pausing', 'stuck'] as const;
export type ViewerGroup = (typeof VIEWER_GROUPS)[number];

/** How a group other than normal reads once the groups begin; `share` is of the planned streams, 0-1. */
export type ViewerBehaviour =
  | { group: 'slow'; share: number; bytesPerSecond: number }
  | { group: 'pausing'; share: number; pauseMs: number; everyMs: number }
  | { group: 'stuck'; share: number };

/** The viewer groups a run was asked for. */
export interface ViewerPlan {
  /** At least one, each group at most once, in the order slow, pausing, stuck. */
  behaviours: readonly ViewerBehaviour[];
  /**
   * On the run clock (ms from its start): when the groups begin. Before it, every viewer reads as fast as it can:
   * the lead-in is the normal viewers' baseline.
   */
  leadInMs: number;
}
