import type { MaxReport } from '../max/max-report.js';
import type { Report } from '../report/report-types.js';
import { cameraTable, type CameraRow, type CameraTable } from './camera-rows.js';
import { gapPercentiles, histogram, type Bins, type PercentileCurve } from './distributions.js';
import { freshnessOf } from './older-reports.js';
import { stageBands } from './stages-section.js';
import { stormMarks } from './storms-section.js';
import { groupsBeganAt, viewerGroupsOf } from './viewer-groups-section.js';
import { clientSeries, timeAxisEnd, timelineSeries, type ClientSeries, type TimelineSeries } from './time-series.js';

/** Rows per page of the camera table, in the page and in the server-rendered first page. */
export const PAGE_SIZE = 100;

/**
 * What the page's script reads from `<script type="application/json" id="data">`: only what the charts and the
 * table need, computed here (the script draws, it does not analyse).
 */
export interface RunPageData {
  v: 1;
  kind: 'run';
  /** The shared time axis ends here (seconds since startedAt); it starts at 0. */
  timeEnd: number;
  /** Streams planned: the ceiling the open-streams chart is read against. */
  streamsPlanned: number;
  timeline: TimelineSeries;
  /** null in a merged report (no samples of one machine) or when nothing was sampled. */
  client: ClientSeries | null;
  distributions: {
    fpsPerStream: Bins | null;
    timeToFirstFrameMs: Bins | null;
    frameGapMs: PercentileCurve | null;
  };
  cameras: CameraTable;
  pageSize: number;
  /** A run with viewer groups only: when they began (the lead-in's end), seconds since startedAt; the charts mark it. */
  groupsBeganAt?: number;
  /** A run with --stages only: each stage's span on the time axis (seconds since startedAt); the charts shade them. */
  stages?: { stage: number; from: number; to: number }[];
  /** A run with --storm-at only: each storm's instant on the time axis (seconds since startedAt); the charts mark them. */
  storms?: { storm: number; at: number }[];
}

export interface MaxPageData {
  v: 1;
  kind: 'max';
  /** One entry per trial, in the order they ran. */
  trials: { index: number[]; streams: number[]; fpsPerStream: number[]; stable: number[]; minFps: (number | null)[] };
}

export type PageData = RunPageData | MaxPageData;

export function runPageData(report: Report, rows: readonly CameraRow[]): RunPageData {
  const timeline = timelineSeries(report);
  const client = clientSeries(report);
  const opened = report.streams.filter((s) => s.opened);
  const began = groupsBeganAt(report);
  const stages = stageBands(report);
  const storms = stormMarks(report);
  return {
    v: 1,
    kind: 'run',
    timeEnd: timeAxisEnd(report, client),
    streamsPlanned: report.summary.streamsPlanned,
    timeline,
    client: client.t.length > 0 ? client : null,
    distributions: {
      fpsPerStream: histogram(opened.flatMap((s) => (s.fps === null ? [] : [s.fps]))),
      timeToFirstFrameMs: histogram(opened.flatMap((s) => (s.timeToFirstFrameMs === null ? [] : [s.timeToFirstFrameMs]))),
      frameGapMs: gapPercentiles(report.streams),
    },
    cameras: cameraTable(rows, report.summary.streamsPerCamera > 1, freshnessOf(report) !== null, viewerGroupsOf(report) !== null),
    pageSize: PAGE_SIZE,
    ...(began === null ? {} : { groupsBeganAt: began }),
    ...(stages === null ? {} : { stages }),
    ...(storms === null ? {} : { storms }),
  };
}

export function maxPageData(report: MaxReport): MaxPageData {
  const trials = [...report.trials].sort((a, b) => a.index - b.index);
  return {
    v: 1,
    kind: 'max',
    trials: {
      index: trials.map((t) => t.index),
      streams: trials.map((t) => t.level),
      fpsPerStream: trials.map((t) => Math.round(t.fpsPerStream * 1000) / 1000),
      stable: trials.map((t) => (t.verdict.stable ? 1 : 0)),
      minFps: trials.map((t) => (t.verdict.minFps === undefined ? null : Math.round(t.verdict.minFps * 1000) / 1000)),
    },
  };
}
