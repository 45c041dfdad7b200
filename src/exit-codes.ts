/**
 * The exit-code table (contract, see README "Exit codes"). When several apply, the most urgent wins:
 * 130, then 70, then 5, then 4, then 1 (`mostUrgent`).
 */
export const ExitCode = {
  OK: 0,
  THRESHOLD_FAILED: 1,
  USAGE: 2,
  CAMERA_SOURCE: 3,
  CLIENT_SATURATED: 4,
  /** The run finished, but an output could not be written where asked: the report was saved elsewhere (stderr says where). */
  OUTPUT_ELSEWHERE: 5,
  /** A bug in camera-load itself (sysexits' EX_SOFTWARE), never a verdict on the server. */
  INTERNAL: 70,
  INTERRUPTED: 130,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

// Usage and camera-source errors end a command before anything ran, so they never meet the others.
const URGENCY: readonly ExitCode[] = [
  ExitCode.INTERRUPTED,
  ExitCode.INTERNAL,
  ExitCode.USAGE,
  ExitCode.CAMERA_SOURCE,
  ExitCode.OUTPUT_ELSEWHERE,
  ExitCode.CLIENT_SATURATED,
  ExitCode.THRESHOLD_FAILED,
  ExitCode.OK,
];

/** The code a run ends with when several apply: the one listed first in URGENCY. */
export function mostUrgent(codes: readonly ExitCode[]): ExitCode {
  let best: ExitCode = ExitCode.OK;
  for (const code of codes) if (URGENCY.indexOf(code) < URGENCY.indexOf(best)) best = code;
  return best;
}
