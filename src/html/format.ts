// Figures as the page shows them: always with their unit, the same digits as the text summary.

export const int = (n: number): string => Math.round(n).toLocaleString('en-US');

export const fixed = (n: number, digits: number): string => n.toFixed(digits);

// A no-break space: a unit never wraps onto a line of its own.
export const percent = (share: number, digits = 1): string => `${(share * 100).toFixed(digits)}\u00a0%`;

export const plural = (n: number, word: string, many = `${word}s`): string => `${int(n)} ${n === 1 ? word : many}`;

/** Seconds as a duration: "8.0 s", "5 min 3 s", "2 h 05 min". */
export function duration(seconds: number): string {
  if (seconds < 120) return `${seconds.toFixed(1)} s`;
  const whole = Math.round(seconds);
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  if (hours > 0) return `${hours} h ${String(minutes).padStart(2, '0')} min`;
  return `${minutes} min ${whole % 60} s`;
}

/** Bytes in decimal units, as network rates are given. */
export function bytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = n;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? String(Math.round(value)) : value.toFixed(value < 10 ? 2 : 1)} ${units[unit] ?? 'B'}`;
}

/** A number without noise digits: up to `digits` decimals, trailing zeros dropped. */
export function num(n: number, digits = 2): string {
  return Number(n.toFixed(digits)).toLocaleString('en-US', { maximumFractionDigits: digits });
}

/** An ISO instant, readable and still unambiguous (UTC). */
export function instant(iso: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  return `${new Date(time)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, '')} UTC`;
}
