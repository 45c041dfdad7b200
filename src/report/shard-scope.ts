import type { Report } from './report-types.js';

const plural = (n: number, word: string): string => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/** Which share of a sharded test a report holds, as every output names it ("shard 2 of 4"); null: the whole test. */
export function shardLabel(report: Partial<Pick<Report, 'shard'>>): string | null {
  const shard = report.shard;
  // One shard of one is the whole plan: nothing to merge, nothing to remind.
  return shard && shard.count > 1 ? `shard ${shard.index} of ${shard.count}` : null;
}

/**
 * The reminder beside a shard's verdict, in one sentence without a final stop: it judges this shard's streams, not
 * the test's. null for a whole run or a merge.
 */
export function shardScopeNote(report: Partial<Pick<Report, 'shard'>> & Pick<Report, 'streams'>): string | null {
  const label = shardLabel(report);
  if (label === null || !report.shard) return null;
  return `This verdict is ${label}'s only (its ${plural(report.streams.length, 'stream')}): \`camera-load merge\` of all ${report.shard.count} shard reports gives the whole test's`;
}
