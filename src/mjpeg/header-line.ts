// One part header line, read from its bytes without making strings, so the per-part path allocates nothing.

const CONTENT_LENGTH = Buffer.from('content-length', 'latin1');
const CONTENT_TYPE = Buffer.from('content-type', 'latin1');
const IMAGE = Buffer.from('image/', 'latin1');
const LF = 0x0a;
const SHORT_LINE = 256;

/** Which header a line is; a timestamp header is TIMESTAMP plus its index among the names looked for. */
export const HeaderName = { NONE: -1, OTHER: 0, LENGTH: 1, TYPE: 2, TIMESTAMP: 3 } as const;

/** What a line of a header block was. */
export const HeaderLine = {
  /** The line continues in the next chunk. */
  PENDING: 0,
  HEADER: 1,
  /** The header block is over. */
  BLANK: 2,
  /** A repeated delimiter line: the part starts again. */
  DELIMITER_LINE: 3,
  /** A whole close delimiter line where a header line was expected. */
  CLOSE_DELIMITER_LINE: 4,
  /** The block passed its cap (the line is not read). */
  TOO_LARGE: 5,
} as const;

export type HeaderLine = (typeof HeaderLine)[keyof typeof HeaderLine];

/** Type of the part: absent, image/*, or anything else. */
export const PartType = { ABSENT: 0, IMAGE: 1, OTHER: 2 } as const;

export type PartType = (typeof PartType)[keyof typeof PartType];

const isSpace = (byte: number | undefined): boolean => byte === 0x20 || byte === 0x09;
const lower = (byte: number): number => (byte >= 0x41 && byte <= 0x5a ? byte | 0x20 : byte);

function equalsIgnoreCase(line: Buffer, start: number, end: number, name: Buffer): boolean {
  if (end - start !== name.length) return false;
  for (let i = 0; i < name.length; i++) if (lower(line[start + i] ?? 0) !== name[i]) return false;
  return true;
}

/** Where a line's colon is, or -1. Header lines are short: a plain loop beats Buffer.indexOf, whose call costs more than the search. */
function colonIn(line: Buffer, start: number, end: number): number {
  for (let i = start; i < end; i++) if (line[i] === 0x3a) return i;
  return -1;
}

/** Where the value of a header line starts (after the colon and any padding), or -1 when it has no colon. */
export function valueStart(line: Buffer, start: number, end: number): number {
  const colon = colonIn(line, start, end);
  if (colon === -1) return -1;
  let i = colon + 1;
  while (i < end && isSpace(line[i])) i++;
  return i;
}

/**
 * Which header a line [start, end) is: Content-Length, Content-Type, a timestamp header (HeaderName.TIMESTAMP + its
 * index among `timestamps`, lower-case), another one, or not a header at all (HeaderName.NONE).
 */
export function headerKind(line: Buffer, start: number, end: number, timestamps: readonly Buffer[]): number {
  const colon = colonIn(line, start, end);
  if (colon === -1 || colon === start) return HeaderName.NONE;
  let nameEnd = colon;
  while (nameEnd > start && isSpace(line[nameEnd - 1])) nameEnd--;
  if (equalsIgnoreCase(line, start, nameEnd, CONTENT_LENGTH)) return HeaderName.LENGTH;
  if (equalsIgnoreCase(line, start, nameEnd, CONTENT_TYPE)) return HeaderName.TYPE;
  for (let t = 0; t < timestamps.length; t++) if (equalsIgnoreCase(line, start, nameEnd, timestamps[t] as Buffer)) return HeaderName.TIMESTAMP + t;
  return HeaderName.OTHER;
}

/** A Content-Length value: digits only (padding allowed around them); -1 when absurd or not a number. */
export function parseLength(line: Buffer, start: number, end: number, max: number): number {
  while (end > start && isSpace(line[end - 1])) end--;
  if (end === start) return -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = (line[i] ?? 0) - 0x30;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
    if (value > max) return -1;
  }
  return value;
}

/** A Content-Type value: true for image/* (any case). */
export function isImageType(line: Buffer, start: number, end: number): boolean {
  if (end - start < IMAGE.length) return false;
  for (let i = 0; i < IMAGE.length; i++) if (lower(line[start + i] ?? 0) !== IMAGE[i]) return false;
  return true;
}

/** The line feed ending the line at `from`, or -1: a loop over the first bytes (header lines are short), then Buffer.indexOf for a long line. */
export function findLineFeed(chunk: Buffer, from: number): number {
  const stop = Math.min(chunk.length, from + SHORT_LINE);
  for (let i = from; i < stop; i++) if (chunk[i] === LF) return i;
  return stop === chunk.length ? -1 : chunk.indexOf(LF, stop);
}
