import type { Report, StageReport } from '../report/report-types.js';

// How each stage of `--stages` (issue 30) fared, one rule for every output that marks a stage (JUnit, the job
// summary, the HTML page): a stage whose viewers had no frame at all failed, whatever the run's verdict says.

export interface StageStanding {
  /** The run ended before the stage began (interrupted): it has no figures, and is neither passed nor failed. */
  ran: boolean;
  /** Viewers open in the stage, and those of them with a frame in it; null: the report's streams do not say. */
  viewers: { open: number; withFrames: number } | null;
  /** Viewers were open in it and none of them had a frame. */
  failed: boolean;
}

/** The viewers open in stage `index` (streams[].stages not null) and those with a frame in it; null without per-stream stages. */
function viewersIn(streams: Report['streams'], index: number): StageStanding['viewers'] {
  if (!streams.some((s) => s.stages !== undefined)) return null;
  let open = 0;
  let withFrames = 0;
  for (const s of streams) {
    const viewed = s.stages?.[index];
    if (viewed === null || viewed === undefined) continue;
    open++;
    if (viewed.frames > 0) withFrames++;
  }
  return { open, withFrames };
}

/** Pure: how stage `index` of `report.stages` fared. */
export function stageStanding(report: Pick<Report, 'streams' | 'summary'>, stage: StageReport, index: number): StageStanding {
  const ran = stage.fromSeconds < report.summary.durationSeconds;
  const viewers = ran ? viewersIn(report.streams, index) : null;
  // Without per-stream figures, the stage's own frame count says whether anyone watched.
  const asked = Math.max(stage.target.from, stage.target.to) > 0 && stage.toSeconds > stage.fromSeconds;
  const failed = ran && (viewers === null ? asked && stage.frames === 0 : viewers.open > 0 && viewers.withFrames === 0);
  return { ran, viewers, failed };
}

/** A stage of the report with how it fared: what each output's row of it is drawn from. */
export interface StageWithStanding {
  stage: StageReport;
  standing: StageStanding;
}

/** Every stage of the report with how it fared; empty for a run without --stages. */
export const standingsOf = (report: Pick<Report, 'streams' | 'summary' | 'stages'>): StageWithStanding[] =>
  (report.stages ?? []).map((stage, index) => ({ stage, standing: stageStanding(report, stage, index) }));
