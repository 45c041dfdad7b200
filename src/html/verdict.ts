import type { MaxReport } from '../capacity/max-report.js';
import type { Report } from '../report/report-types.js';
import { notValidLabel } from '../report/stream-start.js';
import { duration, fixed, num, plural } from './format.js';
import { thresholdsOf } from './older-reports.js';

export type Tone = 'bad' | 'warn' | 'good';

/** One finding of the verdict: a headline and the lines that explain it. */
export interface VerdictItem {
  tone: Tone;
  title: string;
  details: string[];
}

/** The findings, the most urgent first (the order the exit codes follow); the banner takes the worst tone. */
export interface Verdict {
  tone: Tone;
  items: VerdictItem[];
}

const WORST: readonly Tone[] = ['bad', 'warn', 'good'];

function verdictOf(items: VerdictItem[]): Verdict {
  const tone = WORST.find((t) => items.some((item) => item.tone === t)) ?? 'good';
  return { tone, items };
}

function partialItem(report: Report): VerdictItem[] {
  if (report.partial !== true) return [];
  const missing = report.missingShards ?? [];
  return [{ tone: 'warn', title: 'Partial merge', details: [`Missing shards: ${missing.length > 0 ? missing.join(', ') : 'not named'}. The figures cover the shards present only.`] }];
}

/** Interrupted, then client saturated, then thresholds failed; "Passed" only when none of them holds. */
export function runVerdict(report: Report): Verdict {
  const s = report.summary;
  const items: VerdictItem[] = [];
  if (report.interrupted) {
    items.push({ tone: 'bad', title: 'Interrupted', details: [`Stopped after ${duration(s.durationSeconds)} of ${duration(s.targetDurationSeconds)}: the figures are the results so far.`] });
  }
  if (!s.valid) {
    const label = notValidLabel(s.invalidReason);
    const title = `${label.charAt(0).toUpperCase()}${label.slice(1)}: results not valid`;
    items.push({ tone: 'bad', title, details: [s.invalidReason ?? 'camera-load itself was saturated.', 'The figures understate the server.'] });
  }
  const thresholds = thresholdsOf(report);
  const failed = thresholds.filter((t) => !t.passed);
  if (failed.length > 0) {
    items.push({
      tone: 'bad',
      title: `Threshold failed (${failed.length} of ${thresholds.length})`,
      details: failed.map((t) => `${t.expression}: actual ${t.actual === null ? 'n/a (nothing measured)' : num(t.actual, 3)}`),
    });
  }
  if (items.length === 0) {
    const met = thresholds.length > 0 ? `all ${plural(thresholds.length, 'threshold')} met` : 'no thresholds set';
    const warned = report.analysis.warnings.length > 0 || report.partial === true;
    items.push({ tone: warned ? 'warn' : 'good', title: warned ? 'Passed, with warnings' : 'Passed', details: [`The run finished; ${met}.`] });
  }
  // Not a failure of the run, but what its figures cover: listed, never the headline.
  items.push(...partialItem(report));
  return verdictOf(items);
}

/** The answer first (it is what the search was for), then why it may be incomplete. */
export function maxVerdict(report: MaxReport): Verdict {
  const r = report.result;
  const items: VerdictItem[] = [];
  if (r.maxStableStreams === null) {
    items.push({ tone: 'bad', title: 'No stable level found', details: [`None of the ${plural(r.trials, 'trial')} was stable.`] });
  } else {
    const atMax = r.fpsPerStreamAtMax === null ? '' : ` at ${fixed(r.fpsPerStreamAtMax, 2)} fps per stream`;
    const reference = r.referenceFpsPerStream === null ? '' : `; reference ${fixed(r.referenceFpsPerStream, 2)} fps per stream`;
    items.push({
      tone: 'good',
      title: `Maximum stable streams: ${r.boundedByClient ? 'at least ' : ''}${r.maxStableStreams}`,
      details: [`${plural(r.maxStableStreams, 'stream')}${atMax}${reference}; ${plural(r.trials, 'trial')}.`],
    });
  }
  if (r.boundedByClient) {
    items.push({ tone: 'warn', title: 'Bounded by the client', details: [r.boundedByClientReason ?? 'camera-load itself saturated.', 'The answer is a lower bound: this machine, not the server, was the limit.'] });
  }
  if (report.interrupted) items.push({ tone: 'warn', title: 'Interrupted', details: ['The search stopped early: the answer covers the trials so far.'] });
  return verdictOf(items);
}
