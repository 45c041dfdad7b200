import type { FreshnessHistograms } from './freshness-report.js';
import type { GapHistogram } from '../metrics/gap-histogram.js';
import { VIEWER_GROUPS, type ViewerBehaviour, type ViewerPlan } from '../viewers.js';
import type { GroupFill, StreamReport, ViewerGroupReport } from './report-types.js';
import { summarize, type SummaryInput } from './summarize.js';
import { isolationReport, type WindowInput } from './isolation-report.js';
import { round } from './numbers.js';
import { groupOf } from './report-for-viewers.js';

/** What a group is, apart from its figures: what a merge takes from a shard's report and sums again. */
export type ViewerGroupHeading = Omit<ViewerGroupReport, 'summary' | 'fill' | 'isolation'>;

/** The normal viewers' two windows, their histograms encoded (one per process; a merge has one per shard). */
export interface IsolationInput {
  leadIn: WindowInput;
  /** undefined: the groups never began. */
  after: WindowInput | undefined;
}

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
  return `${bits}, ${bytes}`;
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

/** When the server felt a group's viewers, from the group's start: its fill time is when it had felt half of them. */
function groupFill(streams: readonly StreamReport[], beganAtSeconds: number): GroupFill {
  const felt = streams
    .flatMap((s) => (s.feltAtSeconds === undefined || s.feltAtSeconds === null ? [] : [Math.max(0, s.feltAtSeconds - beganAtSeconds)]))
    .sort((a, b) => a - b);
  const half = Math.ceil(streams.length / 2);
  return {
    felt: felt.length,
    of: streams.length,
    p50Seconds: streams.length > 0 && felt.length >= half ? round(felt[half - 1] ?? 0) : null,
    maxSeconds: felt.length > 0 ? round(felt.at(-1) ?? 0) : null,
    skipsKnown: streams.filter((s) => s.freshness.skippedFrames !== undefined && s.freshness.skippedFrames !== null).length,
  };
}

/**
 * Pure: each group's summary over its streams alone, by the formulas of the run's own (summarize), so that a
 * shard's groups and a merge's add up exactly; the slow, pausing and stuck groups' fill times, and the normal group's
 * isolation windows when given. `input` is the run's; the histograms, when given, are in its order.
 */
export function viewerGroupReports(headings: readonly ViewerGroupHeading[], input: SummaryInput, isolation?: IsolationInput): ViewerGroupReport[] {
  const order = [...headings].sort((a, b) => VIEWER_GROUPS.indexOf(a.group) - VIEWER_GROUPS.indexOf(b.group));
  const { gaps, freshness } = input;
  const reports = order.map((heading): ViewerGroupReport & { streams: StreamReport[] } => {
    const picked = input.streams.flatMap((s, i) => (groupOf(s) === heading.group ? [i] : []));
    const streams = picked.map((i) => input.streams[i] as StreamReport);
    const summary = summarize({
      ...input,
      streamsRequested: picked.length,
      streams,
      ...(gaps ? { gaps: picked.map((i) => gaps[i] as GapHistogram) } : {}),
      ...(freshness ? { freshness: picked.map((i) => freshness[i] as FreshnessHistograms) } : {}),
    });
    return { ...heading, summary, streams, ...(heading.group === 'normal' ? {} : { fill: groupFill(streams, heading.beganAtSeconds) }) };
  });
  // The normal group's verdict names the groups the server showed it felt, and those it showed no sign of feeling.
  const unfelt = reports.flatMap((r) => (r.fill?.felt === 0 && r.fill.of > 0 ? [r.group] : []));
  return reports.map(({ streams, ...report }) =>
    report.group === 'normal' && isolation ? { ...report, isolation: isolationReport(streams, isolation.leadIn, isolation.after, unfelt) } : report,
  );
}
