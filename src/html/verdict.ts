import type { MaxReport } from '../max/max-report.js';
import { searchVerdict } from '../verdict/search-verdict.js';
import type { Report } from '../report/report-types.js';
import { notValidLabel } from '../report/not-valid.js';
import { shardScopeNote } from '../report/shard-scope.js';
import { runVerdict as sharedVerdict, type VerdictWord } from '../verdict/run-verdict.js';
import { fixed, num, plural } from './format.js';
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
  return [
    {
      tone: 'warn',
      title: 'Partial merge',
      details: [`Missing shards: ${missing.length > 0 ? missing.join(', ') : 'not named'}. The figures cover the shards present only.`],
    },
  ];
}

const TONES: Record<VerdictWord, Tone> = { INTERRUPTED: 'bad', 'NOT VALID': 'bad', 'NOTHING MEASURED': 'bad', FAILED: 'bad', PASSED: 'good' };

/**
 * The run's verdict word and reason as every output gives it (verdict/run-verdict.ts) is the headline; below it, what
 * else holds (a run can be interrupted and have failed thresholds), then what the figures cover.
 */
export function runVerdict(report: Report): Verdict {
  const s = report.summary;
  const shared = sharedVerdict(report);
  const warned = shared.word === 'PASSED' && (report.analysis.warnings.length > 0 || report.partial === true);
  const scope = shardScopeNote(report);
  const items: VerdictItem[] = [
    {
      tone: warned ? 'warn' : TONES[shared.word],
      title: shared.word,
      details: [`${shared.reason.charAt(0).toUpperCase()}${shared.reason.slice(1)}.`, ...(scope === null ? [] : [`${scope}.`])],
    },
  ];
  if (!s.valid && shared.word !== 'NOT VALID') {
    items.push({ tone: 'bad', title: `Not valid (${notValidLabel(s.invalidReason)})`, details: [s.invalidReason ?? 'camera-load itself was saturated.'] });
  }
  const thresholds = thresholdsOf(report);
  const failed = thresholds.filter((t) => !t.passed);
  if (failed.length > 0 && shared.word !== 'FAILED') {
    items.push({
      tone: 'bad',
      title: `Threshold failed (${failed.length} of ${thresholds.length})`,
      details: failed.map((t) => `${t.expression}: actual ${t.actual === null ? 'n/a (nothing measured)' : num(t.actual, 3)}`),
    });
  }
  if (warned) items.push({ tone: 'warn', title: 'With warnings', details: ['See the assessment below.'] });
  // Not a failure of the run, but what its figures cover: listed, never the headline.
  items.push(...partialItem(report));
  return verdictOf(items);
}

/** The search's verdict word and answer as every output gives it (verdict/search-verdict.ts), then what bounded the answer. */
export function maxVerdict(report: MaxReport): Verdict {
  const r = report.result;
  const shared = searchVerdict(report, typeof report.config.min === 'number' ? report.config.min : 1);
  const reference = r.referenceFpsPerStream === null ? '' : `Reference: ${fixed(r.referenceFpsPerStream, 2)} fps per stream at the lowest stable level. `;
  const items: VerdictItem[] = [
    {
      tone: TONES[shared.word],
      title: shared.word,
      details: [`${shared.reason.charAt(0).toUpperCase()}${shared.reason.slice(1)}.`, `${reference}${plural(r.trials, 'trial')}.`],
    },
  ];
  if (r.boundedByClient) {
    items.push({
      tone: 'warn',
      title: 'Bounded by the client',
      details: [r.boundedByClientReason ?? 'camera-load itself saturated.', 'The answer is a lower bound: this machine, not the server, was the limit.'],
    });
  }
  if (r.boundedByCameras === true) {
    items.push({
      tone: 'warn',
      title: 'Bounded by the cameras',
      details: [
        `${plural(r.cameraCapacity ?? 0, 'stream')} is every stream the cameras allow, and all held: the server's limit is above it. --streams-per-camera K goes past it.`,
      ],
    });
  }
  return verdictOf(items);
}
