import { explainErrorCode } from './error-codes.js';
import { errorsOfUnopened, topErrors } from './error-counts.js';
import { freshnessClause, freshnessWarnings } from './freshness-analysis.js';
import type { Analysis, Report } from './report-types.js';
import { startAnalysis } from './start-analysis.js';
import { notValidLabel } from './verdict.js';

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

const mainCode = (errors: Record<string, number>): string | undefined => Object.entries(errors).sort((a, b) => b[1] - a[1])[0]?.[0];

/** The most frequent code in plain words: "HEADERS_TIMEOUT: connected, but no response headers …". */
function mainCause(errors: Record<string, number>): string | undefined {
  const code = mainCode(errors);
  return code === undefined ? undefined : `${code}: ${explainErrorCode(code).meaning}`;
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
function cameraFindings(report: Omit<Report, 'analysis' | 'thresholds'>): Analysis {
  const s = report.summary;
  const warnings: string[] = [];
  const recommendations: string[] = [];
  if (s.streamsPlanned < s.streamsRequested) {
    warnings.push(
      `${plural(s.streamsRequested, 'stream')} requested but only ${plural(s.camerasUsed, 'active camera')} with a stream URL: ` +
        `opened one stream per camera.`,
    );
    recommendations.push('Use --streams-per-camera K to open more than one stream per camera.');
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

/** The run in one sentence: what opened, how it held, how fresh; said first to be not valid when it is not. */
function assessmentOf(report: Omit<Report, 'analysis' | 'thresholds'>): string {
  const s = report.summary;
  let assessment: string;
  if (s.streamsOpened === 0) {
    const cause = mainCause(s.errors);
    assessment = `No stream delivered a frame${Object.keys(s.errors).length > 0 ? ` (${topErrors(s.errors)})` : ''}${cause ? `: ${cause}` : ''}.`;
  } else if (s.streamsOpened === s.streamsPlanned && s.totalReconnections === 0 && s.corruptFrames === 0) {
    assessment =
      `All ${plural(s.streamsPlanned, 'stream')} opened and stayed up for ${s.durationSeconds} s at ` +
      `${s.avgFpsPerStream} fps per stream on average, with no reconnections.`;
  } else {
    assessment =
      `${s.streamsOpened} of ${plural(s.streamsPlanned, 'stream')} opened; ${plural(s.totalReconnections, 'reconnection')}; ` +
      `${s.avgFpsPerStream} fps per opened stream on average.`;
  }
  if (s.streamsOpened > 0) assessment += freshnessClause(report);
  if (!s.valid) assessment = `Not valid (${notValidLabel(s.invalidReason)}). ${assessment}`;
  return assessment;
}

/** Pure: reads the figures and says in plain words what they mean and what to try next. */
export function analyse(report: Omit<Report, 'analysis' | 'thresholds'>): Analysis {
  const s = report.summary;
  const warnings: string[] = [];
  const recommendations: string[] = [];
  const neverOpened = report.streams.filter((stream) => !stream.opened);
  const unopened = errorsOfUnopened(neverOpened);

  if (!s.valid) {
    warnings.push(`Results are not valid: ${s.invalidReason ?? 'camera-load was saturated'}. The figures understate the server.`);
    recommendations.push('Run fewer streams per camera-load process, or spread them over several machines, and compare.');
  }
  if (report.interrupted) warnings.push(`The run was interrupted after ${s.durationSeconds} s of ${s.targetDurationSeconds} s.`);
  const cameras = cameraFindings(report);
  warnings.push(...cameras.warnings);
  recommendations.push(...cameras.recommendations);
  if (neverOpened.length > 0) {
    const why = topErrors(unopened);
    const cause = mainCause(unopened);
    warnings.push(`${plural(neverOpened.length, 'stream')} never received a frame${why ? ` (${why})` : ''}${cause ? `; mostly ${cause}` : ''}.`);
    const code = mainCode(unopened);
    if (code !== undefined) recommendations.push(`${code}: ${explainErrorCode(code).check}.`);
  }
  if (s.lengthMismatches > 0) {
    warnings.push(
      `${plural(s.lengthMismatches, 'part')} declared a Content-Length that disagreed with where the delimiter was: ` +
        'each was counted by what lay between its delimiters (the server sends wrong lengths).',
    );
  }
  const mismatched = report.streams.filter((stream) => stream.boundaryMismatch !== null);
  const firstMismatch = mismatched[0]?.boundaryMismatch;
  if (firstMismatch) {
    warnings.push(
      `${plural(mismatched.length, 'stream')} declared boundary '${firstMismatch.declared}' but delimited the body with ` +
        `'--${firstMismatch.found}': read with the body's boundary, as browsers do.`,
    );
  }
  const refused = (s.errors.HTTP_503 ?? 0) + (s.errors.HTTP_429 ?? 0);
  if (refused > 0 && s.streamsOpened > 0 && s.streamsOpened < s.streamsPlanned) {
    recommendations.push(
      `The server refused streams (HTTP 503/429) once about ${s.streamsOpened} were open: it looks capped near that level. ` +
        '`camera-load max` finds the highest stable level.',
    );
  }
  if ((s.errors.HTTP_401 ?? 0) + (s.errors.HTTP_403 ?? 0) > 0) {
    recommendations.push('Streams answered 401/403: set CAMERA_API_TOKEN or pass --header with the credentials they need.');
  }
  if ((s.errors.NOT_MULTIPART ?? 0) > 0) {
    warnings.push(`${plural(s.errors.NOT_MULTIPART ?? 0, 'connection')} answered something other than a multipart stream.`);
  }
  if (s.totalReconnections > 0) {
    warnings.push(`${plural(s.streamsWithReconnections, 'stream')} reconnected, ${plural(s.totalReconnections, 'time')} in all (${topErrors(s.errors)}).`);
  }
  if (s.totalStalls > 0) {
    warnings.push(`${plural(s.totalStalls, 'stall')}: streams that stopped sending while their connection stayed open.`);
  }
  if (s.corruptFrames > 0) warnings.push(`${plural(s.corruptFrames, 'corrupt frame')} received (not a complete JPEG).`);
  warnings.push(...freshnessWarnings(report));
  const start = startAnalysis(report);
  warnings.push(...start.warnings);
  recommendations.push(...start.recommendations);
  // --insecure is a choice, but one that a reader of the report must not miss: nothing proved who answered.
  if (report.config.insecure === true) warnings.push('--insecure: TLS certificates were not verified, for the API (its token included) or the streams; --ca trusts a private CA instead.');

  const assessment = assessmentOf(report);
  return { assessment, warnings, recommendations };
}
