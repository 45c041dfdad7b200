// A part's capture time, read from the bytes of its timestamp header without making a string.
//
// mjpg-streamer and ustreamer send `X-Timestamp: <seconds>.<micros>`; other servers send milliseconds or
// microseconds as an integer, or name the header X-Frame-Timestamp. The unit, unless the user names it, comes
// from the form of the value: a fraction means seconds; an integer means milliseconds, or microseconds once it
// is too large for milliseconds since 1970 (10^14 ms is the year 5138).

export type TimestampUnit = 's' | 'ms' | 'us';
/** 'auto': from the value's form, as above. */
export type TimestampUnitSetting = TimestampUnit | 'auto';

export const UNIT_MS: Readonly<Record<TimestampUnit, number>> = { s: 1000, ms: 1, us: 0.001 };
const MICROSECONDS_FROM = 1e14;
/** More digits than a double holds exactly in its integer part: the value is garbage, not a time. */
const MAX_INTEGER_DIGITS = 16;
const MAX_FRACTION_DIGITS = 9;

const isSpace = (byte: number | undefined): boolean => byte === 0x20 || byte === 0x09;

/** Which part header carried a stream's capture times, and the unit its values were read in. */
export interface TimestampSource {
  /** As the user or the defaults spell it, e.g. X-Timestamp. */
  header: string;
  unit: TimestampUnit;
}

/** Where a value was read: its time in ms (in its own clock) and unit; `ms` is NaN when unreadable. */
export interface ReadTimestamp {
  ms: number;
  unit: TimestampUnit;
}

/**
 * Reads `digits[.digits]` from bytes [start, end) (padding allowed around it) into `out`. Anything else (a sign,
 * letters, an empty value, absurd lengths) leaves `out.ms` NaN: a garbage value is ignored and counted, never
 * a wrong age.
 */
export function readTimestamp(bytes: Buffer, start: number, end: number, unit: TimestampUnitSetting, out: ReadTimestamp): void {
  out.ms = Number.NaN;
  while (start < end && isSpace(bytes[start])) start++;
  while (end > start && isSpace(bytes[end - 1])) end--;
  let integer = 0;
  let integerDigits = 0;
  let i = start;
  for (; i < end; i++) {
    const digit = (bytes[i] ?? 0) - 0x30;
    if (digit < 0 || digit > 9) break;
    integer = integer * 10 + digit;
    integerDigits++;
  }
  if (integerDigits === 0 || integerDigits > MAX_INTEGER_DIGITS) return;
  let fraction = 0;
  let scale = 1;
  const hasFraction = i < end && bytes[i] === 0x2e;
  if (hasFraction) {
    i++;
    const fractionStart = i;
    for (; i < end; i++) {
      const digit = (bytes[i] ?? 0) - 0x30;
      if (digit < 0 || digit > 9) return;
      fraction = fraction * 10 + digit;
      scale *= 10;
    }
    if (i === fractionStart || i - fractionStart > MAX_FRACTION_DIGITS) return;
  }
  if (i !== end) return;
  const resolved: TimestampUnit = unit !== 'auto' ? unit : integer >= MICROSECONDS_FROM ? 'us' : hasFraction && integer < 1e11 ? 's' : 'ms';
  out.unit = resolved;
  out.ms = (integer + fraction / scale) * UNIT_MS[resolved];
}
