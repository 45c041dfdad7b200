import type { CompareLine, CompareResult, Scope } from './compare-types.js';

// A comparison's lines as text, one wording for every output (the terminal table, the job summary, JUnit, the page).

const decimals = (unit: string, value: number): number =>
  unit === 'streams' ? 0 : unit === 'ms' ? (Math.abs(value) >= 10 ? 0 : 1) : unit === 'Mbit/s' ? 3 : 2;

/** A value in its unit's precision, thousands separated. */
export function formatValue(unit: string, value: number | null): string {
  if (value === null) return 'n/a';
  const digits = decimals(unit, value);
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

const signed = (unit: string, value: number): string => `${value > 0 ? '+' : value < 0 ? '−' : '±'}${formatValue(unit, Math.abs(value))}`;

/** "−0.80 (−16.0%)": the change with its share of the base. */
export function changeText(line: CompareLine): string {
  if (line.change === null) return 'n/a';
  const share = line.relativeChange === null ? '' : ` (${signed('%', line.relativeChange * 100).replace(/\.?0+$/, '')}%)`;
  return `${signed(line.unit, line.change)}${share}`;
}

/** "[−0.85, −0.75]": the change's 95% interval. */
export function intervalText(line: CompareLine): string {
  return line.interval === null ? 'n/a' : `[${signed(line.unit, line.interval.low)}, ${signed(line.unit, line.interval.high)}]`;
}

/** "{viewers:slow,stage:2}", as thresholds' selectors read; '' for the whole run. */
export function scopeSelector(scope: Scope): string {
  const parts = [scope.viewers && `viewers:${scope.viewers}`, scope.stage && `stage:${scope.stage}`].filter(Boolean);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

/** How a result's lines were decided: the run figures' methods, or a search's own line. */
export const methodWords = (result: CompareResult): readonly string[] =>
  result.kind === 'max' ? result.lines.map((l) => `${l.name}: ${l.method}.`) : METHOD_WORDS;

/** What the scope is in words: "the whole run", "the slow viewers", "stage 2". */
export function scopeWords(scope: Scope): string {
  const parts = [scope.viewers && `the ${scope.viewers} viewers`, scope.stage && `stage ${scope.stage}`].filter(Boolean);
  return parts.length === 0 ? 'the whole run' : parts.join(', ');
}

/** "fps per stream, median (fps)". */
export const lineName = (line: CompareLine): string => `${line.name} (${line.unit})`;

/** The verdict word as a table shows it: a verdict in capitals, the rest as they are. */
export const verdictWord = (line: CompareLine): string =>
  line.verdict === 'same' || line.verdict === 'not compared' ? line.verdict : line.verdict.toUpperCase();

/** The headline: the one sentence a CI log shows first. */
export function headline(result: CompareResult): string {
  if (result.verdict === 'worse')
    return `WORSE: NEW is worse than BASE on ${result.worse.length} figure${result.worse.length === 1 ? '' : 's'}: ${result.worse.join('; ')}`;
  if (result.verdict === 'better')
    return `BETTER: NEW is better than BASE on ${result.better.length} figure${result.better.length === 1 ? '' : 's'} and worse on none`;
  return 'SAME: no figure changed beyond its noise threshold with significance';
}

/** How the lines were decided, in words, once for all of them. */
export const METHOD_WORDS = [
  'Per-stream figures (fps, time to first frame, bandwidth, rates per stream-hour): the streams are the samples; a Mann–Whitney rank test says whether the change is significant (p < 0.05), and a bootstrap over the streams gives its 95% interval.',
  "Percentiles of frame gaps and delays: every frame is a sample (the streams' HdrHistograms merged exactly); a change is significant when the two 95% intervals of the percentile do not overlap.",
  "A significant change is better or worse only when it is also larger than the figure's noise threshold (calibrated from identical runs; --noise replaces it); otherwise: same.",
];
