import { UsageError } from '../errors.js';
import type { ViewerBehaviour, ViewerPlan } from '../viewers.js';
import { DEFAULTS } from './defaults.js';
import { parseDuration } from './units.js';

// The viewer groups of `run` (issue 29): --slow-viewers, --pausing-viewers and --stuck-viewers, when they begin
// (--lead-in), and --seed, which picks their members. Text in, a checked ViewerPlan out.

/** What commander hands over for the viewer groups: raw text, checked here. */
export interface ViewerFlags {
  slowViewers?: string;
  pausingViewers?: string;
  stuckViewers?: string;
  leadIn?: string;
  /** undefined: the default seed. */
  seed?: string;
}

/** The run the groups live in: its length and ramp-up, in ms (the ramp-up is the first part of the duration). */
export interface RunSpan {
  durationMs: number;
  rampUpMs: number;
}

/** The slowest rate a slow viewer may read at: below a byte a second, one frame takes hours. */
export const MIN_SLOW_BYTES_PER_SECOND = 1;
/** The shortest lead-in: the normal viewers' baseline needs a second to be one. */
export const MIN_LEAD_IN_MS = 1_000;
/** What the groups need of the run after the lead-in, at least. */
export const MIN_GROUPS_MS = 1_000;
export const MAX_SEED = 2 ** 32 - 1;

const NUMBER = String.raw`(\d+(?:\.\d+)?|\.\d+)`;
const SHARE = new RegExp(String.raw`^\s*${NUMBER}\s*%\s*$`);
// Bits end in a lower-case `bps`, bytes in a capital `B/s`; the prefix letter may be either case.
const BITS = new RegExp(String.raw`^\s*${NUMBER}\s*([kKmMgG]?)bps\s*$`);
const BYTES = new RegExp(String.raw`^\s*${NUMBER}\s*([kKmMgG]i?)?B\s*/\s*s\s*$`);
// "MBps", "KBPS": bits to some readers, bytes to others.
const AMBIGUOUS = new RegExp(String.raw`^\s*${NUMBER}\s*[kmg]?bps\s*$`, 'i');
const PREFIX: Record<string, number> = { '': 1, k: 1e3, m: 1e6, g: 1e9, ki: 1024, mi: 1024 ** 2, gi: 1024 ** 3 };

const SLOW_EXAMPLE = 'e.g. 20%@1Mbps';
const PAUSING_EXAMPLE = 'e.g. 5%@20s/60s';
const STUCK_EXAMPLE = 'e.g. 10%';
const RATE_UNITS = 'bps, kbps, Mbps, Gbps, B/s, KB/s, MB/s, GB/s, KiB/s or MiB/s';

const badGroup = (message: string): UsageError => new UsageError(message, { code: 'ERR_BAD_VIEWER_GROUP' });
const badLeadIn = (message: string): UsageError => new UsageError(message, { code: 'ERR_BAD_LEAD_IN' });

/** "1.5 s", "300 s": a duration in a message, from ms. */
const seconds = (ms: number): string => `${Number((ms / 1000).toFixed(3))} s`;
/** "1.5s", "300s": a duration as a flag takes it. */
const flagTime = (ms: number): string => `${Number((ms / 1000).toFixed(3))}s`;

/** "20%" → 0.2: a share of the streams above 0 and at most 1 (written as a percentage above 0% and at most 100%). */
function parseShare(part: string, flag: string, whole: string, example: string): number {
  const match = SHARE.exec(part);
  const percent = match?.[1] === undefined ? NaN : Number(match[1]);
  if (!(percent > 0 && percent <= 100)) {
    throw badGroup(`${flag} expects a share of the streams above 0% and at most 100% (decimals allowed: 2.5%), ${example}; got '${whole}'`);
  }
  return percent / 100;
}

/** "1Mbps", "125KB/s", "1MiB/s" → bytes per second (decimal SI units, binary for KiB/s, MiB/s and GiB/s). */
export function parseViewerRate(part: string, flag: string, whole: string): number {
  const bits = BITS.exec(part);
  const bytes = bits ? undefined : BYTES.exec(part);
  const match = bits ?? bytes;
  if (!match?.[1]) {
    if (AMBIGUOUS.test(part)) {
      throw badGroup(
        `${flag}: '${part.trim()}' reads as bits to some and bytes to others: write bits as Mbps (lower-case bps) or bytes as MB/s, ${SLOW_EXAMPLE}; got '${whole}'`,
      );
    }
    throw badGroup(`${flag} expects a rate in ${RATE_UNITS} after the @, ${SLOW_EXAMPLE}; got '${whole}'`);
  }
  const factor = PREFIX[(match[2] ?? '').toLowerCase()] ?? NaN;
  const bytesPerSecond = (Number(match[1]) * factor) / (bits ? 8 : 1);
  if (bytesPerSecond === 0) {
    throw badGroup(`${flag}: a rate of 0 never reads (that is --stuck-viewers): give a rate of at least 1 B/s (8 bps), ${SLOW_EXAMPLE}; got '${whole}'`);
  }
  if (bytesPerSecond < MIN_SLOW_BYTES_PER_SECOND) {
    throw badGroup(`${flag} reads at least 1 B/s (8 bps): a slower viewer would take hours a frame, ${SLOW_EXAMPLE}; got '${whole}'`);
  }
  if (!Number.isFinite(bytesPerSecond)) throw badGroup(`${flag}: the rate is too large to be a number, ${SLOW_EXAMPLE}; got '${whole}'`);
  return bytesPerSecond;
}

/** Splits `text` at its first `@` into the share and the rest, or refuses it with the form the flag takes. */
function splitAt(text: string, flag: string, form: string, example: string): [string, string] {
  const at = text.indexOf('@');
  if (at < 0) throw badGroup(`${flag} expects ${form}, ${example}; got '${text}'`);
  return [text.slice(0, at), text.slice(at + 1)];
}

/** `--slow-viewers 20%@1Mbps`. */
export function parseSlowViewers(text: string): Extract<ViewerBehaviour, { group: 'slow' }> {
  const flag = '--slow-viewers';
  const [share, rate] = splitAt(text, flag, 'SHARE@RATE', SLOW_EXAMPLE);
  return { group: 'slow', share: parseShare(share, flag, text, SLOW_EXAMPLE), bytesPerSecond: parseViewerRate(rate, flag, text) };
}

/** `--pausing-viewers 5%@20s/60s`: PAUSE shorter than EVERY, both above 0. */
export function parsePausingViewers(text: string): Extract<ViewerBehaviour, { group: 'pausing' }> {
  const flag = '--pausing-viewers';
  const form = 'SHARE@PAUSE/EVERY';
  const [shareText, times] = splitAt(text, flag, form, PAUSING_EXAMPLE);
  const share = parseShare(shareText, flag, text, PAUSING_EXAMPLE);
  const slash = times.indexOf('/');
  const badTimes = (): UsageError => badGroup(`${flag} expects ${form} with times such as 300, 90s, 5m or 1h, ${PAUSING_EXAMPLE}; got '${text}'`);
  if (slash < 0) throw badTimes();
  const pauseText = times.slice(0, slash).trim();
  const everyText = times.slice(slash + 1).trim();
  let pauseMs: number;
  let everyMs: number;
  try {
    pauseMs = parseDuration(pauseText, flag);
    everyMs = parseDuration(everyText, flag);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    throw badTimes();
  }
  if (pauseMs <= 0) throw badGroup(`${flag}: a pause of 0 never pauses: give a pause above 0, ${PAUSING_EXAMPLE}; got '${text}'`);
  if (pauseMs >= everyMs) {
    throw badGroup(
      `${flag}: a pause of ${pauseText} every ${everyText} never reads: make the pause shorter than its period, ${PAUSING_EXAMPLE}; got '${text}'`,
    );
  }
  return { group: 'pausing', share, pauseMs, everyMs };
}

/** `--stuck-viewers 10%`. */
export function parseStuckViewers(text: string): Extract<ViewerBehaviour, { group: 'stuck' }> {
  return { group: 'stuck', share: parseShare(text, '--stuck-viewers', text, STUCK_EXAMPLE) };
}

/** `--seed`: a whole number from 0 to 2^32 − 1; undefined: the default, the same for every shard. */
export function parseSeed(text: string | undefined): number {
  const given = text ?? DEFAULTS.seed;
  const seed = /^\s*\d+\s*$/.test(given) ? Number(given) : NaN;
  if (!(Number.isSafeInteger(seed) && seed <= MAX_SEED)) {
    throw new UsageError(`--seed expects a whole number from 0 to ${MAX_SEED}, e.g. 42; got '${given}'`, { code: 'ERR_BAD_SEED' });
  }
  return seed;
}

/** The lead-in when none is given: a quarter of the run, never before the ramp-up's end, 1 s at least. */
export function defaultLeadInMs(run: RunSpan): number {
  return Math.max(Math.ceil(run.durationMs * DEFAULTS.leadInShare), run.rampUpMs, MIN_LEAD_IN_MS);
}

function resolveLeadIn(text: string | undefined, run: RunSpan): number {
  const tooShort = 'a run too short for the lead-in: the viewer groups begin';
  const after = `and need at least ${seconds(MIN_GROUPS_MS)} of the run after it, but the run is --duration ${flagTime(run.durationMs)}`;
  if (text === undefined) {
    const leadInMs = defaultLeadInMs(run);
    if (leadInMs + MIN_GROUPS_MS > run.durationMs) {
      const shorterRamp = run.rampUpMs > 0 ? ' or a shorter --ramp-up' : '';
      throw badLeadIn(
        `${tooShort} at ${seconds(leadInMs)} (the default --lead-in: a quarter of --duration, ${seconds(MIN_LEAD_IN_MS)} at least, not before --ramp-up ends) ${after}: give a longer --duration${shorterRamp}`,
      );
    }
    return leadInMs;
  }
  const leadInMs = parseDuration(text, '--lead-in');
  if (leadInMs < MIN_LEAD_IN_MS) throw badLeadIn(`--lead-in must be at least ${seconds(MIN_LEAD_IN_MS)}, e.g. 30s; got '${text}'`);
  if (leadInMs < run.rampUpMs) {
    throw badLeadIn(
      `--lead-in ${text} comes before the ramp-up ends (--ramp-up ${flagTime(run.rampUpMs)}): the normal viewers' baseline needs every stream started; give --lead-in ${flagTime(run.rampUpMs)} or more, or a shorter --ramp-up`,
    );
  }
  if (leadInMs + MIN_GROUPS_MS > run.durationMs) throw badLeadIn(`${tooShort} at --lead-in ${text} ${after}: give a longer --duration or a shorter --lead-in`);
  return leadInMs;
}

/** "--a", "--a and --b", "--a, --b and --c". */
const listed = (names: readonly string[]): string => (names.length < 2 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''}`);

/** The viewer groups asked for, checked against the run; undefined: no group flag, every viewer normal. */
export function resolveViewerPlan(flags: ViewerFlags, run: RunSpan): ViewerPlan | undefined {
  const given: { flag: string; behaviour: ViewerBehaviour }[] = [];
  if (flags.slowViewers !== undefined) given.push({ flag: '--slow-viewers', behaviour: parseSlowViewers(flags.slowViewers) });
  if (flags.pausingViewers !== undefined) given.push({ flag: '--pausing-viewers', behaviour: parsePausingViewers(flags.pausingViewers) });
  if (flags.stuckViewers !== undefined) given.push({ flag: '--stuck-viewers', behaviour: parseStuckViewers(flags.stuckViewers) });
  if (given.length === 0) {
    if (flags.leadIn !== undefined) throw badLeadIn('--lead-in applies to viewer groups: give --slow-viewers, --pausing-viewers or --stuck-viewers');
    return undefined;
  }
  // Rounded, so that 33.3% + 33.3% + 33.4% is 100%, not a rounding error past it.
  const totalPercent = Number((given.reduce((sum, { behaviour }) => sum + behaviour.share, 0) * 100).toFixed(9));
  if (totalPercent > 100) {
    throw new UsageError(
      `${listed(given.map(({ flag }) => flag))} take ${totalPercent}% of the streams together; the viewer groups take at most 100%: make the shares smaller`,
      { code: 'ERR_VIEWER_SHARES' },
    );
  }
  const behaviours = given.map(({ behaviour }) => behaviour);
  return { behaviours, leadInMs: resolveLeadIn(flags.leadIn, run) };
}
