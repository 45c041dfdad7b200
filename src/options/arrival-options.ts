import type { OpenModel, Popularity, RateSpan, WatchTime } from '../arrivals.js';
import { UsageError } from '../errors.js';
import { stagesDurationMs } from '../stages.js';
import { MAX_STAGES } from './stage-options.js';
import { MAX_DURATION_MS, parseDuration } from './units.js';

// The open model of issue 30: `--arrival-rate 20/s` or `1m:5/s,5m:20/s`, `--watch-time 30s|exp:30s|10s..60s` and
// `--camera-popularity uniform|zipf[:s]`, text in, a checked OpenModel out.

export const ARRIVAL_RATE_EXAMPLE = 'e.g. 20/s, 0.5/s, 90/m or 1m:5/s,5m:20/s';
export const WATCH_TIME_EXAMPLE = 'e.g. 30s, exp:30s or 10s..60s';
export const POPULARITY_EXAMPLE = 'e.g. uniform, zipf or zipf:1.2';
/** The most new viewers a second a span asks for: every arrival is drawn before the run, and 10,000/s for 5 minutes is 3 million visits. */
export const MAX_ARRIVALS_PER_SECOND = 10_000;
/** The steepest Zipf exponent: at 10 the first camera already takes 999 viewers in 1,000; a steeper law tests nothing more. */
export const MAX_ZIPF_S = 10;
/**
 * The most arrivals a run may expect (its rates over their spans): the whole plan is drawn before the run, about 100
 * bytes an arrival, so 10 million is about a gigabyte, and 50/s holds for 55 hours.
 */
export const MAX_PLANNED_ARRIVALS = 10_000_000;

/** What commander hands the run command for the open model: raw text, checked here. */
export interface ArrivalFlags {
  arrivalRate?: string;
  watchTime?: string;
  cameraPopularity?: string;
}

/** `--arrival-rate` read: a plain rate lasts the run (its --duration); staged spans set the run's length themselves. */
export type ArrivalRate = { kind: 'plain'; perSecond: number } | { kind: 'staged'; rates: RateSpan[] };

const badArrivals = (message: string): UsageError => new UsageError(message, { code: 'ERR_BAD_ARRIVALS' });

/** "span 2 ('5m:x', from character 8)": where in a flag's value a part is, for a message. */
const where = (label: string, text: string, offset: number): string => `${label} ('${text.trim()}', from character ${offset + 1})`;

/** Leading blanks of `text`: a part's own offset is where its first character is, not its padding. */
const lead = (text: string): number => text.length - text.trimStart().length;

const RATE = /^(\d+(?:\.\d+)?|\.\d+)\s*\/\s*([sm])$/;

/** "20/s", "90/m" → new viewers per second; undefined when not a rate. */
function perSecondOf(text: string): number | undefined {
  const match = RATE.exec(text.trim());
  if (match?.[1] === undefined) return undefined;
  return Number(match[1]) / (match[2] === 'm' ? 60 : 1);
}

/** A duration as the flags write it (30s, 2m, 300); undefined when it is not one, or longer than Node's longest timer. */
function durationOf(text: string): number | undefined {
  try {
    return parseDuration(text, '');
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return undefined;
  }
}

function checkRateCeiling(perSecond: number, at: string, whole: string): void {
  if (perSecond > MAX_ARRIVALS_PER_SECOND) {
    throw badArrivals(`--arrival-rate: ${at} is above ${MAX_ARRIVALS_PER_SECOND}/s, the most new viewers a second a run plans; got '${whole}'`);
  }
}

function parseSpan(text: string, index: number, offset: number, whole: string): RateSpan {
  const at = where(`span ${index + 1}`, text, offset);
  const colon = text.indexOf(':');
  if (colon < 0) throw badArrivals(`--arrival-rate: ${at} has no duration: write each span as DURATION:RATE, ${ARRIVAL_RATE_EXAMPLE}; got '${whole}'`);
  const durationText = text.slice(0, colon).trim();
  if (durationText === '') throw badArrivals(`--arrival-rate: ${at} has no duration before its ':', ${ARRIVAL_RATE_EXAMPLE}; got '${whole}'`);
  const durationMs = durationOf(durationText);
  if (durationMs === undefined) {
    throw badArrivals(`--arrival-rate: ${at} has a duration that is not one (such as 30s, 2m or 1h, up to 24 days), ${ARRIVAL_RATE_EXAMPLE}; got '${whole}'`);
  }
  const perSecond = perSecondOf(text.slice(colon + 1));
  if (perSecond === undefined) {
    throw badArrivals(`--arrival-rate: ${at} needs a rate of new viewers as n/s or n/m (0 allowed, decimals too), ${ARRIVAL_RATE_EXAMPLE}; got '${whole}'`);
  }
  checkRateCeiling(perSecond, at, whole);
  return { durationMs, perSecond };
}

function parseSpans(whole: string): RateSpan[] {
  const rates: RateSpan[] = [];
  let offset = 0;
  for (const part of whole.split(',')) {
    if (rates.length === MAX_STAGES) throw badArrivals(`--arrival-rate takes at most ${MAX_STAGES} spans; got more in '${whole}'`);
    rates.push(parseSpan(part, rates.length, offset + lead(part), whole));
    offset += part.length + 1;
  }
  const totalMs = stagesDurationMs(rates);
  if (totalMs < 1000)
    throw badArrivals(`--arrival-rate: the spans last ${totalMs} ms together; a run lasts 1 s at least, ${ARRIVAL_RATE_EXAMPLE}; got '${whole}'`);
  if (totalMs > MAX_DURATION_MS - 60_000) throw badArrivals(`--arrival-rate: the spans last more than 24 days together; got '${whole}'`);
  if (rates.every((r) => r.perSecond === 0)) {
    throw badArrivals(`--arrival-rate: every span's rate is 0, so no viewer would ever arrive, ${ARRIVAL_RATE_EXAMPLE}; got '${whole}'`);
  }
  return rates;
}

/** `--arrival-rate`: one rate (`20/s`), or spans (`1m:5/s,5m:20/s`) as soon as the value has a ':' or a ','. */
export function parseArrivalRate(whole: string): ArrivalRate {
  if (whole.includes(':') || whole.includes(',')) return { kind: 'staged', rates: parseSpans(whole) };
  const at = where('the rate', whole, lead(whole));
  const perSecond = perSecondOf(whole);
  if (perSecond === undefined) {
    throw badArrivals(`--arrival-rate: ${at} is not new viewers per second or minute (n/s or n/m, decimals allowed), ${ARRIVAL_RATE_EXAMPLE}; got '${whole}'`);
  }
  if (perSecond === 0)
    throw badArrivals(`--arrival-rate: ${at} is 0, so no viewer would ever arrive: give a rate above 0, ${ARRIVAL_RATE_EXAMPLE}; got '${whole}'`);
  checkRateCeiling(perSecond, at, whole);
  return { kind: 'plain', perSecond };
}

/** What the open model's flags do not combine with, and what they need: checked before the run's length is known. */
export function checkArrivalFlags(rate: ArrivalRate | undefined, flags: ArrivalFlags, given: { stages: boolean; duration: boolean; rampUp: boolean }): void {
  if (rate === undefined) {
    if (flags.watchTime !== undefined)
      throw badArrivals('--watch-time needs --arrival-rate: it is how long each arriving viewer stays, e.g. --arrival-rate 20/s --watch-time 30s');
    if (flags.cameraPopularity !== undefined) {
      throw badArrivals(
        '--camera-popularity needs --arrival-rate: it is which camera each arriving viewer opens, e.g. --arrival-rate 20/s --camera-popularity zipf',
      );
    }
    return;
  }
  if (given.stages)
    throw badArrivals('choose one of --stages and --arrival-rate: stages hold a number of streams open, an arrival rate lets viewers come and go');
  if (given.rampUp) throw badArrivals("--arrival-rate sets the load's shape: leave out --ramp-up, or write the ramp as spans, e.g. 30s:5/s,5m:20/s");
  if (given.duration && rate.kind === 'staged') throw badArrivals("--arrival-rate: its spans set the run's length (their sum): leave out --duration");
}

/** One duration of a watch time, above 0 and within the run (`runMs`), or a message naming it and where it is. */
function watchPart(label: string, text: string, offset: number, whole: string, runMs: number): number {
  const at = where(label, text, offset);
  const ms = durationOf(text);
  if (ms === undefined)
    throw badArrivals(`--watch-time: ${at} is not a duration (such as 30s, 2m or 1h, up to 24 days), ${WATCH_TIME_EXAMPLE}; got '${whole}'`);
  if (ms === 0) throw badArrivals(`--watch-time: ${at} is 0: a viewer stays for some time, ${WATCH_TIME_EXAMPLE}; got '${whole}'`);
  // A viewer who stays past the run's end is a closed model in disguise: the open model would never show.
  if (ms > runMs) {
    throw badArrivals(
      `--watch-time: ${at} is longer than the run (${runMs / 1000} s): give a shorter watch time or a longer run, ${WATCH_TIME_EXAMPLE}; got '${whole}'`,
    );
  }
  return ms;
}

/** `--watch-time`: `30s` (each viewer stays that long), `exp:30s` (exponential, that mean), `10s..60s` (uniform), within the run. */
export function parseWatchTime(whole: string, runMs: number): WatchTime {
  const start = lead(whole);
  const text = whole.trim();
  if (text.startsWith('exp:')) return { kind: 'exp', meanMs: watchPart('the mean', text.slice(4), start + 4 + lead(text.slice(4)), whole, runMs) };
  const dots = text.indexOf('..');
  if (dots < 0) return { kind: 'fixed', ms: watchPart('the watch time', text, start, whole, runMs) };
  const minText = text.slice(0, dots);
  const maxText = text.slice(dots + 2);
  if (minText.trim() === '' || maxText.trim() === '') {
    throw badArrivals(
      `--watch-time: a uniform watch time needs its shortest and longest as MIN..MAX (from character ${start + 1}), ${WATCH_TIME_EXAMPLE}; got '${whole}'`,
    );
  }
  const minMs = watchPart('the shortest', minText, start, whole, runMs);
  const maxOffset = start + dots + 2 + lead(maxText);
  const maxMs = watchPart('the longest', maxText, maxOffset, whole, runMs);
  if (minMs > maxMs) {
    throw badArrivals(
      `--watch-time: ${where('the longest', maxText, maxOffset)} is shorter than the shortest; write MIN..MAX, ${WATCH_TIME_EXAMPLE}; got '${whole}'`,
    );
  }
  return { kind: 'uniform', minMs, maxMs };
}

const EXPONENT = /^(\d+(?:\.\d+)?|\.\d+)$/;

/** `--camera-popularity`: every camera alike (the default), or Zipf's law with exponent s (1 when not given). */
export function parsePopularity(whole: string | undefined): Popularity {
  if (whole === undefined) return { kind: 'uniform' };
  const start = lead(whole);
  const text = whole.trim();
  if (text === 'uniform') return { kind: 'uniform' };
  if (text === 'zipf') return { kind: 'zipf', s: 1 };
  if (!text.startsWith('zipf:')) {
    throw badArrivals(`--camera-popularity: ${where('the law', text, start)} is neither uniform nor zipf[:s], ${POPULARITY_EXAMPLE}; got '${whole}'`);
  }
  const sText = text.slice(5);
  const s = EXPONENT.test(sText.trim()) ? Number(sText) : NaN;
  if (!(s > 0 && s <= MAX_ZIPF_S)) {
    const at = where('the exponent', sText, start + 5 + lead(sText));
    throw badArrivals(`--camera-popularity: ${at} is not a number above 0 and at most ${MAX_ZIPF_S}, ${POPULARITY_EXAMPLE}; got '${whole}'`);
  }
  return { kind: 'zipf', s };
}

/** The checked open model: the rate's spans (a plain one lasts the whole run, `runMs`), a watch time within the run, the popularity. */
export function openModel(rate: ArrivalRate, flags: ArrivalFlags, runMs: number): OpenModel {
  // No default watch time: how long a viewer stays sets the concurrency the rate settles at (Little's law).
  if (flags.watchTime === undefined) throw badArrivals(`--arrival-rate: an arrival rate needs --watch-time, ${WATCH_TIME_EXAMPLE}`);
  const rates = rate.kind === 'staged' ? rate.rates : [{ durationMs: runMs, perSecond: rate.perSecond }];
  const expected = rates.reduce((total, r) => total + (r.perSecond * r.durationMs) / 1000, 0);
  if (expected > MAX_PLANNED_ARRIVALS) {
    throw badArrivals(
      `--arrival-rate: the run expects ${Math.round(expected).toLocaleString('en-US')} arrivals, more than the ${MAX_PLANNED_ARRIVALS.toLocaleString('en-US')} ` +
        'a run plans ahead: lower the rate or shorten the run (or split it into shorter runs)',
    );
  }
  return {
    rates,
    watch: parseWatchTime(flags.watchTime, runMs),
    popularity: parsePopularity(flags.cameraPopularity),
  };
}
