import type { Report, ReportTimelineRow, StageReport } from './report-types.js';
import { rowsIn } from './stage-reports.js';

// What the analysis says of a run's load over time (issue 30): a stage that did not reach its target, arrivals the
// open model dropped at its cap, a storm some viewers never came back from.

type RunReport = Omit<Report, 'analysis' | 'thresholds'>;

/** A stage reached its target when its open streams came within 1% of it. */
const REACHED_SHARE = 0.99;

const plural = (n: number, word: string): string => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/**
 * The streams a stage should have had open at its last timeline sample: its target then, less the streams that
 * opened in the last quarter of a second before it (their responses may not have come yet).
 */
function wantedBy(stage: StageReport, rows: readonly ReportTimelineRow[], isLast: boolean): number {
  const last = rowsIn(rows, stage.fromSeconds, isLast ? Infinity : stage.toSeconds).at(-1);
  if (last === undefined || stage.target.from === stage.target.to) return stage.target.to;
  const at = Math.min(stage.toSeconds, Math.max(stage.fromSeconds, last.t + last.seconds - Math.min(0.25, last.seconds / 4)));
  const span = stage.toSeconds - stage.fromSeconds;
  const fraction = span > 0 ? (at - stage.fromSeconds) / span : 1;
  return Math.ceil(stage.target.from + (stage.target.to - stage.target.from) * fraction - 1e-9);
}

/**
 * The open model's dropped arrivals: --max-streams is camera-load's own cap, so they say nothing of the server, but the
 * load it offered was less than the rate asked for.
 */
function droppedWarning(stage: StageReport): string[] {
  if (stage.droppedArrivals === 0) return [];
  return [
    `Stage ${stage.stage} (${stage.fromSeconds}–${stage.toSeconds} s): ${plural(stage.droppedArrivals, 'arrival')} dropped because --max-streams viewers ` +
      "were open already (camera-load's own cap, not the server's): the server was offered less than the arrival rate; raise --max-streams to offer all of it.",
  ];
}

/** Arrivals started later than this (p99) are named: issue 30's bench holds the schedule within it at 20 arrivals/s. */
export const NOTABLE_ARRIVAL_LATENESS_MS = 50;

/** A schedule camera-load could not keep is its own, named as such. */
function latenessWarning(stage: StageReport): string[] {
  const late = stage.clientLatenessMs;
  const missed = stage.arrivalsNotStarted ?? 0;
  if (late === undefined || late.count === 0 || (late.p99 <= NOTABLE_ARRIVAL_LATENESS_MS && missed === 0)) return [];
  const never = missed === 0 ? '' : `; ${plural(missed, 'planned arrival')} it never began before the run ended`;
  return [
    `Stage ${stage.stage} (${stage.fromSeconds}–${stage.toSeconds} s): camera-load started its arrivals late by its own doing (client lateness p99 ` +
      `${Math.round(late.p99)} ms, max ${Math.round(late.max)} ms over ${plural(late.count, 'arrival')}: its timers, event loop and CPU${never}), so the schedule was not kept.`,
  ];
}

/** Under --stages, a stage that fell short of its target; in the open model, the arrivals its cap dropped. */
function targetWarning(stage: StageReport, isLast: boolean, report: RunReport): string[] {
  // The open model's target is what Little's law expects, not a level asked for: its arrivals vary around it.
  if (stage.arrivalsPerSecond !== undefined) return droppedWarning(stage);
  const wanted = wantedBy(stage, report.timeline, isLast);
  const reached = stage.openStreams?.max ?? 0;
  if (wanted === 0 || reached >= Math.floor(wanted * REACHED_SHARE)) return [];
  return [
    `Stage ${stage.stage} (${stage.fromSeconds}–${stage.toSeconds} s) had at most ${plural(reached, 'stream')} open where its target asked for ${wanted.toLocaleString('en-US')}.`,
  ];
}

function stageWarnings(report: RunReport): string[] {
  const stages = report.stages ?? [];
  return stages.flatMap((stage, i) => [...latenessWarning(stage), ...targetWarning(stage, i === stages.length - 1, report)]);
}

function stormWarnings(report: RunReport): string[] {
  return (report.storms ?? []).flatMap((storm) => {
    const lost = storm.viewers - storm.recovered;
    if (lost === 0) return [];
    return [
      `Storm ${storm.storm} at ${storm.atSeconds} s: ${plural(lost, 'viewer')} of the ${storm.viewers.toLocaleString('en-US')} it dropped never had a frame again.`,
    ];
  });
}

export function loadShapeWarnings(report: RunReport): string[] {
  return [...stageWarnings(report), ...stormWarnings(report)];
}
