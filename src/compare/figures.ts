import { forEachEncodedBucket } from '../metrics/encoded-histograms.js';
import { bucketTop } from '../metrics/gap-histogram.js';
import type { Report, StreamReport } from '../report/report-types.js';
import type { Buckets } from './statistics.js';

// The figures `compare` weighs (issue 31), read from one report for one scope. Three kinds, each judged its own way
// (judge.ts): a value per stream (the streams are the samples), a rate per stream-hour (likewise), and a
// percentile of HdrHistograms merged exactly (the frames are the samples).

export interface FigureSpec {
  figure: string;
  name: string;
  unit: string;
  better: 'higher' | 'lower';
  kind: 'streams' | 'rate' | 'percentile';
  /** A figure whose definition changed with report schema 2 (fps from the first frame, times from the request leaving). */
  schemaBound?: true;
}

/**
 * One side's data for one figure: a sample per stream, or the merged buckets with their percentile. `resolution`:
 * the change one frame more or less makes to a typical stream's fps (1 ÷ its seconds watched, the median over
 * streams): a run of 4 s cannot tell fps apart closer than 0.25, however many streams agree.
 */
export type FigureData = { kind: 'streams' | 'rate'; values: number[]; resolution?: number } | { kind: 'percentile'; buckets: Buckets; quantile: number };

/** The median of 1 ÷ seconds over streams watched 1 s or more (undefined: none). */
export function frameResolution(seconds: readonly number[]): number | undefined {
  const inverse = seconds
    .filter((s) => s >= 1)
    .map((s) => 1 / s)
    .sort((a, b) => a - b);
  return inverse.length === 0 ? undefined : inverse[Math.floor((inverse.length - 1) / 2)];
}

const STREAM_FIGURES: readonly FigureSpec[] = [
  { figure: 'fps', name: 'fps per stream, median', unit: 'fps', better: 'higher', kind: 'streams', schemaBound: true },
  { figure: 'freshFps', name: 'fresh fps per stream (repeats left out), median', unit: 'fps', better: 'higher', kind: 'streams', schemaBound: true },
  { figure: 'timeToFirstFrame', name: 'time to first frame per stream, median', unit: 'ms', better: 'lower', kind: 'streams', schemaBound: true },
  { figure: 'frameGap.p50', name: 'frame gap p50, all frames', unit: 'ms', better: 'lower', kind: 'percentile' },
  { figure: 'frameGap.p99', name: 'frame gap p99, all frames', unit: 'ms', better: 'lower', kind: 'percentile' },
  { figure: 'delay.p50', name: 'queueing delay p50, timestamped frames', unit: 'ms', better: 'lower', kind: 'percentile' },
  { figure: 'delay.p99', name: 'queueing delay p99, timestamped frames', unit: 'ms', better: 'lower', kind: 'percentile' },
  { figure: 'reconnections', name: 'reconnections per stream-hour, mean', unit: '/stream-h', better: 'lower', kind: 'rate' },
  { figure: 'stalls', name: 'stalls per stream-hour, mean', unit: '/stream-h', better: 'lower', kind: 'rate' },
  { figure: 'bandwidth', name: 'bandwidth per stream while connected, median', unit: 'Mbit/s', better: 'higher', kind: 'streams' },
];

/** The figures of a whole run or a viewer group: the fixed ones, then one line per error code either side had. */
export function streamFigures(base: readonly StreamReport[], next: readonly StreamReport[]): FigureSpec[] {
  const codes = new Set<string>();
  for (const s of [...base, ...next]) for (const code of Object.keys(s.errors)) codes.add(code);
  const errors = [...codes]
    .sort()
    .map((code): FigureSpec => ({ figure: `errors.${code}`, name: `${code} ends per stream-hour, mean`, unit: '/stream-h', better: 'lower', kind: 'rate' }));
  return [...STREAM_FIGURES, ...errors];
}

/** Reports from before freshness and starts were kept have neither: their figures are missing, not zero. */
const older = (s: StreamReport): Partial<Pick<StreamReport, 'freshness' | 'start'>> => s;

/** Seconds a stream was there to be watched: its stages' own, or from its request leaving to the end of the run. */
function watchedSeconds(s: StreamReport, report: Report): number {
  if (s.stages !== undefined) return s.stages.reduce((sum, stage) => sum + (stage?.seconds ?? 0), 0);
  const sentMs = older(s).start?.requestSentAtMs ?? 0;
  return Math.max(0, report.summary.durationSeconds - sentMs / 1000);
}

const present = (values: readonly (number | null | undefined)[]): number[] => values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));

/** Every stream's count per hour it was watched, streams watched under a second left out. */
function ratePerHour(streams: readonly StreamReport[], report: Report, count: (s: StreamReport) => number): number[] {
  return streams.flatMap((s) => {
    const seconds = watchedSeconds(s, report);
    return seconds >= 1 ? [(count(s) * 3600) / seconds] : [];
  });
}

/** The HdrHistograms added, as buckets valued as the report reads them (each bucket's top). */
export function mergedBuckets(encoded: Iterable<string>): Buckets {
  const counts = new Map<number, number>();
  for (const text of encoded) {
    if (text === '') continue;
    forEachEncodedBucket(text, (bucket, count) => counts.set(bucket, (counts.get(bucket) ?? 0) + count));
  }
  const buckets = [...counts.keys()].sort((a, b) => a - b);
  return { values: buckets.map(bucketTop), counts: buckets.map((b) => counts.get(b) ?? 0) };
}

const quantileOf = (figure: string): number => (figure.endsWith('.p99') ? 0.99 : 0.5);

// The p50 and p99 lines of a histogram read the same merged buckets: decoding 10,000 streams' histograms twice was a
// fifth of comparing two such reports. Keyed by the streams' array, which compare builds once per scope and never changes.
const mergedByStreams = new WeakMap<readonly StreamReport[], Map<'frameGap' | 'delay', Buckets>>();

function mergedOnce(streams: readonly StreamReport[], family: 'frameGap' | 'delay'): Buckets {
  const known = mergedByStreams.get(streams) ?? new Map<'frameGap' | 'delay', Buckets>();
  mergedByStreams.set(streams, known);
  const cached = known.get(family);
  if (cached !== undefined) return cached;
  const encoded = family === 'frameGap' ? streams.map((s) => s.frameGapHistogram) : streams.map((s) => older(s).freshness?.delayHistogram ?? '');
  const buckets = mergedBuckets(encoded);
  known.set(family, buckets);
  return buckets;
}

/** One side's data for a figure over these streams of the report. */
export function streamFigureData(spec: FigureSpec, streams: readonly StreamReport[], report: Report): FigureData {
  const { figure } = spec;
  if (spec.kind === 'percentile')
    return { kind: 'percentile', buckets: mergedOnce(streams, figure.startsWith('frameGap') ? 'frameGap' : 'delay'), quantile: quantileOf(figure) };
  if (figure === 'reconnections') return { kind: 'rate', values: ratePerHour(streams, report, (s) => s.reconnections) };
  if (figure === 'stalls') return { kind: 'rate', values: ratePerHour(streams, report, (s) => s.stalls) };
  if (figure.startsWith('errors.')) return { kind: 'rate', values: ratePerHour(streams, report, (s) => s.errors[figure.slice(7)] ?? 0) };
  const opened = streams.filter((s) => s.opened);
  // A stream's fps is frames ÷ seconds, so its seconds are frames ÷ fps.
  const resolution = frameResolution(opened.flatMap((s) => (s.fps !== null && s.fps > 0 ? [s.frames / s.fps] : [])));
  const withResolution = (values: number[]): FigureData => ({ kind: 'streams', values, ...(resolution === undefined ? {} : { resolution }) });
  if (figure === 'fps') return withResolution(present(opened.map((s) => s.fps)));
  if (figure === 'freshFps') return withResolution(present(opened.map((s) => older(s).freshness?.freshFps)));
  if (figure === 'timeToFirstFrame') return { kind: 'streams', values: present(opened.map((s) => s.timeToFirstFrameMs)) };
  return { kind: 'streams', values: present(streams.map((s) => (s.connectedSeconds >= 1 ? (s.bytes * 8) / 1e6 / s.connectedSeconds : null))) };
}
