import { parseThreshold, type Threshold } from '../report/thresholds.js';
import { defined } from '../defined.js';

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
    ...defined({ output: flags.output, html: flags.html }),
    thresholds: flags.threshold.length > 0 ? flags.threshold.map(parseThreshold) : undefined,
    ...defined({ junit: flags.junit }),
    allowPartial: flags.allowPartial === true,
    quiet: flags.quiet === true,
  };
}
