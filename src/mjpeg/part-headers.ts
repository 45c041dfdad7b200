// Byte-level reading of part header lines: no strings, so the per-part path allocates nothing.
import { readTimestamp, type ReadTimestamp, type TimestampUnitSetting } from './frame-timestamp.js';

const CONTENT_LENGTH = Buffer.from('content-length', 'latin1');
const CONTENT_TYPE = Buffer.from('content-type', 'latin1');
const IMAGE = Buffer.from('image/', 'latin1');

const NOT_A_HEADER = -1;
const OTHER_HEADER = 0;
const LENGTH_HEADER = 1;
const TYPE_HEADER = 2;
const TIMESTAMP_HEADER = 3;
const CR = 0x0d;
const LF = 0x0a;
const DASH = 0x2d;

const isSpace = (byte: number | undefined): boolean => byte === 0x20 || byte === 0x09;
const lower = (byte: number): number => (byte >= 0x41 && byte <= 0x5a ? byte | 0x20 : byte);

function equalsIgnoreCase(line: Buffer, start: number, end: number, name: Buffer): boolean {
  if (end - start !== name.length) return false;
  for (let i = 0; i < name.length; i++) if (lower(line[start + i] ?? 0) !== name[i]) return false;
  return true;
}

/** Where the value of a header line starts (after the colon and any padding), or -1 when it has no colon. */
/** Header lines are short: a plain loop beats Buffer.indexOf, whose call costs more than the search. */
function colonIn(line: Buffer, start: number, end: number): number {
  for (let i = start; i < end; i++) if (line[i] === 0x3a) return i;
  return -1;
}

function valueStart(line: Buffer, start: number, end: number): number {
  const colon = colonIn(line, start, end);
  if (colon === -1) return -1;
  let i = colon + 1;
  while (i < end && isSpace(line[i])) i++;
  return i;
}

/** The part headers that carry a capture time, and the unit of their values. */
export interface TimestampHeaders {
  /** As the user or the defaults spell them; matched ignoring case. */
  names: readonly string[];
  unit: TimestampUnitSetting;
}

export const DEFAULT_TIMESTAMP_HEADERS: TimestampHeaders = { names: ['X-Timestamp', 'X-Frame-Timestamp'], unit: 'auto' };

/**
 * Which header a line [start, end) is: Content-Length, Content-Type, a timestamp header (TIMESTAMP_HEADER + its
 * index among `timestamps`), another one, or not a header at all.
 */
function headerKind(line: Buffer, start: number, end: number, timestamps: readonly Buffer[]): number {
  const colon = colonIn(line, start, end);
  if (colon === -1 || colon === start) return NOT_A_HEADER;
  let nameEnd = colon;
  while (nameEnd > start && isSpace(line[nameEnd - 1])) nameEnd--;
  if (equalsIgnoreCase(line, start, nameEnd, CONTENT_LENGTH)) return LENGTH_HEADER;
  if (equalsIgnoreCase(line, start, nameEnd, CONTENT_TYPE)) return TYPE_HEADER;
  for (let t = 0; t < timestamps.length; t++) if (equalsIgnoreCase(line, start, nameEnd, timestamps[t] as Buffer)) return TIMESTAMP_HEADER + t;
  return OTHER_HEADER;
}

/** A Content-Length value: digits only (padding allowed around them); -1 when absurd or not a number. */
function parseLength(line: Buffer, start: number, end: number, max: number): number {
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
function isImageType(line: Buffer, start: number, end: number): boolean {
  if (end - start < IMAGE.length) return false;
  for (let i = 0; i < IMAGE.length; i++) if (lower(line[start + i] ?? 0) !== IMAGE[i]) return false;
  return true;
}

const SHORT_LINE = 256;

/** A loop over the first bytes (header lines are short), then Buffer.indexOf for a long line. */
function findLineFeed(chunk: Buffer, from: number): number {
  const stop = Math.min(chunk.length, from + SHORT_LINE);
  for (let i = from; i < stop; i++) if (chunk[i] === LF) return i;
  return stop === chunk.length ? -1 : chunk.indexOf(LF, stop);
}

/** What the last line read was. */
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

// The lower-case names of a set of timestamp headers, made once per set rather than once per connection.
const namesBySet = new WeakMap<TimestampHeaders, readonly Buffer[]>();
function timestampNamesOf(timestamps: TimestampHeaders): readonly Buffer[] {
  let names = namesBySet.get(timestamps);
  if (!names) {
    names = timestamps.names.map((name) => Buffer.from(name.toLowerCase(), 'latin1'));
    namesBySet.set(timestamps, names);
  }
  return names;
}

/**
 * A part's header block, read line by line across chunks. Lines are read in place; one split across chunks
 * is held in a buffer that grows (rarely) up to the cap. Only Content-Length and Content-Type matter, and
 * both are read from the bytes, without making strings.
 */
export class HeaderBlock {
  contentLength = -1;
  /** Absurd, unreadable or disagreeing Content-Length values: treat the length as absent. */
  lengthConflict = false;
  typeKind: PartType = PartType.ABSENT;
  /** A Content-Type or Content-Length line was seen: the block belongs to a part, not to a preamble. */
  known = false;
  /** A line other than a delimiter line was read since the block (re)started. */
  hasLines = false;
  /** The part's capture time (ms, in the sender's clock; NaN when none was read) and its unit. */
  readonly timestamp: ReadTimestamp = { ms: Number.NaN, unit: 'ms' };
  /** Which of the timestamp headers gave it (an index into their names), or -1. */
  timestampHeader = -1;
  /** Timestamp header values that could not be read, over the parser's life. */
  invalidTimestamps = 0;
  private readonly timestampNames: readonly Buffer[];
  last: HeaderLine = HeaderLine.PENDING;
  /** An unfinished line, held until the chunk with its end arrives. */
  private buffer = Buffer.alloc(256);
  private pending = 0;
  /** Header bytes so far in this block, for the cap. */
  private total = 0;
  private restartedAt = 0;

  constructor(
    private readonly delimiter: Buffer,
    private readonly maxBytes: number,
    private readonly maxPartBytes: number,
    private readonly timestamps: TimestampHeaders = DEFAULT_TIMESTAMP_HEADERS,
  ) {
    this.timestampNames = timestampNamesOf(timestamps);
  }

  get capacity(): number {
    return this.buffer.length;
  }

  /** Some header bytes arrived since the last delimiter line (a stream that ends now ends inside a part). */
  get started(): boolean {
    return this.total > this.restartedAt;
  }

  reset(): void {
    this.total = 0;
    this.restart();
  }

  /** A repeated delimiter line: the part starts again, but its bytes still count towards the cap. */
  restart(): void {
    this.restartedAt = this.total;
    this.pending = 0;
    this.known = false;
    this.hasLines = false;
    this.contentLength = -1;
    this.lengthConflict = false;
    this.typeKind = PartType.ABSENT;
    this.timestamp.ms = Number.NaN;
    this.timestampHeader = -1;
    this.last = HeaderLine.PENDING;
  }

  /** Reads up to the end of the current line; returns where it stopped and sets `last`. */
  read(chunk: Buffer, i: number): number {
    const lf = findLineFeed(chunk, i);
    const end = lf === -1 ? chunk.length : lf + 1;
    this.total += end - i;
    if (this.total > this.maxBytes) {
      this.last = HeaderLine.TOO_LARGE;
      return end;
    }
    if (lf === -1) {
      this.hold(chunk, i, end);
      this.last = HeaderLine.PENDING;
      return end;
    }
    // A line whole in this chunk is read where it lies; only a line split across chunks is copied.
    let source = chunk;
    let start = i;
    let lineEnd = lf;
    if (this.pending > 0) {
      this.hold(chunk, i, lf);
      source = this.buffer;
      start = 0;
      lineEnd = this.pending;
      this.pending = 0;
    }
    if (lineEnd > start && source[lineEnd - 1] === CR) lineEnd--;
    this.last = lineEnd === start ? HeaderLine.BLANK : this.line(source, start, lineEnd);
    if (this.last === HeaderLine.HEADER) this.hasLines = true;
    return end;
  }

  private hold(chunk: Buffer, from: number, to: number): void {
    const needed = this.pending + (to - from);
    if (needed > this.buffer.length) {
      const grown = Buffer.alloc(Math.min(this.maxBytes, Math.max(this.buffer.length * 2, needed)));
      this.buffer.copy(grown, 0, 0, this.pending);
      this.buffer = grown;
    }
    chunk.copy(this.buffer, this.pending, from, to);
    this.pending = needed;
  }

  private line(line: Buffer, start: number, end: number): HeaderLine {
    const d = this.delimiter;
    if (this.startsWithDelimiter(line, start, end)) {
      const close = end - start >= d.length + 2 && line[start + d.length] === DASH && line[start + d.length + 1] === DASH;
      return close ? HeaderLine.CLOSE_DELIMITER_LINE : HeaderLine.DELIMITER_LINE;
    }
    const kind = headerKind(line, start, end, this.timestampNames);
    if (kind === NOT_A_HEADER) return HeaderLine.HEADER;
    if (kind >= TIMESTAMP_HEADER) {
      this.readTimestamp(line, valueStart(line, start, end), end, kind - TIMESTAMP_HEADER);
      return HeaderLine.HEADER;
    }
    const value = valueStart(line, start, end);
    if (kind !== OTHER_HEADER) this.known = true;
    if (kind === LENGTH_HEADER) {
      const length = parseLength(line, value, end, this.maxPartBytes);
      if (length === -1 || (this.contentLength !== -1 && this.contentLength !== length)) this.lengthConflict = true;
      else this.contentLength = length;
    } else if (kind === TYPE_HEADER) {
      this.typeKind = value >= end ? PartType.ABSENT : isImageType(line, value, end) ? PartType.IMAGE : PartType.OTHER;
    }
    return HeaderLine.HEADER;
  }

  /** The first timestamp header of a part that reads as a time is its capture time; garbage is counted. */
  private readTimestamp(line: Buffer, start: number, end: number, which: number): void {
    if (this.timestampHeader !== -1) return;
    readTimestamp(line, start, end, this.timestamps.unit, this.timestamp);
    if (this.timestamp.ms === this.timestamp.ms) this.timestampHeader = which;
    else this.invalidTimestamps++;
  }

  private startsWithDelimiter(line: Buffer, start: number, end: number): boolean {
    if (end - start < this.delimiter.length) return false;
    for (let j = 0; j < this.delimiter.length; j++) if (line[start + j] !== this.delimiter[j]) return false;
    return true;
  }
}
