// What a flag is, for the flag table and the tables beside it (viewer-flags.ts): its text, default, help group.

/** The commands that take flags from the flag table (simulate has its own, in simulate-options.ts). */
export type FlaggedCommand = 'run' | 'max' | 'merge' | 'report' | 'cameras';

/** One command-line flag: declared once in the flag table, added to each command that takes it. */
export interface FlagSpec {
  flags: string;
  /** The one line `--help` shows. */
  description: string;
  /** Parsed default, handed to commander. */
  default?: string | readonly string[];
  /** The default as the help and the options reference show it, where it is not a plain value. */
  defaultText?: string;
  /** Sentences the options reference (docs/options.md) adds to the help line (undefined: none, where a command drops the common ones). */
  more?: string | undefined;
  /** The heading the option is listed under in `--help` and in the reference. */
  group?: string;
  /** Repeatable: each use adds a value. */
  repeatable?: boolean;
  /** Given at most once: a second use is a usage error, not a silent replacement (only for a flag with no `default`). */
  once?: boolean;
  /** What differs when another command takes the flag. */
  for?: Partial<Record<FlaggedCommand, Partial<Omit<FlagSpec, 'flags' | 'for'>>>>;
}

/** Help headings, in the order a command's help shows its groups. */
export const GROUP = {
  load: 'Load:',
  search: 'Search:',
  cameras: 'Cameras:',
  streams: 'Streams:',
  viewers: 'Viewers:',
  verdict: 'Pass or fail:',
  outputs: 'Outputs:',
  sharding: 'Sharding:',
  metrics: 'Live metrics (Prometheus):',
} as const;
