import { parseThreshold, type Threshold } from '../report/thresholds.js';

/** What commander hands the merge command: raw text, checked here. */
export interface MergeFlags {
  output?: string;
  html?: string | true;
  threshold: string[];
  junit?: string;
  allowPartial?: boolean;
  quiet?: boolean;
}

export interface MergeCommandOptions {
  files: string[];
  output?: string;
  html?: string | true;
  /** undefined: none given, so the shards' own thresholds are checked on the merged figures. */
  thresholds: Threshold[] | undefined;
  junit?: string;
  allowPartial: boolean;
  quiet: boolean;
}

/** Checks the merge command's flags once, at the edge. */
export function resolveMergeOptions(files: string[], flags: MergeFlags): MergeCommandOptions {
  return {
    files,
    ...(flags.output === undefined ? {} : { output: flags.output }),
    ...(flags.html === undefined ? {} : { html: flags.html }),
    thresholds: flags.threshold.length > 0 ? flags.threshold.map(parseThreshold) : undefined,
    ...(flags.junit === undefined ? {} : { junit: flags.junit }),
    allowPartial: flags.allowPartial === true,
    quiet: flags.quiet === true,
  };
}
