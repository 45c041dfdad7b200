import type { Stat } from '../metrics/client-health.js';
import { mergeConfigs } from './merge-config.js';
import { MergeError } from './merge-errors.js';
import { mergeTimelines } from './merge-timeline.js';
import {
  SYSTEM_STATS,
  type IsolationReport,
  type IsolationWindowReport,
  type Report,
  type ShardId,
  type ShardSummary,
  type SystemReport,
} from './report-types.js';
import { concludeReport, round, summarize, type SummaryInput } from './summarize.js';
import { viewerGroupReports, type IsolationInput } from './viewer-group-reports.js';
import type { WindowInput } from './isolation-report.js';
import { INPUT_LIMITS } from '../input-limits.js';
import { latenessProblem } from './stream-start.js';
import { parseThreshold, type Threshold } from './thresholds.js';
import { defined } from '../defined.js';
import { checkStageSchedules, mergedStages } from './merge-stages.js';
import { checkStormPlans, mergedStorms } from './merge-storms.js';

export interface MergeOptions {
  /** Merge although shards are missing: the report says `partial: true` and names them. */
  allowPartial?: boolean;
  /** Checked on the merged figures; undefined: the expressions the shards were run with. */
  thresholds?: readonly Threshold[];
  /** The file each report came from, for messages (same order as the reports). */
  names?: readonly string[];
}

function systemStats(system: SystemReport): Omit<SystemReport, 'samples'> {
  return Object.fromEntries(SYSTEM_STATS.map((key) => [key, system[key]])) as Omit<SystemReport, 'samples'>;
}

/**
 * The machines were different ones: their samples are not one series. Each stat keeps the lowest minimum, the
 * mean of the averages and the highest maximum (the busiest shard); `shards[]` has each machine's own.
 */
function mergedSystem(systems: readonly SystemReport[]): SystemReport {
  const of = (key: (typeof SYSTEM_STATS)[number]): Stat => {
    const stats = systems.map((s) => s[key]);
    return {
      min: Math.min(...stats.map((s) => s.min)),
      avg: round(stats.reduce((sum, s) => sum + s.avg, 0) / stats.length, 1),
      max: Math.max(...stats.map((s) => s.max)),
    };
  };
  return { samples: [], ...(Object.fromEntries(SYSTEM_STATS.map((key) => [key, of(key)])) as Omit<SystemReport, 'samples'>) };
}

/**
 * Why a shard's machine made it not valid (saturation), undefined when it did not. Its client lateness is left out:
 * the merged streams' lateness is judged as one process's would be.
 */
function machineProblem(report: Report): string | undefined {
  if (report.summary.valid) return undefined;
  const reason = report.summary.invalidReason ?? 'saturated';
  const late = latenessProblem((report.summary as Partial<Report['summary']>).start ?? null, report.summary.targetDurationSeconds * 1000);
  if (late === undefined || !reason.endsWith(late)) return reason;
  const rest = reason.slice(0, -late.length).replace(/; $/, '');
  return rest === '' ? undefined : rest;
}

const label = (shard: ShardId): string => `shard ${shard.index}/${shard.count}`;

/** Refuses a mix of plans and a shard given twice; returns the shards' ids and the missing ones. */
function checkShards(reports: readonly Report[], names: readonly string[], allowPartial: boolean): { ids: ShardId[]; missing: number[] } {
  const first = reports[0] as Report;
  const ids = reports.map((r) => r.shard ?? { index: 1, count: 1 });
  reports.forEach((report, i) => {
    if (report.schemaVersion !== first.schemaVersion) {
      // Their fps and start times mean different things (schema 1 counted from the first attempt): never one figure.
      throw new MergeError(
        'ERR_MERGE_MIXED_SCHEMAS',
        `${names[i]} has report schema ${report.schemaVersion} and ${names[0]} schema ${first.schemaVersion}: their fps are defined differently; merge reports of one camera-load version`,
      );
    }
    if (report.planFingerprint !== first.planFingerprint) {
      throw new MergeError(
        'ERR_MERGE_DIFFERENT_PLANS',
        `${names[i]} ran another plan than ${names[0]} (other cameras, shard count or options that change what is measured)`,
      );
    }
  });
  checkTimes(reports, names);
  checkStageSchedules(reports, names);
  checkStormPlans(reports, names);
  const seen = new Map<number, string>();
  ids.forEach((id, i) => {
    const before = seen.get(id.index);
    if (before !== undefined) throw new MergeError('ERR_MERGE_DUPLICATE_SHARD', `${label(id)} given twice: ${before} and ${names[i]}`);
    seen.set(id.index, names[i] ?? '');
  });
  const count = ids[0]?.count ?? 1;
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((index) => !seen.has(index));
  if (missing.length > 0 && !allowPartial) {
    throw new MergeError(
      'ERR_MERGE_MISSING_SHARD',
      `shard${missing.length === 1 ? '' : 's'} ${missing.join(', ')} of ${count} missing (--allow-partial merges what there is)`,
    );
  }
  return { ids, missing };
}

/**
 * Shards of one test run together (--start-at, or a Job's pods within minutes of each other): one that started long
 * after another had ended is from another run of the plan (an old file matched by shard-*.json), and would stretch
 * the merged timeline over the days between.
 */
function checkTimes(reports: readonly Report[], names: readonly string[]): void {
  const spans = reports.map((r) => ({ start: Date.parse(r.startedAt), end: Date.parse(r.endedAt) }));
  const firstEnd = Math.min(...spans.map((s) => s.end));
  const latest = spans.reduce((late, s, i) => (s.start > (spans[late]?.start ?? 0) ? i : late), 0);
  const apartMs = (spans[latest]?.start ?? 0) - firstEnd;
  if (apartMs > INPUT_LIMITS.shardsApartMs) {
    const hours = (apartMs / 3_600_000).toFixed(1);
    throw new MergeError(
      'ERR_MERGE_DIFFERENT_TIMES',
      `${names[latest]} started ${hours} h after another shard had ended: shards of one test run together (a file from another run?)`,
    );
  }
  reports.forEach((report, i) => {
    const { start, end } = spans[i] ?? { start: 0, end: 0 };
    // A row is stamped within its run: one outside it (by more than a row's worth of slack) was edited, and would
    // stretch the merged timeline without end.
    const stray = report.timeline.find((row) => row.at < start - TIMELINE_SLACK_MS || row.at + row.seconds * 1000 > end + TIMELINE_SLACK_MS || row.seconds < 0);
    if (stray) throw new MergeError('ERR_MERGE_NOT_A_REPORT', `${names[i]}: a timeline row (at ${stray.at}, ${stray.seconds} s) lies outside its run`);
  });
  const intervalMs = intervalOf(reports[0]) * 1000;
  const rows = (Math.max(...spans.map((s) => s.end)) - Math.min(...spans.map((s) => s.start))) / intervalMs;
  if (rows > INPUT_LIMITS.timelineRows) {
    throw new MergeError(
      'ERR_MERGE_NOT_A_REPORT',
      `the merged timeline would have ${Math.round(rows).toLocaleString('en-US')} rows, over ${INPUT_LIMITS.timelineRows.toLocaleString('en-US')}`,
    );
  }
}

/** Slack for a timeline row's stamps against its run's start and end (clock steps, rounding). */
const TIMELINE_SLACK_MS = 60_000;

/** The timeline interval the shards were run with (--interval), in seconds. */
const intervalOf = (report: Report | undefined): number => {
  const seconds = report?.config.intervalSeconds;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0.01 ? seconds : 1;
};

/** Thresholds the shards were run with, each expression once. */
function shardThresholds(reports: readonly Report[]): Threshold[] {
  return [...new Set(reports.flatMap((r) => r.thresholds.map((t) => t.expression)))].map(parseThreshold);
}

/** Each shard's machine, times, validity and own settings, in shard order. */
function shardSummaries(order: readonly { report: Report; id: ShardId }[], configs: readonly Record<string, unknown>[]): ShardSummary[] {
  return order.map(({ report, id }, i) => ({
    index: id.index,
    host: report.host,
    startedAt: report.startedAt,
    endedAt: report.endedAt,
    valid: report.summary.valid,
    ...defined({ invalidReason: report.summary.invalidReason }),
    interrupted: report.interrupted,
    streams: report.streams.length,
    system: systemStats(report.system),
    config: configs[i] ?? {},
  }));
}

/** The shards' machines that were not valid: each names the report's own reason; none, a valid merge. */
function mergedHealth(order: readonly { report: Report; id: ShardId }[]): { valid: boolean; reason?: string } {
  const invalid = order.flatMap((o) => {
    const reason = machineProblem(o.report);
    return reason === undefined ? [] : [`${label(o.id)} (${o.report.host ?? 'unknown host'}): ${reason}`];
  });
  return { valid: invalid.length === 0, ...(invalid.length === 0 ? {} : { reason: invalid.join('; ') }) };
}

/** What every figure of the summary is computed from again: the shards' streams, as one process would have. */
function mergedSummaryInput(sorted: readonly Report[], streams: Report['streams'], health: { valid: boolean; reason?: string }): SummaryInput {
  const first = sorted[0] as Report;
  return {
    cameras: { listed: first.summary.camerasListed, active: first.summary.camerasActive, skipped: first.summary.camerasSkipped },
    streamsRequested: sorted.reduce((sum, r) => sum + r.summary.streamsRequested, 0),
    streamsPerCamera: first.summary.streamsPerCamera,
    targetDurationMs: first.summary.targetDurationSeconds * 1000,
    durationMs: Math.max(...sorted.map((r) => r.summary.durationSeconds)) * 1000,
    streams,
    health,
  };
}

/** One isolation window over the shards: their histograms added, from the latest start to the latest end. */
function mergedWindow(windows: readonly IsolationWindowReport[]): WindowInput {
  return {
    fromSeconds: Math.max(...windows.map((w) => w.fromSeconds)),
    toSeconds: Math.max(...windows.map((w) => w.toSeconds)),
    gapHistograms: windows.map((w) => w.frameGapHistogram),
    delayHistograms: windows.map((w) => w.delayHistogram),
  };
}

/** The normal viewers' windows over the shards; the compared one only when every shard's groups began. */
function mergedIsolation(sorted: readonly Report[]): IsolationInput | undefined {
  const each = sorted.map((r) => r.viewerGroups?.find((g) => g.group === 'normal')?.isolation);
  if (each.some((i) => i === undefined)) return undefined;
  const all = each as IsolationReport[];
  const after = all.map((i) => i.after);
  return {
    leadIn: mergedWindow(all.map((i) => i.leadIn)),
    after: after.every((w) => w !== null) ? mergedWindow(after) : undefined,
  };
}

/** The groups' figures summed again from the streams, each group as the first shard names it (their plans agree). */
function mergedViewerGroups(sorted: readonly Report[], input: SummaryInput): Pick<Report, 'viewerGroups'> {
  const headings = sorted[0]?.viewerGroups?.map(({ group, behaviour, share, beganAtSeconds }) => ({ group, behaviour, share, beganAtSeconds }));
  return headings ? { viewerGroups: viewerGroupReports(headings, input, mergedIsolation(sorted)) } : {};
}

function partialWarning(missing: readonly number[], count: number): string {
  return `Partial: shard${missing.length === 1 ? '' : 's'} ${missing.join(', ')} of ${count} missing; the figures cover the other shards' streams only.`;
}

/**
 * Pure: the reports of a sharded run -> the report one process running every stream would have written. Every
 * figure comes from the streams through the formulas `buildReport` uses (summarize.ts); only what is per machine
 * (system samples, timeline rows, host) is combined rather than recomputed. Typed refusals: MergeError.
 */
export function mergeReports(reports: readonly Report[], options: MergeOptions = {}): Report {
  const names = reports.map((_, i) => options.names?.[i] ?? `report ${i + 1}`);
  if (reports.length === 0) throw new MergeError('ERR_MERGE_NOT_A_REPORT', 'no report to merge');
  const { ids, missing } = checkShards(reports, names, options.allowPartial === true);
  const order = reports.map((report, i) => ({ report, id: ids[i] as ShardId })).sort((a, b) => a.id.index - b.id.index);
  const sorted = order.map((o) => o.report);
  const first = sorted[0] as Report;
  const streams = sorted.flatMap((r) => r.streams).sort((a, b) => a.index - b.index);
  const startMs = Math.min(...sorted.map((r) => Date.parse(r.startedAt)));
  const thresholds = options.thresholds ?? shardThresholds(sorted);
  const summaryInput = mergedSummaryInput(sorted, streams, mergedHealth(order));
  const config = mergeConfigs(
    sorted.map((r) => r.config),
    thresholds.map((t) => t.expression),
  );
  const timeline = mergeTimelines(
    sorted.map((r) => r.timeline),
    startMs,
    intervalOf(first) * 1000,
  );
  const merged = concludeReport(
    {
      schemaVersion: first.schemaVersion,
      tool: first.tool,
      command: 'run',
      shard: null,
      host: null,
      planFingerprint: first.planFingerprint,
      startedAt: new Date(startMs).toISOString(),
      endedAt: new Date(Math.max(...sorted.map((r) => Date.parse(r.endedAt)))).toISOString(),
      interrupted: sorted.some((r) => r.interrupted),
      config: config.common,
      summary: summarize(summaryInput),
      streams,
      timeline,
      system: mergedSystem(sorted.map((r) => r.system)),
      shards: shardSummaries(order, config.perShard),
      ...(config.differing.length > 0 ? { settingsDiffering: config.differing } : {}),
      ...(missing.length > 0 ? { partial: true, missingShards: missing } : {}),
      ...mergedStages(sorted, streams, timeline),
      ...mergedStorms(sorted),
      ...mergedViewerGroups(sorted, summaryInput),
    },
    thresholds,
  );
  if (missing.length > 0) merged.analysis.warnings.unshift(partialWarning(missing, ids[0]?.count ?? 1));
  return merged;
}
