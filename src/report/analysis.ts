import { STREAM_CREDENTIALS } from '../text/credentials.js';
import { sentence } from '../text/sentence.js';
import { explainErrorCode } from './error-codes.js';
import { errorsOfUnopened, topErrors } from './error-counts.js';
import { freshnessClause, freshnessWarnings } from './freshness-analysis.js';
import type { Analysis, Report } from './report-types.js';
import { startAnalysis } from './start-analysis.js';
import { notValidLabel } from './not-valid.js';
import { reportForViewers } from './report-for-viewers.js';
import { viewerFindings } from './viewer-analysis.js';
import { loadShapeWarnings } from './load-shape-analysis.js';

// The analysis says each fact once: the assessment the run in a sentence, the warnings what it leaves out, the
// recommendations what to try. A figure in one is not restated by another, and advice fits the case it is given in.

type RunReport = Omit<Report, 'analysis' | 'thresholds'>;

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

const mainCode = (errors: Record<string, number>): string | undefined => Object.entries(errors).sort((a, b) => b[1] - a[1])[0]?.[0];

/**
 * How connections ended, each code and count once, then the commonest in plain words: " (ECONNREFUSED ×9): connection
 * refused"; '' when none ended.
 */
/** What ended the streams, in words and by its code; the counts are the verdict's and the error table's. */
function causeOf(errors: Record<string, number>): string {
  const code = mainCode(errors);
  if (code === undefined) return '';
  const several = Object.keys(errors).length > 1;
  return `: ${several ? 'mostly ' : ''}${explainErrorCode(code).meaning} (${code})`;
}

/** Errors summed over the streams that did deliver frames: what went wrong after a stream had shown it works. */
function errorsOfOpened(streams: RunReport['streams']): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const stream of streams) {
    if (!stream.opened) continue;
    for (const [code, n] of Object.entries(stream.errors)) counts[code] = (counts[code] ?? 0) + n;
  }
  return counts;
}

/** Some streams opened and the rest were refused as a server at capacity refuses them (HTTP 503/429). */
function looksCapped(s: RunReport['summary']): boolean {
  return (s.errors.HTTP_503 ?? 0) + (s.errors.HTTP_429 ?? 0) > 0 && s.streamsOpened > 0 && s.streamsOpened < s.streamsPlanned;
}

/** Camera ids the listing gave to more than one stream URL (several streams of one camera share its URL). */
function idsWithSeveralUrls(streams: Report['streams']): string[] {
  const urls = new Map<string, string>();
  const shared = new Set<string>();
  for (const stream of streams) {
    const url = urls.get(stream.cameraId);
    if (url === undefined) urls.set(stream.cameraId, stream.url);
    else if (url !== stream.url) shared.add(stream.cameraId);
  }
  return [...shared];
}

/** What the camera listing left out or mixed up: fewer cameras than streams asked for, unusable ones, shared ids. */
function cameraFindings(report: RunReport): Analysis {
  const s = report.summary;
  const warnings: string[] = [];
  const recommendations: string[] = [];
  if (s.streamsPlanned < s.streamsRequested) {
    warnings.push(
      `${plural(s.streamsRequested, 'stream')} requested but only ${plural(s.camerasUsed, 'active camera')} with a stream URL: opened one stream per camera.`,
    );
    // More streams of cameras that do not answer measure nothing more: the advice fits once every stream opened.
    if (s.streamsOpened === s.streamsPlanned) recommendations.push('Use --streams-per-camera K to open more than one stream per camera.');
  }
  if (s.camerasSkipped > 0) warnings.push(`${plural(s.camerasSkipped, 'active camera')} skipped: no usable fr_url.`);
  const shared = idsWithSeveralUrls(report.streams);
  if (shared.length > 0) {
    warnings.push(
      `${plural(shared.length, 'camera id')} ${shared.length === 1 ? 'stands' : 'stand'} for more than one stream URL (${shared.slice(0, 3).join(', ')}${shared.length > 3 ? ', …' : ''}): ` +
        'the listing gave different cameras one id, so their streams share one per-camera metrics series; the report tells them apart by index and URL.',
    );
  }
  return { assessment: '', warnings, recommendations };
}

/** "All 12 streams", but "The 1 stream": "all" of one reads as a slip. */
const everyStream = (n: number): string => (n === 1 ? 'The 1 stream' : `All ${n} streams`);

/** "their 245 visits over 30 s": a staged run's or the open model's viewers, who came and went. */
function visitsOf(stages: NonNullable<RunReport['stages']>): string {
  const visits = stages.reduce((n, stage) => n + stage.arrivals, 0);
  return `their ${plural(visits, 'visit')} over ${seconds(stages.at(-1)?.toSeconds ?? 0)}`;
}

/** Seconds as the summary writes a duration: "15 s", "15.3 s", never "15.001 s". */
const seconds = (value: number): string => `${Number(value.toFixed(1))} s`;

/**
 * The run in one sentence: what opened and at what rate, how fresh; said first to be not valid when it is not. What
 * went wrong (reconnections, streams that never opened) is each a warning of its own, not restated here.
 */
function assessmentOf(report: RunReport): string {
  const s = report.summary;
  const fps = s.avgFpsPerStream.toFixed(2);
  let assessment: string;
  if (s.streamsOpened === 0) {
    assessment = sentence(`No stream delivered a frame${causeOf(s.errors)}`);
  } else if (s.streamsOpened === s.streamsPlanned && s.totalReconnections === 0 && s.corruptFrames === 0) {
    // Under stages or the open model a stream slot is open only for its visits: "stayed up" would overstate it.
    const held = report.stages === undefined ? `and stayed up for ${seconds(s.durationSeconds)}` : `for ${visitsOf(report.stages)}`;
    assessment = `${everyStream(s.streamsPlanned)} opened ${held} at ${fps} fps per stream on average, with no reconnections.`;
  } else if (s.streamsOpened === s.streamsPlanned) {
    assessment = `${everyStream(s.streamsPlanned)} opened, at ${fps} fps per stream on average.`;
  } else {
    assessment = `${s.streamsOpened} of ${plural(s.streamsPlanned, 'stream')} opened, at ${fps} fps per opened stream on average.`;
  }
  // The slow, pausing and stuck viewers' delays are camera-load's doing: freshness is judged on the normal ones.
  if (s.streamsOpened > 0) assessment += freshnessClause(reportForViewers(report, 'normal') ?? report);
  assessment += viewerFindings(report).assessment;
  if (!s.valid) assessment = `Not valid (${notValidLabel(s.invalidReason)}). ${assessment}`;
  return assessment;
}

/**
 * Streams that never delivered a frame (when some did: when none did, the assessment says so) and what to check for
 * the code that ended most of them.
 */
function unopenedFindings(report: RunReport): Analysis {
  const neverOpened = report.streams.filter((stream) => !stream.opened);
  const unopened = errorsOfUnopened(neverOpened);
  const warnings: string[] = [];
  const recommendations: string[] = [];
  if (neverOpened.length > 0 && report.summary.streamsOpened > 0)
    warnings.push(sentence(`${plural(neverOpened.length, 'stream')} never delivered a frame${causeOf(unopened)}`));
  const code = mainCode(unopened);
  // A server at capacity gets the advice that says so (serverFindings), not the code's general check as well.
  const capped = looksCapped(report.summary) && (code === 'HTTP_503' || code === 'HTTP_429');
  if (code !== undefined && !capped) recommendations.push(sentence(`${code}: ${explainErrorCode(code).check}`));
  return { assessment: '', warnings, recommendations };
}

/** What went wrong on streams that had opened: reconnections, answers that were not streams, stalls, corrupt frames. */
function openedFindings(report: RunReport): string[] {
  const s = report.summary;
  const warnings: string[] = [];
  const opened = report.streams.filter((stream) => stream.opened);
  const reconnected = opened.filter((stream) => stream.reconnections > 0);
  if (reconnected.length > 0) {
    const times = reconnected.reduce((sum, stream) => sum + stream.reconnections, 0);
    warnings.push(
      `${plural(reconnected.length, 'stream')} reconnected after opening, ${plural(times, 'time')} in all (${topErrors(errorsOfOpened(reconnected))}).`,
    );
  }
  const notMultipart = errorsOfOpened(opened).NOT_MULTIPART ?? 0;
  if (notMultipart > 0) warnings.push(`${plural(notMultipart, 'connection')} of streams that had opened answered something other than a multipart stream.`);
  // A stream that stalled before its first frame is among those that never delivered one, counted there.
  const stalls = opened.reduce((sum, stream) => sum + stream.stalls, 0);
  if (stalls > 0) warnings.push(`${plural(stalls, 'stall')}: streams that stopped sending while their connection stayed open.`);
  if (s.corruptFrames > 0) warnings.push(`${plural(s.corruptFrames, 'corrupt frame')} received (not a complete JPEG).`);
  return warnings;
}

/** What the server said by its answers: it is at capacity (503/429), or it wants credentials (401/403). */
function serverFindings(report: RunReport, already: readonly string[]): string[] {
  const s = report.summary;
  const recommendations: string[] = [];
  if (looksCapped(s)) {
    recommendations.push(
      'The server refused the streams beyond those that opened (HTTP 503/429): it looks capped there. `camera-load max` finds the highest stable level.',
    );
  }
  const denied = (s.errors.HTTP_401 ?? 0) + (s.errors.HTTP_403 ?? 0);
  // The check of HTTP_401 or HTTP_403, when one is the commonest code, already names the credentials.
  if (denied > 0 && !already.some((r) => /^HTTP_40[13]:/.test(r)))
    recommendations.push(sentence(`Streams answered 401/403: give them credentials: ${STREAM_CREDENTIALS}`));
  return recommendations;
}

/** How the streams were framed: Content-Length and boundaries that disagree with the body. */
function framingWarnings(report: RunReport): string[] {
  const warnings: string[] = [];
  if (report.summary.lengthMismatches > 0) {
    warnings.push(
      `${plural(report.summary.lengthMismatches, 'part')} declared a Content-Length that disagreed with where the delimiter was: ` +
        'each was counted by what lay between its delimiters (the server sends wrong lengths).',
    );
  }
  const mismatched = report.streams.filter((stream) => stream.boundaryMismatch !== null);
  const first = mismatched[0]?.boundaryMismatch;
  if (first) {
    warnings.push(
      `${plural(mismatched.length, 'stream')} declared boundary '${first.declared}' but delimited the body with '--${first.found}': read with the body's boundary, as browsers do.`,
    );
  }
  return warnings;
}

/** Pure: reads the figures and says in plain words what they mean and what to try next. */
export function analyse(report: RunReport): Analysis {
  const s = report.summary;
  const warnings: string[] = [];
  const recommendations: string[] = [];
  if (!s.valid) {
    warnings.push(`Results are not valid: ${s.invalidReason ?? 'camera-load was saturated'}. The figures understate the server.`);
    recommendations.push('Run fewer streams per camera-load process, or spread them over several machines, and compare.');
  }
  if (report.interrupted) warnings.push(`The run was interrupted after ${seconds(s.durationSeconds)} of ${seconds(s.targetDurationSeconds)}.`);
  for (const findings of [cameraFindings(report), unopenedFindings(report)]) {
    warnings.push(...findings.warnings);
    recommendations.push(...findings.recommendations);
  }
  warnings.push(...framingWarnings(report), ...openedFindings(report), ...loadShapeWarnings(report));
  recommendations.push(...serverFindings(report, recommendations));
  warnings.push(...freshnessWarnings(reportForViewers(report, 'normal') ?? report), ...viewerFindings(report).warnings);
  const start = startAnalysis(report);
  warnings.push(...start.warnings);
  recommendations.push(...start.recommendations);
  // --insecure is a choice, but one that a reader of the report must not miss: nothing proved who answered.
  if (report.config.insecure === true)
    warnings.push('--insecure: TLS certificates were not verified, for the API (its token included) or the streams; --ca trusts a private CA instead.');
  return { assessment: assessmentOf(report), warnings, recommendations };
}
