import { INPUT_LIMITS } from '../input-limits.js';
import { SYSTEM_STATS } from './report-types.js';
import { VIEWER_GROUPS } from '../viewers.js';

// What a run report read back must hold for a merge and a page to use it: a file from another run, a colleague or
// a script is checked here, field by field and within INPUT_LIMITS, so that past this point nothing of it can
// throw, loop without end or reach an object's prototype. Each check returns what is wrong, or undefined.

type Json = Record<string, unknown>;
type Problem = string | undefined;

export const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
export const isCount = (value: unknown): boolean => Number.isSafeInteger(value) && (value as number) >= 0;
const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isText = (value: unknown): boolean => typeof value === 'string' && value.length <= INPUT_LIMITS.textChars;
const isNumberOrNull = (value: unknown): boolean => value === null || isFiniteNumber(value);
const isEncoding = (value: unknown): boolean => typeof value === 'string' && value.length <= INPUT_LIMITS.encodedHistogramChars;

/** camera-load's error codes: HTTP_503, STALL, ECONNRESET, UND_ERR_…; never a key an object already has. */
const ERROR_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

/** A count per error code, as streams and timeline rows hold them. */
export function countsProblem(value: unknown, what: string): Problem {
  if (!isObject(value)) return `${what} is not an object of counts`;
  const entries = Object.entries(value);
  if (entries.length > INPUT_LIMITS.errorCodes) return `${what} has over ${INPUT_LIMITS.errorCodes} codes`;
  for (const [code, n] of entries) {
    if (!ERROR_CODE.test(code)) return `${what} has ${JSON.stringify(code.slice(0, 40))}, which is not an error code`;
    if (!isCount(n)) return `${what}.${code} is not a count`;
  }
  return undefined;
}

const PERCENTILES = ['count', 'p50', 'p95', 'p99', 'max'] as const;
const percentilesProblem = (value: unknown, what: string): Problem =>
  isObject(value) && PERCENTILES.every((key) => isFiniteNumber(value[key])) ? undefined : `${what} is not {count, p50, p95, p99, max}`;

/** Figures with a count come with the histogram they were read from: a merge decodes it. */
const encodedFor = (figures: unknown, encoded: unknown, what: string): Problem =>
  (figures as { count: number }).count > 0 && encoded === '' ? `${what} is empty beside a count` : undefined;

const STREAM_COUNTS = ['index', 'frames', 'bytes', 'corruptFrames', 'lengthMismatches', 'reconnections', 'stalls'] as const;
const STREAM_NUMBERS = ['connectedSeconds', 'uptime'] as const;
const STREAM_OPTIONAL_NUMBERS = ['timeToFirstByteMs', 'timeToFirstFrameMs', 'fps'] as const;
const START_NUMBERS = ['requestSentAtMs', 'headersAtMs', 'firstFrameAtMs', 'clientLatenessMs', 'connectQueueMs'] as const;
const FRESHNESS_NUMBERS = ['timestampedFrames', 'invalidTimestamps', 'agesOutOfRange', 'repeatedFrames', 'frozen', 'longestFreezeMs'] as const;

function startProblem(start: unknown): Problem {
  if (start === undefined) return undefined;
  if (!isObject(start) || !isFiniteNumber(start.scheduledAtMs) || START_NUMBERS.some((key) => !isNumberOrNull(start[key])))
    return 'its start is not the instants camera-load writes';
  return undefined;
}

function freshnessProblem(f: unknown): Problem {
  if (f === undefined) return undefined;
  if (!isObject(f) || FRESHNESS_NUMBERS.some((key) => !isFiniteNumber(f[key])) || !isEncoding(f.delayHistogram))
    return 'its freshness is not what camera-load writes';
  if (!(f.skippedFrames === undefined || f.skippedFrames === null || isCount(f.skippedFrames))) return 'its freshness skippedFrames is not a count';
  if (!isNumberOrNull(f.freshFps) || !isNumberOrNull(f.delayTrendMsPerSecond) || !isNumberOrNull(f.lastDelayMs) || typeof f.growingDelay !== 'boolean')
    return 'its freshness figures are not numbers';
  if (f.ageRangeMs !== null && !(isObject(f.ageRangeMs) && isFiniteNumber(f.ageRangeMs.min) && isFiniteNumber(f.ageRangeMs.max)))
    return 'its freshness age range is not {min, max}';
  return (
    percentilesProblem(f.delayMs, 'its freshness delayMs') ??
    percentilesProblem(f.ageMs, 'its freshness ageMs') ??
    encodedFor(f.delayMs, f.delayHistogram, 'its freshness delayHistogram')
  );
}

function eventsProblem(events: unknown): Problem {
  if (!Array.isArray(events) || events.length > INPUT_LIMITS.streamEvents) return `its events are not a list of at most ${INPUT_LIMITS.streamEvents}`;
  for (const event of events as unknown[]) {
    if (!isObject(event) || !isFiniteNumber(event.t) || !isText(event.type) || !(event.detail === undefined || isText(event.detail)))
      return 'an event in it is not {t, type, detail}';
  }
  return undefined;
}

const isGroup = (value: unknown): boolean => (VIEWER_GROUPS as readonly unknown[]).includes(value);

const isWindowInput = (w: unknown): boolean =>
  isObject(w) && isFiniteNumber(w.fromSeconds) && isFiniteNumber(w.toSeconds) && isEncoding(w.frameGapHistogram) && isEncoding(w.delayHistogram);

/** The normal group's isolation windows, whose histograms a merge adds. */
function isolationProblem(isolation: unknown): Problem {
  if (isolation === undefined) return undefined;
  if (!isObject(isolation) || !isWindowInput(isolation.leadIn) || !(isolation.after === null || isWindowInput(isolation.after)))
    return 'its normal group isolation windows are not {fromSeconds, toSeconds, frameGapHistogram, delayHistogram}';
  return undefined;
}

const isViewedWindow = (w: unknown): boolean => w === null || (isObject(w) && isCount(w.frames) && isFiniteNumber(w.seconds) && w.seconds >= 0);

/** What the viewer groups ask of one stream: when the server felt it, or its frames in the isolation windows. */
function streamGroupProblem(stream: Json): Problem {
  if (stream.viewers !== undefined && !isGroup(stream.viewers)) return `has a viewers group that is not ${VIEWER_GROUPS.join(', ')}`;
  if (!(stream.feltAtSeconds === undefined || isNumberOrNull(stream.feltAtSeconds))) return 'has a feltAtSeconds that is not a number';
  const isolation = stream.isolation;
  if (isolation !== undefined && !(isObject(isolation) && isViewedWindow(isolation.leadIn) && isViewedWindow(isolation.after)))
    return 'has isolation windows that are not {frames, seconds}';
  return undefined;
}

/** The viewer groups' headings a merge takes from a shard (their figures it sums again from the streams). */
function viewerGroupsProblem(groups: unknown): Problem {
  if (groups === undefined) return undefined;
  if (!Array.isArray(groups) || groups.length > VIEWER_GROUPS.length) return `its viewerGroups are not a list of at most ${VIEWER_GROUPS.length}`;
  const named = new Set<unknown>();
  for (const g of groups as unknown[]) {
    if (!isObject(g) || !isGroup(g.group) || named.has(g.group)) return `its viewerGroups name a group twice or one that is not ${VIEWER_GROUPS.join(', ')}`;
    named.add(g.group);
    if (!isText(g.behaviour) || !isFiniteNumber(g.share) || g.share < 0 || g.share > 1 || !isFiniteNumber(g.beganAtSeconds) || !isObject(g.summary))
      return 'a viewer group is not {group, behaviour, share 0-1, beganAtSeconds, summary}';
    const problem = isolationProblem(g.isolation);
    if (problem) return problem;
  }
  return undefined;
}

/** A stream's frames and watched seconds per stage (--stages), from which a merge and a threshold read the stage's fps. */
function streamStagesProblem(stages: unknown): Problem {
  if (stages === undefined) return undefined;
  if (!Array.isArray(stages) || stages.length > INPUT_LIMITS.stages) return `has stages that are not a list of at most ${INPUT_LIMITS.stages}`;
  return (stages as unknown[]).every(isViewedWindow) ? undefined : 'has a stage that is not {frames, seconds} or null';
}

/** One stream of a report: every figure a merge sums or a page shows. */
export function streamProblem(stream: unknown): Problem {
  if (!isObject(stream)) return 'is not an object';
  const viewing = streamGroupProblem(stream) ?? streamStagesProblem(stream.stages);
  if (viewing) return viewing;
  if (stream.arrivals !== undefined && !isCount(stream.arrivals)) return 'has arrivals that are not a count';
  if (STREAM_COUNTS.some((key) => !isCount(stream[key]))) return `lacks a count (${STREAM_COUNTS.join(', ')})`;
  if (!isText(stream.cameraId) || !isText(stream.name) || !isText(stream.url)) return 'has a camera id, name or URL that is not text';
  if (typeof stream.opened !== 'boolean' || typeof stream.openAtEnd !== 'boolean') return 'has no opened or openAtEnd';
  if (STREAM_NUMBERS.some((key) => !isFiniteNumber(stream[key])) || STREAM_OPTIONAL_NUMBERS.some((key) => !isNumberOrNull(stream[key])))
    return 'has a figure that is not a number';
  if (!isEncoding(stream.frameGapHistogram)) return 'has no frame-gap histogram';
  const lastError = stream.lastError;
  if (lastError !== null && !(isObject(lastError) && isText(lastError.code) && isText(lastError.message) && isFiniteNumber(lastError.atSeconds)))
    return 'has a lastError that is not {code, message, atSeconds}';
  return (
    percentilesProblem(stream.frameGapMs, 'its frameGapMs') ??
    encodedFor(stream.frameGapMs, stream.frameGapHistogram, 'its frameGapHistogram') ??
    countsProblem(stream.errors, 'its errors') ??
    startProblem(stream.start) ??
    freshnessProblem(stream.freshness) ??
    (stream.events === undefined ? undefined : eventsProblem(stream.events))
  );
}

const STAGE_COUNTS = ['stage', 'arrivals', 'departures', 'droppedArrivals', 'reconnections', 'frames'] as const;
const STAGE_FIGURES = [
  ['timeToFirstFrameMs', 'timeToFirstFrameHistogram'],
  ['frameGapMs', 'frameGapHistogram'],
  ['delayMs', 'delayHistogram'],
] as const;

const isPair = (value: unknown, a: string, b: string, check: (n: unknown) => boolean): boolean => isObject(value) && check(value[a]) && check(value[b]);
const isNonNegative = (value: unknown): boolean => isFiniteNumber(value) && value >= 0;

/** One entry of the stage table: its schedule, counts, histograms (a merge adds them) and the figures a page shows. */
function stageProblem(stage: unknown): Problem {
  if (!isObject(stage)) return 'is not an object';
  if (STAGE_COUNTS.some((key) => !isCount(stage[key]))) return `lacks a count (${STAGE_COUNTS.join(', ')})`;
  if (!isNonNegative(stage.fromSeconds) || !isNonNegative(stage.toSeconds)) return 'has a fromSeconds or toSeconds that is not a time';
  if (!isPair(stage.target, 'from', 'to', isCount)) return 'has a target that is not {from, to} counts';
  if (stage.arrivalsPerSecond !== undefined && !isNonNegative(stage.arrivalsPerSecond)) return 'has an arrivalsPerSecond that is not a rate';
  if (stage.arrivalsNotStarted !== undefined && !isCount(stage.arrivalsNotStarted)) return 'has an arrivalsNotStarted that is not a count';
  if (stage.openStreams !== null && !isPair(stage.openStreams, 'max', 'mean', isNonNegative)) return 'has openStreams that are not {max, mean} or null';
  const fps = stage.fpsPerStream;
  if (fps !== null && !(isObject(fps) && isCount(fps.streams) && [fps.p5, fps.p50, fps.mean].every(isNonNegative)))
    return 'has an fpsPerStream that is not {streams, p5, p50, mean} or null';
  for (const [figures, encoded] of STAGE_FIGURES) {
    if (!isEncoding(stage[encoded])) return `has no ${encoded}`;
    const problem = percentilesProblem(stage[figures], `its ${figures}`) ?? encodedFor(stage[figures], stage[encoded], `its ${encoded}`);
    if (problem) return problem;
  }
  if (stage.clientLatenessHistogram !== undefined || stage.clientLatenessMs !== undefined) {
    if (!isEncoding(stage.clientLatenessHistogram)) return 'has clientLatenessMs without its clientLatenessHistogram';
    const problem =
      percentilesProblem(stage.clientLatenessMs, 'its clientLatenessMs') ??
      encodedFor(stage.clientLatenessMs, stage.clientLatenessHistogram, 'its clientLatenessHistogram');
    if (problem) return problem;
  }
  return viewerFpsProblem(stage) ?? countsProblem(stage.errors, 'its errors');
}

/** A stage's viewers' fps: {viewers, p5, p50} or null, with its histogram; both absent in older reports. */
function viewerFpsProblem(stage: Record<string, unknown>): Problem {
  if (stage.viewerFps === undefined && stage.viewerFpsHistogram === undefined) return undefined;
  if (!isEncoding(stage.viewerFpsHistogram)) return 'has viewerFps without its viewerFpsHistogram';
  const fps = stage.viewerFps;
  if (fps === null) return stage.viewerFpsHistogram === '' ? undefined : 'has a viewerFpsHistogram but no viewerFps';
  return isObject(fps) && isCount(fps.viewers) && isNonNegative(fps.p5) && isNonNegative(fps.p50)
    ? undefined
    : 'has a viewerFps that is not {viewers, p5, p50} or null';
}

/**
 * A report's optional list of `what` (its stage table, its storms), whose counts and histograms a merge adds: 1 to
 * `limit` entries, each checked by `entry` and named by its place.
 */
function listProblem(list: unknown, what: string, limit: number, entry: (item: unknown) => Problem): Problem {
  if (list === undefined) return undefined;
  if (!Array.isArray(list) || list.length === 0 || list.length > limit) return `its ${what}s are not a list of 1 to ${limit}`;
  for (const [i, item] of (list as unknown[]).entries()) {
    const problem = entry(item);
    if (problem) return `${what} ${i + 1} ${problem}`;
  }
  return undefined;
}

const STORM_COUNTS = ['storm', 'viewers', 'recovered', 'attempts'] as const;
const isNonNegativeOrNull = (value: unknown): boolean => value === null || isNonNegative(value);

/** One reconnect storm: its counts and recovery histogram (a merge adds them) and the times a threshold reads. */
function stormProblem(storm: unknown): Problem {
  if (!isObject(storm)) return 'is not an object';
  if (STORM_COUNTS.some((key) => !isCount(storm[key]))) return `lacks a count (${STORM_COUNTS.join(', ')})`;
  if (!isNonNegative(storm.atSeconds) || !isNonNegativeOrNull(storm.struckAtSeconds)) return 'has an atSeconds or struckAtSeconds that is not a time';
  if (typeof storm.immediate !== 'boolean') return 'has an immediate that is not true or false';
  if (!isNonNegativeOrNull(storm.recovery95Ms) || !isNonNegativeOrNull(storm.recoveryAllMs))
    return 'has a recovery95Ms or recoveryAllMs that is not ms or null';
  if (!isEncoding(storm.recoveryHistogram)) return 'has no recoveryHistogram';
  return (
    percentilesProblem(storm.recoveryMs, 'its recoveryMs') ??
    encodedFor(storm.recoveryMs, storm.recoveryHistogram, 'its recoveryHistogram') ??
    countsProblem(storm.errors, 'its errors')
  );
}

const ROW_NUMBERS = ['t', 'at', 'seconds', 'openStreams', 'fps', 'bytesPerSecond', 'reconnections', 'errors'] as const;

function timelineProblem(rows: unknown[]): Problem {
  if (rows.length > INPUT_LIMITS.timelineRows) return `its timeline has over ${INPUT_LIMITS.timelineRows.toLocaleString('en-US')} rows`;
  for (const row of rows) {
    if (!isObject(row) || ROW_NUMBERS.some((key) => !isFiniteNumber(row[key]))) return 'a timeline row lacks a figure (t, at, seconds, fps, …)';
    if (row.errorsByCode !== undefined) {
      const problem = countsProblem(row.errorsByCode, 'a timeline row errorsByCode');
      if (problem) return problem;
    }
  }
  return undefined;
}

function systemProblem(system: Json): Problem {
  if (!Array.isArray(system.samples) || system.samples.length > INPUT_LIMITS.systemSamples)
    return `its system samples are not a list of at most ${INPUT_LIMITS.systemSamples.toLocaleString('en-US')}`;
  for (const key of SYSTEM_STATS) {
    const stat = system[key];
    if (!isObject(stat) || !isFiniteNumber(stat.min) || !isFiniteNumber(stat.avg) || !isFiniteNumber(stat.max))
      return `its system.${key} is not {min, avg, max}`;
  }
  return undefined;
}

/** The streams, timeline and system of a run report, each within INPUT_LIMITS. */
export function runReportBodyProblem(value: Json): Problem {
  const { streams, timeline, system } = value;
  if (!Array.isArray(streams) || !Array.isArray(timeline) || !isObject(system) || !isObject(value.config)) return 'streams, timeline, system or config missing';
  if (streams.length > INPUT_LIMITS.reportStreams) return `it has over ${INPUT_LIMITS.reportStreams.toLocaleString('en-US')} streams`;
  for (const [i, stream] of (streams as unknown[]).entries()) {
    const problem = streamProblem(stream);
    if (problem) return `stream ${i} ${problem}`;
  }
  return (
    systemProblem(system) ??
    timelineProblem(timeline as unknown[]) ??
    viewerGroupsProblem(value.viewerGroups) ??
    listProblem(value.stages, 'stage', INPUT_LIMITS.stages, stageProblem) ??
    listProblem(value.storms, 'storm', INPUT_LIMITS.storms, stormProblem)
  );
}
