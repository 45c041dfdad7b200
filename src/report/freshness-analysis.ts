import type { Report, StreamReport } from './report-types.js';

// What the freshness figures mean in plain words: the cause a frame rate alone hides, named in the summary.

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const plural = (n: number, word: string): string => `${int(n)} ${word}${n === 1 ? '' : 's'}`;
const MAX_NAMED = 3;
/** A queueing delay worth a sentence even when it does not grow. */
const NOTABLE_DELAY_MS = 500;

type RunReport = Omit<Report, 'analysis' | 'thresholds'>;

/** Reports written before freshness was measured have none: nothing to say about it. */
const freshnessOf = (report: RunReport): Report['summary']['freshness'] | undefined => (report.summary as Partial<Report['summary']>).freshness;

/** The streams named: the worst first, at most three, then how many more. */
function named<T extends { cameraId: string }>(streams: readonly T[], describe: (stream: T) => string): string {
  const shown = streams.slice(0, MAX_NAMED).map((stream) => `${stream.cameraId} (${describe(stream)})`);
  return streams.length > MAX_NAMED ? `${shown.join(', ')} and ${int(streams.length - MAX_NAMED)} more` : shown.join(', ');
}

/** Cameras whose clock cannot time a queue: named as the clock's, not read as a queue that never drains. */
function clockWarnings(stamped: readonly StreamReport[]): string[] {
  const warnings: string[] = [];
  const stuck = stamped.filter((s) => s.freshness.clock === 'stuck');
  if (stuck.length > 0) {
    warnings.push(
      `${plural(stuck.length, 'camera clock')} stood still: the capture time did not advance while the pictures changed ` +
        `(${named(stuck, () => 'its delay rose 1 s per second')}). Not a queue: their delays are left out; check the cameras' clocks.`,
    );
  }
  const jumped = stamped.filter((s) => s.freshness.clock === 'jumped');
  if (jumped.length > 0) {
    warnings.push(
      `${plural(jumped.length, 'camera clock')} jumped: capture times an hour or more apart on one stream ` +
        `(${named(jumped, (s) => `${int(((s.freshness.ageRangeMs?.max ?? 0) - (s.freshness.ageRangeMs?.min ?? 0)) / 1000)} s apart`)}). Their delays are left out.`,
    );
  }
  return warnings;
}

/** Warnings on stale, repeated and frozen pictures, the worst streams named. */
export function freshnessWarnings(report: RunReport): string[] {
  const f = freshnessOf(report);
  if (f === undefined) return [];
  const warnings: string[] = [];
  // A merge of reports older than freshness summarises their streams as unstamped; the streams themselves have none.
  const stamped = report.streams.filter((s) => (s as Partial<StreamReport>).freshness !== undefined);
  warnings.push(...clockWarnings(stamped));
  const growing = stamped.filter((s) => s.freshness.growingDelay).sort((a, b) => (b.freshness.lastDelayMs ?? 0) - (a.freshness.lastDelayMs ?? 0));
  if (growing.length > 0) {
    warnings.push(
      `${plural(growing.length, 'stream')}' delay grew steadily, a queue that never drains: ` +
        `${named(growing, (s) => `+${int(s.freshness.delayTrendMsPerSecond ?? 0)} ms/s, ${int(s.freshness.lastDelayMs ?? 0)} ms late at the end`)}. ` +
        'The server delivers the frame rate, but later and later.',
    );
  } else if (f.delayMs.count > 0 && f.delayMs.p95 >= NOTABLE_DELAY_MS) {
    warnings.push(
      `Frames queued: the queueing delay reached p95 ${int(f.delayMs.p95)} ms, max ${int(f.delayMs.max)} ms (age less each stream's smallest age).`,
    );
  }
  if (f.repeatedFrames > 0) {
    const total = report.summary.totalFrames;
    warnings.push(
      `${int(f.repeatedFrames)} of ${plural(total, 'frame')} repeated the picture before on ${plural(f.streamsWithRepeats, 'stream')}: ` +
        `fresh fps per stream ${f.avgFreshFpsPerStream.toFixed(2)} on average (the assessment's fps counts the repeats).`,
    );
  }
  if (f.frozenEvents > 0) {
    const frozen = stamped.filter((s) => s.freshness.frozen > 0).sort((a, b) => b.freshness.longestFreezeMs - a.freshness.longestFreezeMs);
    warnings.push(
      `${plural(f.frozenEvents, 'FROZEN event')} on ${plural(f.streamsFrozen, 'stream')}: the picture stood still while frames kept coming; ` +
        `longest: ${named(frozen, (s) => `${(s.freshness.longestFreezeMs / 1000).toFixed(1)} s`)}.`,
    );
  }
  if (f.ageMs === null && f.agesOutOfRange > 0) {
    warnings.push(
      `Frame ages are not comparable: ${plural(f.agesOutOfRange, 'capture time')} fell outside −1 s..1 h of this machine's clock (a camera clock not synced, ` +
        'or one counting from its own start); the queueing delay does not need synced clocks and is reported.',
    );
  }
  if (f.invalidTimestamps > 0) warnings.push(`${plural(f.invalidTimestamps, 'timestamp header')} could not be read as a time and were ignored.`);
  return warnings;
}

/**
 * What the assessment adds when the pictures were not fresh, or '' when they were (or nothing says): the problems
 * named, their figures left to the warnings, each of which states its own.
 */
export function freshnessClause(report: RunReport): string {
  const f = freshnessOf(report);
  if (f === undefined) return '';
  const problems: string[] = [];
  if (f.streamsWithGrowingDelay > 0) problems.push('a delay that kept growing');
  else if (f.delayMs.count > 0 && f.delayMs.p95 >= NOTABLE_DELAY_MS) problems.push('frames queued');
  if (f.repeatedFrames > 0) problems.push('repeated pictures');
  if (f.frozenEvents > 0) problems.push('FROZEN events');
  const listed = problems.length > 1 ? `${problems.slice(0, -1).join(', ')} and ${problems.at(-1) ?? ''}` : (problems[0] ?? '');
  return problems.length === 0 ? '' : ` But the pictures were not fresh: ${listed}.`;
}
