// A part's header block, read line by line across chunks: what the parser needs of it, without making strings.
import { readTimestamp, type ReadTimestamp, type TimestampUnitSetting } from './frame-timestamp.js';
import { findLineFeed, HeaderLine, HeaderName, headerKind, isImageType, parseLength, PartType, valueStart } from './header-line.js';

const CR = 0x0d;
const DASH = 0x2d;

/** The part headers that carry a capture time, and the unit of their values. */
export interface TimestampHeaders {
  /** As the user or the defaults spell them; matched ignoring case. */
  names: readonly string[];
  unit: TimestampUnitSetting;
}

export const DEFAULT_TIMESTAMP_HEADERS: TimestampHeaders = { names: ['X-Timestamp', 'X-Frame-Timestamp'], unit: 'auto' };

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

/** What a line split across chunks is first held in: most header lines are shorter. */
const HELD_LINE_BYTES = 256;

/**
 * A part's header block, read line by line across chunks. Lines are read in place; one split across chunks
 * is held in a buffer made for it, which grows (rarely) up to the cap and is let go once the line is read: a chunk
 * seldom ends inside a part's headers, and a buffer kept for it was 0.4 KB a stream. Only Content-Length,
 * Content-Type and the timestamp headers matter, and they are read from the bytes, without making strings.
 */
export class HeaderBlock {
  private lastLine: HeaderLine = HeaderLine.PENDING;
  private contentLength = -1;
  /** Absurd, unreadable or disagreeing Content-Length values: treat the length as absent. */
  private lengthConflict = false;
  private type: PartType = PartType.ABSENT;
  private namesPart = false;
  private readLines = false;
  private readonly time: ReadTimestamp = { ms: Number.NaN, unit: 'ms' };
  private timeHeader = -1;
  private invalid = 0;
  private readonly timestampNames: readonly Buffer[];
  /** An unfinished line, held until the chunk with its end arrives; undefined when none is. */
  private buffer: Buffer | undefined;
  private pending = 0;
  /** Header bytes so far in this block, for the cap. */
  private total = 0;
  private restartedAt = 0;

  /** `delimiter`: a line that starts with it is a delimiter line, not a header. */
  constructor(
    private delimiter: Buffer,
    private readonly maxBytes: number,
    private readonly maxPartBytes: number,
    private readonly timestamps: TimestampHeaders = DEFAULT_TIMESTAMP_HEADERS,
  ) {
    this.timestampNames = timestampNamesOf(timestamps);
  }

  /** What the last line read was. */
  get last(): HeaderLine {
    return this.lastLine;
  }

  /** The part's Content-Length, or -1 when it has none, or none that reads as one length. */
  get declaredLength(): number {
    return this.lengthConflict ? -1 : this.contentLength;
  }

  get typeKind(): PartType {
    return this.type;
  }

  /** A Content-Type or Content-Length line was seen: the block belongs to a part, not to a preamble. */
  get known(): boolean {
    return this.namesPart;
  }

  /** A line other than a delimiter line was read since the block (re)started. */
  get hasLines(): boolean {
    return this.readLines;
  }

  /** The part's capture time (ms, in the sender's clock; NaN when none was read) and its unit. */
  get timestamp(): Readonly<ReadTimestamp> {
    return this.time;
  }

  /** Which of the timestamp headers gave it (an index into their names), or -1. */
  get timestampHeader(): number {
    return this.timeHeader;
  }

  /** Timestamp header values that could not be read, over the parser's life. */
  get invalidTimestamps(): number {
    return this.invalid;
  }

  get capacity(): number {
    return this.buffer?.length ?? 0;
  }

  /** Some header bytes arrived since the last delimiter line (a stream that ends now ends inside a part). */
  get started(): boolean {
    return this.total > this.restartedAt;
  }

  /** The boundary in use changed (the body uses its own): a new block, lines read as delimiters of it. */
  useDelimiter(delimiter: Buffer): void {
    this.delimiter = delimiter;
    this.reset();
  }

  reset(): void {
    this.total = 0;
    this.restart();
  }

  /** A repeated delimiter line: the part starts again, but its bytes still count towards the cap. */
  restart(): void {
    this.restartedAt = this.total;
    this.pending = 0;
    this.buffer = undefined;
    this.namesPart = false;
    this.readLines = false;
    this.contentLength = -1;
    this.lengthConflict = false;
    this.type = PartType.ABSENT;
    this.time.ms = Number.NaN;
    this.timeHeader = -1;
    this.lastLine = HeaderLine.PENDING;
  }

  /** Reads up to the end of the current line; returns where it stopped and sets `last`. */
  read(chunk: Buffer, i: number): number {
    const lf = findLineFeed(chunk, i);
    const end = lf === -1 ? chunk.length : lf + 1;
    this.total += end - i;
    if (this.total > this.maxBytes) {
      this.lastLine = HeaderLine.TOO_LARGE;
      return end;
    }
    if (lf === -1) {
      this.hold(chunk, i, end);
      this.lastLine = HeaderLine.PENDING;
      return end;
    }
    // A line whole in this chunk is read where it lies; only a line split across chunks is copied.
    let source = chunk;
    let start = i;
    let lineEnd = lf;
    if (this.pending > 0) {
      source = this.hold(chunk, i, lf);
      start = 0;
      lineEnd = this.pending;
      this.pending = 0;
      // Read below, then let go: nothing else refers to it.
      this.buffer = undefined;
    }
    if (lineEnd > start && source[lineEnd - 1] === CR) lineEnd--;
    this.lastLine = lineEnd === start ? HeaderLine.BLANK : this.line(source, start, lineEnd);
    if (this.lastLine === HeaderLine.HEADER) this.readLines = true;
    return end;
  }

  /** Adds `chunk[from, to)` to the line held; returns the buffer that holds it. */
  private hold(chunk: Buffer, from: number, to: number): Buffer {
    const needed = this.pending + (to - from);
    let buffer = this.buffer;
    if (buffer === undefined || needed > buffer.length) {
      const grown = Buffer.alloc(Math.min(this.maxBytes, Math.max((buffer?.length ?? 0) * 2, HELD_LINE_BYTES, needed)));
      buffer?.copy(grown, 0, 0, this.pending);
      buffer = grown;
      this.buffer = grown;
    }
    chunk.copy(buffer, this.pending, from, to);
    this.pending = needed;
    return buffer;
  }

  private line(line: Buffer, start: number, end: number): HeaderLine {
    const d = this.delimiter;
    if (this.startsWithDelimiter(line, start, end)) {
      const close = end - start >= d.length + 2 && line[start + d.length] === DASH && line[start + d.length + 1] === DASH;
      return close ? HeaderLine.CLOSE_DELIMITER_LINE : HeaderLine.DELIMITER_LINE;
    }
    const kind = headerKind(line, start, end, this.timestampNames);
    if (kind === HeaderName.NONE) return HeaderLine.HEADER;
    if (kind >= HeaderName.TIMESTAMP) {
      this.readTimestamp(line, valueStart(line, start, end), end, kind - HeaderName.TIMESTAMP);
      return HeaderLine.HEADER;
    }
    const value = valueStart(line, start, end);
    if (kind !== HeaderName.OTHER) this.namesPart = true;
    if (kind === HeaderName.LENGTH) {
      const length = parseLength(line, value, end, this.maxPartBytes);
      if (length === -1 || (this.contentLength !== -1 && this.contentLength !== length)) this.lengthConflict = true;
      else this.contentLength = length;
    } else if (kind === HeaderName.TYPE) {
      this.type = value >= end ? PartType.ABSENT : isImageType(line, value, end) ? PartType.IMAGE : PartType.OTHER;
    }
    return HeaderLine.HEADER;
  }

  /** The first timestamp header of a part that reads as a time is its capture time; garbage is counted. */
  private readTimestamp(line: Buffer, start: number, end: number, which: number): void {
    if (this.timeHeader !== -1) return;
    readTimestamp(line, start, end, this.timestamps.unit, this.time);
    if (this.time.ms === this.time.ms) this.timeHeader = which;
    else this.invalid++;
  }

  private startsWithDelimiter(line: Buffer, start: number, end: number): boolean {
    if (end - start < this.delimiter.length) return false;
    for (let j = 0; j < this.delimiter.length; j++) if (line[start + j] !== this.delimiter[j]) return false;
    return true;
  }
}
