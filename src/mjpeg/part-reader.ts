import { DelimiterSearch } from './delimiter-search.js';
import { NO_FINGERPRINT, PartBody } from './part-body.js';
import { ParserState } from './parser-states.js';
import {
  countPart,
  newParserCounters,
  type MjpegParserOptions,
  type ParserCounters,
  type ParserFailure,
  type ParserFailureCode,
  type ParserProblemKind,
} from './parser-types.js';
import type { TimestampSource } from './frame-timestamp.js';
import { DEFAULT_TIMESTAMP_HEADERS, HeaderBlock, HeaderLine, PartType, type TimestampHeaders } from './part-headers.js';

/**
 * The delimiter of a boundary. A declared boundary that already starts with "--" is matched as written: on the
 * wire it then appears either as-is or with two more dashes in front, and both contain it.
 */
const delimiterOf = (boundary: string): string => (boundary.startsWith('--') ? boundary : `--${boundary}`);

/** Line ends a sender may put between a body of declared length and the delimiter after it. */
const MAX_LINE_ENDS = 4;

/**
 * One part at a time, from its headers to the delimiter after its body: the states ParserState.HEADERS, ParserState.BODY_LENGTH and
 * ParserState.BODY_SCAN, and the counting of each part as a frame or a problem. MjpegParser adds the stream around the
 * parts (the boundary, preamble, delimiter lines, the end). One object, so the per-chunk path reaches every
 * field without an indirection.
 */
export abstract class PartReader {
  readonly counters: ParserCounters = newParserCounters();

  protected readonly maxHeaderBytes: number;
  protected readonly maxPartBytes: number;
  protected readonly now: () => number;
  protected readonly onFrame: MjpegParserOptions['onFrame'];
  protected readonly timestampHeaders: TimestampHeaders;
  protected readonly onProblem: ((kind: ParserProblemKind) => void) | undefined;

  protected state: ParserState = ParserState.SEEK;
  // Until a boundary is set (sniffed from the body, when none was declared), empty stand-ins that no input reaches.
  protected delimiter: Buffer;
  protected search: DelimiterSearch;
  protected block: HeaderBlock;
  protected seenDelimiter = false;

  // The part being read.
  /** The part's Content-Length, or -1. It dates the frame and is checked; the delimiter ends the body. */
  protected declared = -1;
  /** Declared bytes still to come (negative past the declared end). */
  protected remaining = 0;
  protected body: PartBody;
  protected mismatch = false;
  /** When a known-length body's last byte arrived: the frame's time, whenever the delimiter comes. */
  protected bodyEndAt = -1;

  private failed: ParserFailure | undefined;
  private source: TimestampSource | undefined;
  /**
   * The last frame's fingerprint (a hash of its last bytes, see PartBody) and length: the next frame repeats its
   * picture when both are equal. Kept here, where they are at hand when the next frame ends, and per connection,
   * as the parser is: a reconnection starts afresh.
   */
  private lastFingerprint = 0;
  private lastLength = -1;

  /**
   * `boundary`: the declared one, set at once. Without it the stand-ins wait for setBoundary; a parser made
   * them for each connection and threw them away at once, a third of its construction (10 µs a connection).
   */
  constructor(options: MjpegParserOptions, boundary?: string) {
    this.maxHeaderBytes = options.maxHeaderBytes ?? 16 * 1024;
    this.maxPartBytes = options.maxPartBytes ?? 16 * 1024 * 1024;
    this.now = options.now ?? (() => performance.now());
    this.onFrame = options.onFrame;
    this.onProblem = options.onProblem;
    this.timestampHeaders = options.timestampHeaders ?? DEFAULT_TIMESTAMP_HEADERS;
    if (boundary === undefined) {
      this.delimiter = Buffer.alloc(0);
      this.search = new DelimiterSearch(Buffer.from('--'));
      this.block = new HeaderBlock(Buffer.from('--'), 0, 0);
      this.body = new PartBody(0);
    } else {
      const delimiter = delimiterOf(boundary);
      this.delimiter = Buffer.from(delimiter, 'latin1');
      this.search = new DelimiterSearch(this.delimiter);
      this.body = new PartBody(this.delimiter.length);
      this.block = new HeaderBlock(this.delimiter, this.maxHeaderBytes, this.maxPartBytes, this.timestampHeaders);
    }
  }

  /** Timestamp header values that could not be read. */
  get invalidTimestamps(): number {
    return this.block.invalidTimestamps;
  }

  /** The header the latest capture time came from, and its unit; undefined before one was read. */
  get timestampSource(): TimestampSource | undefined {
    return this.source;
  }

  /** Why the parser stopped reading; once set, the parser ignores further input. */
  get failure(): ParserFailure | undefined {
    return this.failed;
  }

  /** A delimiter ends at `next`: the stream side takes over until the next part's headers. */
  protected abstract delimiterFound(next: number): number;

  /** No delimiter came in the first `within` bytes: the stream side names the failure. */
  protected abstract noDelimiter(within: number): void;

  protected fail(code: ParserFailureCode, message: string): void {
    this.failed ??= { code, message };
    this.state = ParserState.CLOSED;
  }

  protected setBoundary(boundary: string): void {
    this.setDelimiter(delimiterOf(boundary));
  }

  /** The delimiter exactly as the body writes it (a boundary read from the body's own first line). */
  protected setDelimiter(text: string): void {
    this.delimiter = Buffer.from(text, 'latin1');
    this.search = new DelimiterSearch(this.delimiter);
    this.body = new PartBody(this.delimiter.length);
    // Garbage timestamps already counted under the old boundary stay counted.
    const invalid = this.block.invalidTimestamps;
    this.block = new HeaderBlock(this.delimiter, this.maxHeaderBytes, this.maxPartBytes, this.timestampHeaders);
    this.block.invalidTimestamps = invalid;
  }

  protected beginHeaders(): void {
    this.state = ParserState.HEADERS;
    this.block.reset();
  }

  protected headers(chunk: Buffer, i: number): number {
    const next = this.block.read(chunk, i);
    switch (this.block.last) {
      case HeaderLine.TOO_LARGE:
        if (!this.seenDelimiter) {
          // Before any delimiter this was a preamble that read like headers; the 1 MiB bound still applies.
          this.resync();
          break;
        }
        this.counters.oversizedHeaders++;
        this.onProblem?.('oversized-headers');
        this.fail('PART_HEADERS_TOO_LARGE', `part headers exceeded ${this.maxHeaderBytes} bytes`);
        break;
      case HeaderLine.BLANK:
        // The headers are over (a part may have none). Before the first delimiter only a block that names a
        // Content-Type or Content-Length is a part whose delimiter is missing; anything else was a preamble.
        if (this.seenDelimiter || this.block.known) this.beginBody();
        else this.resync();
        break;
      case HeaderLine.DELIMITER_LINE:
        this.headersCut();
        // Repeated delimiter lines count towards the header cap, or a stream of them would count nothing forever.
        if (this.seenDelimiter) this.block.restart();
        else this.block.reset();
        this.seenDelimiter = true;
        break;
      case HeaderLine.CLOSE_DELIMITER_LINE:
        this.headersCut();
        this.seenDelimiter = true;
        this.state = ParserState.CLOSED;
        break;
      default:
        break;
    }
    return next;
  }

  /** A delimiter line came where a part's header lines had begun: that part was cut short. */
  private headersCut(): void {
    if (!this.block.hasLines || !(this.seenDelimiter || this.block.known)) return;
    this.body.reset();
    this.truncated();
  }

  protected beginBody(): void {
    this.body.reset();
    this.mismatch = false;
    this.search.reset();
    this.bodyEndAt = -1;
    const known = this.block.contentLength >= 0 && !this.block.lengthConflict;
    this.declared = known ? this.block.contentLength : -1;
    this.remaining = this.declared;
    if (this.declared === 0) this.bodyEndAt = this.now();
    this.state = known ? ParserState.BODY_LENGTH : ParserState.BODY_SCAN;
  }

  /**
   * Both body states search for the delimiter: a Content-Length can lie in either direction, and only the
   * delimiter says where the part ends. A declared length dates the frame (when its last byte arrived) and
   * is checked against where the delimiter was.
   */
  protected readBody(chunk: Buffer, i: number): number {
    const found = this.search.find(chunk, i);
    if (found === undefined) {
      const end = chunk.length;
      if (this.remaining > 0 && end - i >= this.remaining) this.bodyEndAt = this.now();
      this.remaining -= end - i;
      this.body.add(chunk, i, end);
      this.search.keep(chunk, i);
      if (this.body.length > this.maxPartBytes) this.partTooLarge();
      return end;
    }
    if (found >= i) {
      if (this.remaining > 0 && found - i >= this.remaining) this.bodyEndAt = this.now();
      this.body.addLast(chunk, i, found);
    } else {
      // A delimiter that began in the carry began in bytes already counted as body: take them back.
      this.body.takeBack(i - found);
    }
    this.search.reset();
    const at = this.settleLength();
    this.finishPart(at);
    this.body.release();
    return this.delimiterFound(found + this.delimiter.length);
  }

  /**
   * The body ended at a delimiter: a declared length that reached it (give or take line ends) is honest and
   * the frame is dated by it; any other is counted as a lie. Returns the frame's time, or -1 for now.
   */
  private settleLength(): number {
    if (this.lengthHeld()) return this.bodyEndAt;
    if (this.declared >= 0) this.lengthLied();
    this.body.dropLineEnd();
    return -1;
  }

  /** The body holds exactly the declared length plus up to four CR/LF, which are then dropped. */
  private lengthHeld(): boolean {
    const extra = this.body.length - this.declared;
    if (this.declared < 0 || extra < 0 || extra > MAX_LINE_ENDS || !this.body.endsWithLineEnds(extra)) return false;
    this.body.takeBack(extra);
    return true;
  }

  private lengthLied(): void {
    this.counters.lengthMismatches++;
    this.mismatch = true;
    this.onProblem?.('length-mismatch');
  }

  /**
   * The stream ended inside a body: drops the start of a delimiter cut off by the end, and says whether the
   * declared length arrived whole.
   */
  protected endBody(): boolean {
    this.body.dropDelimiterStart(this.delimiter);
    if (this.lengthHeld()) return true;
    this.body.dropLineEnd();
    return false;
  }

  /** The stream ended inside a body that holds a part (see endOfStream): count it. */
  protected finishOpenBody(lengthArrived: boolean): void {
    if (this.declared >= 0 && !lengthArrived) this.lengthLied();
    this.finishPart(lengthArrived ? this.bodyEndAt : -1);
  }

  private partTooLarge(): void {
    this.counters.bodyBytes += this.body.length;
    if (!this.seenDelimiter) {
      this.noDelimiter(this.maxPartBytes);
      return;
    }
    this.counters.oversizedParts++;
    this.onProblem?.('oversized-part');
    this.fail('PART_TOO_LARGE', `no delimiter within ${this.maxPartBytes} bytes of part body`);
  }

  // --- parts ----------------------------------------------------------------------------------------------

  /** Counts the part by what its body holds; `at` is the frame's time, or -1 for now. */
  protected finishPart(at: number): void {
    this.state = ParserState.SEEK;
    const outcome = countPart(this.counters, this.body.length, this.block.typeKind === PartType.OTHER, this.mismatch, this.body.jpegCheck());
    if (outcome !== 'frame') {
      this.onProblem?.(outcome);
      return;
    }
    const block = this.block;
    // A new object only when the header or unit changes: not per frame.
    const header = this.timestampHeaders.names[block.timestampHeader];
    if (header !== undefined && (this.source?.unit !== block.timestamp.unit || this.source.header !== header)) {
      this.source = { header, unit: block.timestamp.unit };
    }
    const fingerprint = this.body.fingerprint();
    const repeated = fingerprint !== NO_FINGERPRINT && this.body.length === this.lastLength && fingerprint === this.lastFingerprint;
    this.lastLength = this.body.length;
    this.lastFingerprint = fingerprint;
    this.onFrame?.(this.body.length, at >= 0 ? at : this.now(), repeated, block.timestamp.ms);
  }

  protected truncated(): void {
    this.counters.bodyBytes += this.body.length;
    this.counters.truncatedParts++;
    this.onProblem?.('truncated-part');
  }

  protected resync(): void {
    this.state = ParserState.SEEK;
    this.search.reset();
  }
}
