/** The exit-code table (contract, see README "Exit codes"). When several apply: 130, then 4, then 1. */
export const ExitCode = {
  OK: 0,
  THRESHOLD_FAILED: 1,
  USAGE: 2,
  CAMERA_SOURCE: 3,
  CLIENT_SATURATED: 4,
  /** A bug in camera-load itself (sysexits' EX_SOFTWARE), never a verdict on the server. */
  INTERNAL: 70,
  INTERRUPTED: 130,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
