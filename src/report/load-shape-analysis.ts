import type { Report } from './report-types.js';

// What the analysis says of a run's load over time (issue 30): a stage that did not reach its target, a storm some
// viewers never came back from.

type RunReport = Omit<Report, 'analysis' | 'thresholds'>;

/** A stage reached its target when its open streams came within 1% of the higher of its two ends. */
const REACHED_SHARE = 0.99;

const plural = (n: number, word: string): string => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

function stageWarnings(report: RunReport): string[] {
  return (report.stages ?? []).flatMap((stage) => {
    const wanted = Math.max(stage.target.from, stage.target.to);
    const reached = stage.openStreams?.max ?? 0;
    if (wanted === 0 || reached >= Math.floor(wanted * REACHED_SHARE)) return [];
    return [
      `Stage ${stage.stage} (${stage.fromSeconds}–${stage.toSeconds} s) had at most ${plural(reached, 'stream')} open of the ${wanted.toLocaleString('en-US')} it asked for.`,
    ];
  });
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
