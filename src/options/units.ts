import { UsageError } from '../errors.js';

// Decimal SI units (KB = 1000 bytes) as network tools and the original tool's users read them; binary
// units (KiB = 1024) when asked for by name.
const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1e3,
  k: 1e3,
  mb: 1e6,
  m: 1e6,
  gb: 1e9,
  g: 1e9,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};

const DURATION_UNITS: Record<string, number> = { '': 1000, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

const NUMBER_WITH_UNIT = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([a-z]*)\s*$/i;

function splitUnit(text: string): { value: number; unit: string } | undefined {
  const match = NUMBER_WITH_UNIT.exec(text);
  if (!match?.[1]) return undefined;
  return { value: Number(match[1]), unit: (match[2] ?? '').toLowerCase() };
}

/**
 * The longest duration a flag takes: Node's timers hold 2^31 − 1 ms (24.8 days); a longer one would fire at once
 * (TimeoutOverflowWarning) and end a run as soon as it began.
 */
export const MAX_DURATION_MS = 2 ** 31 - 1;

/** "300" (seconds), "90s", "5m", "1h", "250ms" -> milliseconds. */
export function parseDuration(text: string, flag: string): number {
  const parsed = splitUnit(text);
  const factor = parsed && DURATION_UNITS[parsed.unit];
  if (!parsed || factor === undefined) {
    throw new UsageError(`${flag} expects a duration such as 300, 90s, 5m or 1h; got '${text}'`);
  }
  const ms = Math.round(parsed.value * factor);
  if (!(ms <= MAX_DURATION_MS)) throw new UsageError(`${flag} takes at most 24 days (${MAX_DURATION_MS} ms, the longest timer Node keeps); got '${text}'`);
  return ms;
}

/** "30KB", "20kb", "1.5MB", "64KiB", "30000" -> bytes. */
export function parseSize(text: string, flag: string): number {
  const parsed = splitUnit(text);
  const factor = parsed && SIZE_UNITS[parsed.unit];
  if (!parsed || factor === undefined) {
    throw new UsageError(`${flag} expects a size such as 30000, 30KB or 1MiB; got '${text}'`);
  }
  return Math.round(parsed.value * factor);
}

/** "40MB/s", "40MiB/s", "320Mbps", "320Mbit/s" -> bytes per second. */
export function parseRate(text: string, flag: string): number {
  const bits = /^(.*?)\s*(?:bps|bit\/s)$/i.exec(text);
  if (bits?.[1] !== undefined) {
    const parsed = splitUnit(bits[1]);
    const factor = parsed && SIZE_UNITS[parsed.unit];
    if (parsed && factor !== undefined && bits[1].trim() !== '') return (parsed.value * factor) / 8;
  } else {
    const bytes = /^(.*?)\s*\/\s*s$/i.exec(text);
    if (bytes?.[1] !== undefined) {
      const parsed = splitUnit(bytes[1]);
      const factor = parsed && SIZE_UNITS[parsed.unit];
      if (parsed && factor !== undefined) return parsed.value * factor;
    }
  }
  throw new UsageError(`${flag} expects a rate such as 40MB/s, 40MiB/s or 320Mbps; got '${text}'`);
}

/** "10%" or "0.1" -> 0.1, within [0, 1]. */
export function parseShare(text: string, flag: string): number {
  const match = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(%?)\s*$/.exec(text);
  const value = match?.[1] === undefined ? NaN : Number(match[1]) / (match[2] === '%' ? 100 : 1);
  if (!(value >= 0 && value <= 1)) {
    throw new UsageError(`${flag} expects a share of cameras such as 10% or 0.1 (0 to 1); got '${text}'`);
  }
  return value;
}

export function parseInteger(text: string, flag: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    throw new UsageError(`${flag} expects a whole number ${range}; got '${text}'`);
  }
  return value;
}

export function parsePositiveNumber(text: string, flag: string, max = Number.MAX_VALUE): number {
  const value = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*$/.test(text) ? Number(text) : NaN;
  if (!(value > 0 && value <= max)) {
    throw new UsageError(`${flag} expects a number above 0${max === Number.MAX_VALUE ? '' : ` and up to ${max}`}; got '${text}'`);
  }
  return value;
}
