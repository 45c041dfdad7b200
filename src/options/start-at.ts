import { UsageError } from '../errors.js';

// `--start-at`: the instant every shard starts its ramp. Pure: the clock comes in as `now`, so the table of
// cases in the tests needs no fake timers.

export type StartAtErrorCode = 'ERR_BAD_START_AT' | 'ERR_START_PASSED' | 'ERR_START_TOO_FAR';

/** A `--start-at` that cannot be kept: nothing was run (exit 2). */
export class StartAtError extends UsageError {
  constructor(code: StartAtErrorCode, message: string) {
    super(`${message} (${code})`, { code });
  }
}

/**
 * A start this little in the past still starts at once: pods and hosts whose clocks differ by a second or two
 * must not fail for it. Anything later is an error, never a silent late start that would skew a sharded test.
 */
export const START_LATE_TOLERANCE_MS = 5_000;
/** Further ahead is almost surely a typo (a wrong date or time zone), and a pod waiting a day is lost from sight. */
export const START_MAX_AHEAD_MS = 24 * 3_600_000;

const CLOCK = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;
// A date and a time, with optional seconds, fraction and offset; without an offset it is local time, as ISO 8601 says.
const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

const daysIn = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

function bad(text: string): StartAtError {
  return new StartAtError(
    'ERR_BAD_START_AT',
    `--start-at expects an ISO 8601 time (2026-12-03T14:30:00Z) or a clock time today (14:30 or 14:30:00); got '${text}'`,
  );
}

function clockOk(hours: number, minutes: number, seconds: number): boolean {
  return hours <= 23 && minutes <= 59 && seconds <= 59;
}

function offsetMs(zone: string): number {
  if (zone.toUpperCase() === 'Z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const ms = (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0')) * 60_000;
  return zone.startsWith('-') ? -ms : ms;
}

function parseIso(match: RegExpExecArray, text: string): number {
  const [year, month, day, hours, minutes, seconds] = [1, 2, 3, 4, 5, 6].map((i) => Number(match[i] ?? '0')) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const fraction = Math.round(Number(`0.${match[7] ?? '0'}`) * 1000);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || !clockOk(hours, minutes, seconds)) throw bad(text);
  const zone = match[8];
  if (zone === undefined) return new Date(year, month - 1, day, hours, minutes, seconds, fraction).getTime();
  const digits = zone.slice(1).replace(':', '');
  if (zone.toUpperCase() !== 'Z' && (Number(digits.slice(0, 2)) > 23 || Number(digits.slice(2) || '0') > 59)) throw bad(text);
  return Date.UTC(year, month - 1, day, hours, minutes, seconds, fraction) - offsetMs(zone);
}

function formatLocal(ms: number): string {
  const date = new Date(ms);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

/** Throws ERR_START_PASSED or ERR_START_TOO_FAR when `atMs` cannot be kept at `nowMs`. */
export function checkStartAt(atMs: number, nowMs: number): void {
  if (atMs < nowMs - START_LATE_TOLERANCE_MS) {
    throw new StartAtError(
      'ERR_START_PASSED',
      `--start-at ${formatLocal(atMs)} (local time) passed ${Math.round((nowMs - atMs) / 1000)} s ago; give a later time`,
    );
  }
  if (atMs > nowMs + START_MAX_AHEAD_MS) {
    throw new StartAtError('ERR_START_TOO_FAR', `--start-at ${formatLocal(atMs)} (local time) is more than 24 h ahead`);
  }
}

/**
 * `--start-at` text → epoch milliseconds. A clock time (HH:MM or HH:MM:SS) means that time today, local time:
 * never tomorrow, so a start just missed is an error rather than a run a day late.
 */
export function parseStartAt(text: string, now: Date): number {
  const trimmed = text.trim();
  const clock = CLOCK.exec(trimmed);
  let atMs: number;
  if (clock) {
    const [hours, minutes, seconds] = [1, 2, 3].map((i) => Number(clock[i] ?? '0')) as [number, number, number];
    if (!clockOk(hours, minutes, seconds)) throw bad(text);
    atMs = new Date(now.getFullYear(), now.getMonth(), now.getDate(), hours, minutes, seconds).getTime();
  } else {
    const iso = ISO.exec(trimmed);
    if (!iso) throw bad(text);
    atMs = parseIso(iso, text);
  }
  checkStartAt(atMs, now.getTime());
  return atMs;
}
