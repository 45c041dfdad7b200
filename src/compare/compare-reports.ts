import { UsageError } from '../errors.js';
import type { Report, StreamReport } from '../report/report-types.js';
import type { ViewerGroup } from '../viewers.js';
import type { CompareLine, CompareResult, CompareSide, NoiseThreshold, Scope } from './compare-types.js';
import { streamFigureData, streamFigures, type FigureData, type FigureSpec } from './figures.js';
import { judge, notCompared } from './judge.js';
import { scopeSelector } from './line-text.js';
import { noiseOf } from './noise.js';
import { sideWarnings } from './side-warnings.js';
import { STAGE_FIGURES, stageFigureData } from './stage-figures.js';

// Two run reports compared figure by figure (issue 31): over the whole run, each viewer group both ran, and each
// stage both ran alike. The verdict is worse when any line is.

export interface CompareInput {
  base: Report;
  next: Report;
  files: { base: string; next: string };
  /** --noise (0-1): every figure's relative threshold. */
  noise?: number;
  /** --allow-different-plans: compare runs of different camera sets or stream counts. */
  allowDifferentPlans: boolean;
  version: string;
}

/** What two runs must share to be compared alike: their stream count and camera set. */
export interface PlanShape {
  streams: number;
  cameraIds: readonly string[];
}

export const planShape = (cameraIds: readonly string[]): PlanShape => ({ streams: cameraIds.length, cameraIds: [...new Set(cameraIds)].sort() });

/** Runs of different plans are not alike: refused (exit 2) unless asked for, then named in the warnings. */
export function planDifference(base: PlanShape, next: PlanShape): string | undefined {
  if (base.streams === next.streams && base.cameraIds.join('\n') === next.cameraIds.join('\n')) return undefined;
  const inNext = new Set(next.cameraIds);
  const shared = base.cameraIds.filter((id) => inNext.has(id)).length;
  const what = (plan: PlanShape): string => `${plan.streams} streams over ${plan.cameraIds.length} cameras`;
  return `BASE has ${what(base)}, NEW ${what(next)} (${shared} cameras in both)`;
}

export const PLANS_DIFFER = (difference: string, remedy: string): UsageError =>
  new UsageError(`the two runs had different plans: ${difference}; ${remedy} (ERR_COMPARE_PLANS)`, { code: 'ERR_COMPARE_PLANS' });

const shapeOf = (report: Report): PlanShape => planShape(report.streams.map((s) => s.cameraId));

function side(report: Report, file: string): CompareSide {
  const { valid, invalidReason } = report.summary;
  return {
    file,
    startedAt: report.startedAt,
    schemaVersion: report.schemaVersion,
    streams: report.streams.length,
    cameras: shapeOf(report).cameraIds.length,
    valid,
    ...(invalidReason === undefined ? {} : { invalidReason }),
    interrupted: report.interrupted,
    partial: report.partial === true,
  };
}

/** One scope's lines: each figure judged from both sides' data. */
function scopeLines(
  specs: readonly FigureSpec[],
  scope: Scope,
  data: (spec: FigureSpec, side: 'base' | 'next') => FigureData,
  context: LineContext,
): CompareLine[] {
  return specs.map((spec) => {
    const [base, next] = [data(spec, 'base'), data(spec, 'next')];
    const threshold = widenedToResolution(noiseOf(spec.figure, context.noise), base, next);
    const judged =
      spec.schemaBound && context.schemaDiffers
        ? notCompared(base, next, 'its definition changed between the two reports (schema 1 counts fps from the first attempt, schema 2 from the first frame)')
        : judge(spec, base, next, threshold);
    return { figure: spec.figure, scope, name: spec.name, unit: spec.unit, better: spec.better, threshold, ...judged, warnings: context.warnings };
  });
}

/** A change smaller than one frame over a stream's watched time is below what either run could measure. */
function widenedToResolution(threshold: NoiseThreshold, base: FigureData, next: FigureData): NoiseThreshold {
  const resolution = Math.max(base.kind === 'percentile' ? 0 : (base.resolution ?? 0), next.kind === 'percentile' ? 0 : (next.resolution ?? 0));
  return resolution > threshold.absolute ? { ...threshold, absolute: resolution } : threshold;
}

interface LineContext {
  noise: number | undefined;
  schemaDiffers: boolean;
  warnings: string[];
}

const inGroup = (streams: readonly StreamReport[], group: ViewerGroup | undefined): StreamReport[] =>
  group === undefined ? [...streams] : streams.filter((s) => (s.viewers ?? 'normal') === group);

/** The viewer groups both runs had, with streams on each side. */
function sharedGroups(base: Report, next: Report): ViewerGroup[] {
  const groups = (r: Report): ViewerGroup[] => (r.viewerGroups ?? []).map((g) => g.group);
  return groups(base).filter((g) => groups(next).includes(g));
}

/** Stages are compared one by one only when both runs ran the same schedule. */
function sharedStages(base: Report, next: Report): number {
  const spans = (r: Report): string => JSON.stringify((r.stages ?? []).map((s) => [s.fromSeconds, s.toSeconds, s.target, s.arrivalsPerSecond]));
  return base.stages !== undefined && spans(base) === spans(next) ? base.stages.length : 0;
}

function allLines(input: CompareInput, context: LineContext): CompareLine[] {
  const { base, next } = input;
  const lines: CompareLine[] = [];
  for (const group of [undefined, ...sharedGroups(base, next)]) {
    const streams = { base: inGroup(base.streams, group), next: inGroup(next.streams, group) };
    const specs = streamFigures(streams.base, streams.next);
    const reportOf = { base, next };
    lines.push(...scopeLines(specs, group === undefined ? {} : { viewers: group }, (spec, s) => streamFigureData(spec, streams[s], reportOf[s]), context));
  }
  for (let stage = 1; stage <= sharedStages(base, next); stage++) {
    lines.push(...scopeLines(STAGE_FIGURES, { stage }, (spec, s) => stageFigureData(spec, s === 'base' ? base : next, stage), context));
  }
  return lines;
}

export function compareReports(input: CompareInput): CompareResult {
  const { base, next } = input;
  const difference = planDifference(shapeOf(base), shapeOf(next));
  if (difference !== undefined && !input.allowDifferentPlans) throw PLANS_DIFFER(difference, '--allow-different-plans compares them anyway');
  const warnings = sideWarnings(base, next);
  const context: LineContext = { noise: input.noise, schemaDiffers: base.schemaVersion !== next.schemaVersion, warnings };
  const lines = allLines(input, context);
  const named = (verdict: string): string[] =>
    lines.filter((l) => l.verdict === verdict).map((l) => `${l.name}${l.scope.viewers || l.scope.stage ? ` ${scopeSelector(l.scope)}` : ''}`);
  const [worse, better] = [named('worse'), named('better')];
  return {
    schemaVersion: 1,
    tool: { name: 'camera-load', version: input.version },
    command: 'compare',
    kind: 'run',
    base: side(base, input.files.base),
    new: side(next, input.files.next),
    verdict: worse.length > 0 ? 'worse' : better.length > 0 ? 'better' : 'same',
    worse,
    better,
    noiseOverride: input.noise ?? null,
    warnings: difference === undefined ? warnings : [`different plans, compared as asked (--allow-different-plans): ${difference}`, ...warnings],
    lines,
  };
}
