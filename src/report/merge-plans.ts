import { MergeError } from './merge-errors.js';
import type { Report } from './report-types.js';

// Shards of one plan ran one load shape (--stages, --storm-at: both in their fingerprint). A shard with another, or
// with none where the first has one, is a file from another plan or one edited: its figures would add up to nothing
// true, so the merge refuses it, naming the flag.

/** One part of the plan as the shards' reports show it; `{first}` in the wording stands for the first shard's name. */
export interface PlanPart {
  flag: string;
  /** What a shard ran, as canonical text; undefined: none. */
  ran: (report: Report) => string | undefined;
  missing: string;
  extra: string;
  other: string;
}

export function checkShardsRanAlike(reports: readonly Report[], names: readonly string[], part: PlanPart): void {
  const first = reports[0] && part.ran(reports[0]);
  reports.forEach((report, i) => {
    const mine = part.ran(report);
    if (mine === first) return;
    const why = mine === undefined ? part.missing : first === undefined ? part.extra : part.other;
    throw new MergeError(
      'ERR_MERGE_DIFFERENT_PLANS',
      `${names[i]} ${why.replace('{first}', names[0] ?? '')}: the shards of one test run the same ${part.flag}`,
    );
  });
}
