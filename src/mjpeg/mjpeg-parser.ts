import { DelimiterLine, DelimiterTail } from './delimiter-line.js';
import { DelimiterSearch } from './delimiter-search.js';
import type { TimestampSource } from './frame-timestamp.js';
import { DEFAULT_TIMESTAMP_HEADERS } from './part-headers.js';
import { PartOutcomes } from './part-outcomes.js';
import { PartReader } from './part-reader.js';
import { endOfStream, ParserState, skipBlank } from './parser-states.js';
import type { BoundaryMismatch, MjpegParserOptions, ParserCounters, ParserFailure, ParserFailureCode } from './parser-types.js';
import { StreamOpening } from './stream-opening.js';

export type { BoundaryMismatch, MjpegParserOptions, ParserCounters, ParserFailure, ParserFailureCode, ParserProblemKind } from './parser-types.js';

const DASH = 0x2d;
/** A body with no delimiter in its first MiB is not the stream we were promised. */
export const GIVE_UP_BYTES = 1024 * 1024;

/**
 * The delimiter of a boundary. A declared boundary that already starts with "--" is matched as written: on the
 * wire it then appears either as-is or with two more dashes in front, and both contain it.
 */
const delimiterOf = (boundary: string): Buffer => Buffer.from(boundary.startsWith('--') ? boundary : `--${boundary}`, 'latin1');

/**
 * A multipart/x-mixed-replace stream, as a state machine over its chunks (ParserState). It owns the parts that
 * do the reading, each with its own state: how the body opens (StreamOpening), the delimiter search across chunks,
 * the rest of a delimiter line, a part's header block, its body and declared length, and what each part came to
 * (PartOutcomes: counters, frame and problem events). Every part ends in one counter, or the stream in a `failure`.
 */
export class MjpegParser {
  private state: ParserState;
  private readonly maxHeaderBytes: number;
  private readonly maxPartBytes: number;
  private readonly opening: StreamOpening;
  private readonly outcomes: PartOutcomes;
  private readonly line = new DelimiterLine();
  private readonly part: PartReader;
  // Until a boundary is set (sniffed from the body, when none was declared), stand-ins that no input reaches.
  private delimiter: Buffer;
  private search: DelimiterSearch;
  private seenDelimiter = false;
  private bytesBeforeDelimiter = 0;
  private failed: ParserFailure | undefined;

  constructor(options: MjpegParserOptions = {}) {
    const declared = options.boundary === undefined || options.boundary === '' ? undefined : options.boundary;
    const now = options.now ?? (() => performance.now());
    const timestamps = options.timestampHeaders ?? DEFAULT_TIMESTAMP_HEADERS;
    this.maxHeaderBytes = options.maxHeaderBytes ?? 16 * 1024;
    this.maxPartBytes = options.maxPartBytes ?? 16 * 1024 * 1024;
    this.opening = new StreamOpening(declared);
    this.outcomes = new PartOutcomes(options, now, timestamps);
    this.delimiter = declared === undefined ? Buffer.from('--') : delimiterOf(declared);
    this.search = new DelimiterSearch(this.delimiter);
    this.part = new PartReader(this.delimiter, { maxHeaderBytes: this.maxHeaderBytes, maxPartBytes: this.maxPartBytes }, timestamps, now, this.outcomes);
    this.state = declared === undefined ? ParserState.SNIFF : ParserState.START;
  }

  get counters(): ParserCounters {
    return this.outcomes.counters;
  }

  /** Why the parser stopped reading; once set, the parser ignores further input. */
  get failure(): ParserFailure | undefined {
    return this.failed;
  }

  /** Set when the body used another boundary than the declared one and the parser followed the body. */
  get boundaryMismatch(): BoundaryMismatch | undefined {
    return this.opening.boundaryMismatch;
  }

  /** Timestamp header values that could not be read. */
  get invalidTimestamps(): number {
    return this.part.invalidTimestamps;
  }

  /** The header the latest capture time came from, and its unit; undefined before one was read. */
  get timestampSource(): TimestampSource | undefined {
    return this.outcomes.timestampSource;
  }

  /** Bytes held between chunks: bounded by the header cap and the delimiter length, whatever the input. */
  get bufferedBytes(): number {
    return this.part.capacity + this.search.carryCapacity + this.opening.capacity;
  }

  push(chunk: Buffer): void {
    if (this.state === ParserState.CLOSED) return;
    this.feed(chunk);
    if (!this.seenDelimiter) this.countBeforeDelimiter(chunk.length);
  }

  /** The stream ended: a part still open counts if it is whole, else as truncated. Idempotent. */
  end(): void {
    this.close(true);
  }

  /**
   * We stopped reading (the run is over): a frame that arrived whole still counts, but a part cut short by
   * our own stop is nobody's fault and is not counted as truncated, nor is a stream we had no time to judge
   * failed.
   */
  stop(): void {
    this.close(false);
  }

  private feed(chunk: Buffer): void {
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      switch (this.state) {
        case ParserState.SNIFF:
          i = this.sniff(chunk, i);
          break;
        case ParserState.START:
          i = this.start(chunk, i);
          break;
        case ParserState.PROBE:
          i = this.probe(chunk, i);
          break;
        case ParserState.SEEK:
          i = this.seek(chunk, i);
          break;
        case ParserState.AFTER_DELIMITER:
          i = this.afterDelimiter(chunk, i);
          break;
        case ParserState.HEADERS:
          i = this.headerLine(chunk, i);
          break;
        case ParserState.BODY_LENGTH:
        case ParserState.BODY_SCAN:
          i = this.readBody(chunk, i);
          break;
        default:
          return;
      }
    }
  }

  private close(atEnd: boolean): void {
    if (this.state === ParserState.PROBE) this.endProbe();
    if (this.state === ParserState.CLOSED) return;
    const part = this.part.settleAtEnd(this.state, this.delimiter);
    const outcome = endOfStream(this.state, { ...part, delimiterSeen: this.seenDelimiter, sniffedText: this.opening.sniffedText });
    this.part.countAtEnd(outcome, atEnd);
    if (outcome === 'no-delimiter' && atEnd) this.noDelimiter();
    this.state = ParserState.CLOSED;
  }

  // --- how the body opens ---------------------------------------------------------------------------------

  private sniff(chunk: Buffer, i: number): number {
    const taken = this.opening.sniff(chunk, i);
    const delimiter = this.opening.sniffedDelimiter;
    if (delimiter !== undefined) {
      this.useDelimiter(Buffer.from(delimiter, 'latin1'));
      this.state = ParserState.START;
      this.feed(this.opening.endSniff());
    } else if (this.opening.hopeless) {
      this.noDelimiter();
      return chunk.length;
    }
    return i + taken;
  }

  private start(chunk: Buffer, i: number): number {
    i = skipBlank(chunk, i);
    if (i >= chunk.length) return i;
    // A body that opens with a header line has no first delimiter; anything else is a preamble.
    if (chunk[i] !== DASH) this.beginHeaders();
    else this.state = this.opening.settled || this.delimiterAt(chunk, i) ? ParserState.SEEK : ParserState.PROBE;
    return i;
  }

  private delimiterAt(chunk: Buffer, i: number): boolean {
    const d = this.delimiter;
    if (i + d.length > chunk.length) return false;
    for (let j = 0; j < d.length; j++) if (chunk[i + j] !== d[j]) return false;
    return true;
  }

  private probe(chunk: Buffer, i: number): number {
    const taken = this.opening.probeFor(this.delimiter, chunk, i);
    if (this.opening.probed) this.endProbe();
    return i + taken;
  }

  /** The probe decided: parse what it collected again, with the boundary the body turned out to use. */
  private endProbe(): void {
    const collected = this.opening.endProbe();
    if (collected === undefined) return;
    const mismatch = this.opening.boundaryMismatch;
    if (mismatch) this.useDelimiter(Buffer.from(`--${mismatch.found}`, 'latin1'));
    this.state = ParserState.START;
    this.feed(collected);
  }

  /** The delimiter exactly as the body writes it: the readers that depend on it are made for it. */
  private useDelimiter(delimiter: Buffer): void {
    this.delimiter = delimiter;
    this.search = new DelimiterSearch(delimiter);
    this.part.useDelimiter(delimiter);
  }

  // --- between parts --------------------------------------------------------------------------------------

  private seek(chunk: Buffer, i: number): number {
    const found = this.search.find(chunk, i);
    if (found === undefined) {
      this.search.keep(chunk, i);
      return chunk.length;
    }
    this.search.reset();
    return this.delimiterFound(found + this.delimiter.length);
  }

  private delimiterFound(next: number): number {
    this.seenDelimiter = true;
    this.state = ParserState.AFTER_DELIMITER;
    this.line.reset();
    return Math.max(next, 0);
  }

  private afterDelimiter(chunk: Buffer, i: number): number {
    const next = this.line.read(chunk, i);
    if (this.line.last === DelimiterTail.PART) this.beginHeaders();
    else if (this.line.last === DelimiterTail.CLOSE_DASHES) this.state = ParserState.CLOSED;
    else if (this.line.length > this.maxHeaderBytes) {
      this.outcomes.oversizedHeaders();
      this.fail('PART_HEADERS_TOO_LARGE', `the line after a '${this.delimiter.toString('latin1')}' delimiter exceeded ${this.maxHeaderBytes} bytes`);
    }
    return next;
  }

  /** A body with no delimiter in its first MiB is not a multipart stream. */
  private countBeforeDelimiter(bytes: number): void {
    if (this.state === ParserState.CLOSED) return;
    this.bytesBeforeDelimiter += bytes;
    if (this.bytesBeforeDelimiter > GIVE_UP_BYTES) this.noDelimiter(GIVE_UP_BYTES);
  }

  /** No delimiter in the first `within` bytes, or (without it) in all the stream sent before it ended. */
  private noDelimiter(within?: number): void {
    const { code, message } = this.opening.noDelimiter(this.delimiter, this.bytesBeforeDelimiter, within);
    this.fail(code, message);
  }

  private fail(code: ParserFailureCode, message: string): void {
    this.failed ??= { code, message };
    this.state = ParserState.CLOSED;
  }

  // --- a part ---------------------------------------------------------------------------------------------

  private beginHeaders(): void {
    this.state = ParserState.HEADERS;
    this.part.beginHeaders();
  }

  private headerLine(chunk: Buffer, i: number): number {
    const next = this.part.readHeaderLine(chunk, i, this.seenDelimiter);
    if (this.part.delimiterLineRead) this.seenDelimiter = true;
    if (this.part.headersTooLarge) {
      this.fail('PART_HEADERS_TOO_LARGE', `part headers exceeded ${this.maxHeaderBytes} bytes`);
      return next;
    }
    // A body, or a preamble skipped: the delimiter is searched afresh.
    if (this.part.next !== ParserState.HEADERS) this.search.reset();
    this.state = this.part.next;
    return next;
  }

  /**
   * Both body states search for the delimiter: a Content-Length can lie in either direction, and only the
   * delimiter says where the part ends.
   */
  private readBody(chunk: Buffer, i: number): number {
    const found = this.search.find(chunk, i);
    if (found === undefined) {
      this.part.bodyContinues(chunk, i);
      this.search.keep(chunk, i);
      if (this.part.bodyLength > this.maxPartBytes) this.partTooLarge();
      return chunk.length;
    }
    this.search.reset();
    this.part.bodyEnds(chunk, i, found);
    return this.delimiterFound(found + this.delimiter.length);
  }

  private partTooLarge(): void {
    this.part.discard();
    if (!this.seenDelimiter) {
      this.noDelimiter(this.maxPartBytes);
      return;
    }
    this.outcomes.oversizedPart();
    this.fail('PART_TOO_LARGE', `no delimiter within ${this.maxPartBytes} bytes of part body`);
  }
}
