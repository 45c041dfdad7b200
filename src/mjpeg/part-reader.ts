import { DeclaredLength } from './declared-length.js';
import { HeaderLine } from './header-line.js';
import { PartBody } from './part-body.js';
import { HeaderBlock, type TimestampHeaders } from './part-headers.js';
import type { PartOutcomes } from './part-outcomes.js';
import { ParserState, type EndOfStream, type OpenPart } from './parser-states.js';

/** What a part's header lines lead to. */
export type AfterHeaderLine = typeof ParserState.HEADERS | typeof ParserState.BODY_LENGTH | typeof ParserState.BODY_SCAN | typeof ParserState.SEEK | typeof ParserState.CLOSED;

/**
 * One part, from its header block to the delimiter that ends its body: the header block, what is kept of the
 * body, its declared length, and what the part came to (told to PartOutcomes). MjpegParser finds the delimiters
 * and keeps the state; readHeaderLine says which state comes next.
 */
export class PartReader {
  private readonly headers: HeaderBlock;
  private readonly length: DeclaredLength;
  private body: PartBody;
  private after: AfterHeaderLine = ParserState.HEADERS;
  private sawDelimiterLine = false;
  private overCap = false;
  private arrivedWhole = false;

  constructor(
    delimiter: Buffer,
    limits: { maxHeaderBytes: number; maxPartBytes: number },
    timestamps: TimestampHeaders,
    now: () => number,
    private readonly outcomes: PartOutcomes,
  ) {
    this.headers = new HeaderBlock(delimiter, limits.maxHeaderBytes, limits.maxPartBytes, timestamps);
    this.length = new DeclaredLength(now);
    this.body = new PartBody(delimiter.length);
  }

  /** Timestamp header values that could not be read, over the parser's life. */
  get invalidTimestamps(): number {
    return this.headers.invalidTimestamps;
  }

  /** Bytes held between chunks. */
  get capacity(): number {
    return this.headers.capacity + this.body.capacity;
  }

  /** The body read so far of the part being read. */
  get bodyLength(): number {
    return this.body.length;
  }

  /** The state after the last header line read. */
  get next(): AfterHeaderLine {
    return this.after;
  }

  /** The last header line read was a delimiter line (or the close delimiter's): a delimiter has been seen. */
  get delimiterLineRead(): boolean {
    return this.sawDelimiterLine;
  }

  /** The header block of a part (after a delimiter) passed its cap: counted, and the stream cannot go on. */
  get headersTooLarge(): boolean {
    return this.overCap;
  }

  /** The boundary in use changed: what depends on its delimiter is made for it. */
  useDelimiter(delimiter: Buffer): void {
    this.body = new PartBody(delimiter.length);
    this.headers.useDelimiter(delimiter);
  }

  beginHeaders(): void {
    this.headers.reset();
  }

  /**
   * Reads a header line from `i`; returns where it stopped, and sets `next`. `afterDelimiter`: a delimiter has been
   * seen; before one, a block that names no Content-Type or Content-Length is a preamble, not a part.
   */
  readHeaderLine(chunk: Buffer, i: number, afterDelimiter: boolean): number {
    const next = this.headers.read(chunk, i);
    this.sawDelimiterLine = false;
    this.after = this.afterLine(afterDelimiter);
    return next;
  }

  private afterLine(afterDelimiter: boolean): AfterHeaderLine {
    switch (this.headers.last) {
      case HeaderLine.TOO_LARGE:
        // Before any delimiter this was a preamble that read like headers; the 1 MiB bound still applies.
        if (!afterDelimiter) return ParserState.SEEK;
        this.overCap = true;
        this.outcomes.oversizedHeaders();
        return ParserState.CLOSED;
      case HeaderLine.BLANK:
        // The headers are over (a part may have none).
        return afterDelimiter || this.headers.known ? this.beginBody() : ParserState.SEEK;
      case HeaderLine.DELIMITER_LINE:
        this.delimiterLine(afterDelimiter);
        // Repeated delimiter lines count towards the header cap, or a stream of them would count nothing forever.
        if (afterDelimiter) this.headers.restart();
        else this.headers.reset();
        return ParserState.HEADERS;
      case HeaderLine.CLOSE_DELIMITER_LINE:
        this.delimiterLine(afterDelimiter);
        return ParserState.CLOSED;
      default:
        return ParserState.HEADERS;
    }
  }

  /** A delimiter line came where a part's header lines had begun: that part was cut short. */
  private delimiterLine(afterDelimiter: boolean): void {
    this.sawDelimiterLine = true;
    if (!this.headers.hasLines || !(afterDelimiter || this.headers.known)) return;
    this.body.reset();
    this.outcomes.truncated(0);
  }

  private beginBody(): typeof ParserState.BODY_LENGTH | typeof ParserState.BODY_SCAN {
    const declared = this.headers.declaredLength;
    this.body.reset();
    this.length.begin(declared);
    return declared >= 0 ? ParserState.BODY_LENGTH : ParserState.BODY_SCAN;
  }

  /** Body bytes from `i` to the end of the chunk, with no delimiter in them. */
  bodyContinues(chunk: Buffer, i: number): void {
    const end = chunk.length;
    this.length.arrived(end - i);
    this.body.add(chunk, i, end);
  }

  /**
   * The delimiter found at `found` ends the body (a negative `found`: it began in the bytes before this chunk,
   * already counted as body). The part is counted, dated by its declared length when that held.
   */
  bodyEnds(chunk: Buffer, i: number, found: number): void {
    if (found >= i) {
      this.length.arrived(found - i);
      this.body.addLast(chunk, i, found);
    } else {
      this.body.takeBack(i - found);
    }
    const at = this.length.settle(this.body);
    this.outcomes.part(this.body, this.headers, this.length.lied, at);
    this.body.release();
  }

  /** The part passed its cap: its bytes are counted, the part is not. */
  discard(): void {
    this.outcomes.discarded(this.body.length);
  }

  /** The stream ended in `state`: settles a body still open, and says what endOfStream needs to know of the part. */
  settleAtEnd(state: ParserState, delimiter: Buffer): Omit<OpenPart, 'delimiterSeen' | 'sniffedText'> {
    const inBody = state === ParserState.BODY_LENGTH || state === ParserState.BODY_SCAN;
    this.arrivedWhole = inBody && this.length.settleAtEnd(this.body, delimiter);
    if (!inBody) this.body.reset();
    return {
      headersStarted: this.headers.started,
      headersKnown: this.headers.known,
      bodyComplete: this.arrivedWhole,
      jpegComplete: inBody && this.body.jpegCheck() === 'ok',
    };
  }

  /** Counts the part left open as endOfStream said: whole ('part'), or cut short ('truncated') when `countCut`. */
  countAtEnd(outcome: EndOfStream, countCut: boolean): void {
    if (outcome === 'part') this.outcomes.part(this.body, this.headers, this.length.lied, this.arrivedWhole ? this.length.lastByteAt : -1);
    else if (outcome === 'truncated' && countCut) this.outcomes.truncated(this.body.length);
    this.body.release();
  }
}
