import type { FreshnessHistograms } from './freshness-report.js';
import type { GapHistogram } from '../metrics/gap-histogram.js';
import { VIEWER_GROUPS, type ViewerBehaviour, type ViewerGroup, type ViewerPlan } from '../viewers.js';
import type { StreamReport, ViewerGroupReport } from './report-types.js';
import { summarize, type SummaryInput } from './summarize.js';

/** What a group is, apart from its figures: what a merge takes from a shard's report and sums again. */
export type ViewerGroupHeading = Omit<ViewerGroupReport, 'summary'>;

const decimal = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 1 });

/** A rate as people read it: bytes per second in SI units, with the bits per second of a link beside it. */
export function describeRate(bytesPerSecond: number): string {
  const [bytes, bits] = [bytesPerSecond, bytesPerSecond * 8].map((n, i) => {
    const unit = i === 0 ? 'B/s' : 'bit/s';
    if (n >= 1e9) return `${decimal(n / 1e9)} G${unit}`;
    if (n >= 1e6) return `${decimal(n / 1e6)} M${unit}`;
    if (n >= 1e3) return `${decimal(n / 1e3)} k${unit}`;
    return `${decimal(n)} ${unit}`;
  });
  return `${bits} (${bytes})`;
}

/** How a group reads once the groups begin, in words. */
export function describeBehaviour(behaviour: ViewerBehaviour | { group: 'normal' }): string {
  switch (behaviour.group) {
    case 'normal':
      return 'reads as fast as it can';
    case 'slow':
      return `reads at most ${describeRate(behaviour.bytesPerSecond)}`;
    case 'pausing':
      return `stops reading for ${decimal(behaviour.pauseMs / 1000)} s every ${decimal(behaviour.everyMs / 1000)} s`;
    case 'stuck':
      return 'stops reading after its first frame';
  }
}

/** The groups of a plan, normal first, each with how it reads, its share and when it began. */
export function viewerGroupHeadings(plan: ViewerPlan): ViewerGroupHeading[] {
  const others = plan.behaviours.reduce((sum, b) => sum + b.share, 0);
  return [
    { group: 'normal', behaviour: describeBehaviour({ group: 'normal' }), share: Math.max(0, 1 - others), beganAtSeconds: 0 },
    ...plan.behaviours.map((b) => ({ group: b.group, behaviour: describeBehaviour(b), share: b.share, beganAtSeconds: plan.leadInMs / 1000 })),
  ];
}

/** A stream's group: streams of reports without groups were all normal. */
export const groupOf = (stream: Pick<StreamReport, 'viewers'>): ViewerGroup => stream.viewers ?? 'normal';

/**
 * Pure: each group's summary over its streams alone, by the formulas of the run's own (summarize), so that a
 * shard's groups and a merge's add up exactly. `input` is the run's; the histograms, when given, are in its order.
 */
export function viewerGroupReports(headings: readonly ViewerGroupHeading[], input: SummaryInput): ViewerGroupReport[] {
  const order = [...headings].sort((a, b) => VIEWER_GROUPS.indexOf(a.group) - VIEWER_GROUPS.indexOf(b.group));
  const { gaps, freshness } = input;
  return order.map((heading) => {
    const picked = input.streams.flatMap((s, i) => (groupOf(s) === heading.group ? [i] : []));
    const summary = summarize({
      ...input,
      streamsRequested: picked.length,
      streams: picked.map((i) => input.streams[i] as StreamReport),
      ...(gaps ? { gaps: picked.map((i) => gaps[i] as GapHistogram) } : {}),
      ...(freshness ? { freshness: picked.map((i) => freshness[i] as FreshnessHistograms) } : {}),
    });
    return { ...heading, summary };
  });
}
