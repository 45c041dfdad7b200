import { BoundarySniffer } from './content-type.js';
import { CHECK_CONFIRMED, CHECK_WRONG, DelimiterLine, LengthCheck, LINE_CLOSE, LINE_PART } from './delimiter-line.js';
import { DelimiterSearch } from './delimiter-search.js';
import { PartBody } from './part-body.js';
import { AFTER_DELIMITER, BODY_LENGTH, BODY_SCAN, CLOSED, CONFIRM, endOfStream, HEADERS, SEEK, skipBlank, SNIFF, START } from './parser-states.js';
import { countPart, newParserCounters, type MjpegParserOptions, type ParserCounters, type ParserProblemKind } from './parser-types.js';
import { BLOCK_TOO_LARGE, HeaderBlock, LINE_BLANK, LINE_CLOSE as HEADER_LINE_CLOSE, LINE_DELIMITER, TYPE_OTHER } from './part-headers.js';

export type { MjpegParserOptions, ParserCounters, ParserProblemKind } from './parser-types.js';

const DASH = 0x2d;
const GIVE_UP_BYTES = 1024 * 1024;

export class MjpegParser {
  readonly counters: ParserCounters = newParserCounters();
  gaveUp = false;

  private readonly maxHeaderBytes: number;
  private readonly maxPartBytes: number;
  private readonly now: () => number;
  private readonly onFrame: ((sizeBytes: number, atMs: number) => void) | undefined;
  private readonly onProblem: ((kind: ParserProblemKind) => void) | undefined;

  private state: number;
  private delimiter = Buffer.alloc(0);
  private search = new DelimiterSearch(Buffer.from('--'));
  private sniffer: BoundarySniffer | undefined;

  private block = new HeaderBlock(Buffer.from('--'), 0, 0);

  // The part being read.
  private remaining = 0;
  private body = new PartBody(0);
  private mismatch = false;
  /** When a known-length body's last byte arrived: the frame's time, whenever the confirmation comes. */
  private bodyEndAt = -1;
  private check = new LengthCheck(Buffer.from('--'));
  private readonly line = new DelimiterLine();
  private seenDelimiter = false;
  private bytesSeen = 0;

  constructor(options: MjpegParserOptions = {}) {
    this.maxHeaderBytes = options.maxHeaderBytes ?? 16 * 1024;
    this.maxPartBytes = options.maxPartBytes ?? 16 * 1024 * 1024;
    this.now = options.now ?? (() => performance.now());
    this.onFrame = options.onFrame;
    this.onProblem = options.onProblem;
    if (options.boundary === undefined || options.boundary === '') {
      this.state = SNIFF;
    } else {
      this.setBoundary(options.boundary);
      this.state = START;
    }
  }

  /** Bytes held between chunks: bounded by the header cap and the delimiter length, whatever the input. */
  get bufferedBytes(): number {
    return this.block.capacity + this.search.carryCapacity + (this.sniffer?.capacity ?? 0) + this.body.capacity;
  }

  private setBoundary(boundary: string): void {
    // A declared boundary that already starts with "--" is matched as written: on the wire it then appears
    // either as-is or with two more dashes in front, and both contain it.
    const text = boundary.startsWith('--') ? boundary : `--${boundary}`;
    this.delimiter = Buffer.from(text, 'latin1');
    this.search = new DelimiterSearch(this.delimiter);
    this.body = new PartBody(this.delimiter.length);
    this.block = new HeaderBlock(this.delimiter, this.maxHeaderBytes, this.maxPartBytes);
    this.check = new LengthCheck(this.delimiter);
  }

  push(chunk: Buffer): void {
    if (!this.seenDelimiter && this.state !== CLOSED) {
      this.bytesSeen += chunk.length;
      // A body with no delimiter and no frame in its first megabyte is not the stream we were promised.
      if (this.bytesSeen > GIVE_UP_BYTES && this.counters.frames === 0) {
        this.gaveUp = true;
        this.state = CLOSED;
        return;
      }
    }
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      switch (this.state) {
        case SNIFF:
          i = this.sniff(chunk, i);
          break;
        case START:
          i = this.start(chunk, i);
          break;
        case SEEK:
          i = this.seek(chunk, i);
          break;
        case AFTER_DELIMITER:
          i = this.afterDelimiter(chunk, i);
          break;
        case HEADERS:
          i = this.headers(chunk, i);
          break;
        case BODY_LENGTH:
          i = this.bodyWithLength(chunk, i);
          break;
        case CONFIRM:
          i = this.confirm(chunk, i);
          break;
        case BODY_SCAN:
          i = this.bodyScan(chunk, i);
          break;
        default:
          return;
      }
    }
  }

  /** The stream ended: a part still open is a frame if its JPEG is complete, else truncated. */
  end(): void {
    this.close(true);
  }

  /**
   * We stopped reading (the run is over): a frame that arrived whole still counts, but a part cut short by
   * our own stop is nobody's fault and is not counted as truncated.
   */
  stop(): void {
    this.close(false);
  }

  private close(countTruncated: boolean): void {
    const outcome = endOfStream(this.state, {
      mismatch: this.mismatch,
      jpegComplete: this.state === BODY_SCAN && this.body.jpegCheck() === 'ok',
      headersStarted: this.block.started,
      sniffing: this.sniffer !== undefined,
    });
    if (outcome === 'frame') this.finishPart();
    else if (outcome === 'truncated' && countTruncated) this.truncated();
    else if (outcome === 'gave-up') this.gaveUp = true;
    this.state = CLOSED;
  }

  // --- states -------------------------------------------------------------------------------------------

  private sniff(chunk: Buffer, i: number): number {
    this.sniffer ??= new BoundarySniffer();
    const taken = this.sniffer.take(chunk, i);
    const { boundary } = this.sniffer;
    if (boundary !== undefined) {
      this.setBoundary(boundary);
      this.state = START;
      const collected = this.sniffer.collected;
      this.sniffer = undefined;
      this.push(collected);
    } else if (this.sniffer.hopeless) {
      this.gaveUp = true;
      this.state = CLOSED;
      return chunk.length;
    }
    return i + taken;
  }

  private start(chunk: Buffer, i: number): number {
    i = skipBlank(chunk, i);
    if (i >= chunk.length) return i;
    // A body that opens with a header line has no first delimiter; anything else is a preamble.
    if (chunk[i] === DASH) {
      this.state = SEEK;
    } else {
      this.beginHeaders();
    }
    return i;
  }

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
    this.state = AFTER_DELIMITER;
    this.line.reset();
    return Math.max(next, 0);
  }

  private afterDelimiter(chunk: Buffer, i: number): number {
    const next = this.line.read(chunk, i);
    if (this.line.last === LINE_PART) this.beginHeaders();
    else if (this.line.last === LINE_CLOSE) this.state = CLOSED;
    return next;
  }

  private beginHeaders(): void {
    this.state = HEADERS;
    this.block.reset();
  }

  private headers(chunk: Buffer, i: number): number {
    const next = this.block.read(chunk, i);
    switch (this.block.last) {
      case BLOCK_TOO_LARGE:
        this.counters.oversizedHeaders++;
        this.onProblem?.('oversized-headers');
        this.resync();
        break;
      case LINE_BLANK:
        // The headers are over (a part may have none). Text before the first delimiter that merely looked
        // like headers was a preamble.
        if (this.block.lines === 0 && !this.seenDelimiter) this.resync();
        else this.beginBody();
        break;
      case LINE_DELIMITER:
        this.block.reset();
        break;
      case HEADER_LINE_CLOSE:
        this.state = CLOSED;
        break;
      default:
        break;
    }
    return next;
  }

  private beginBody(): void {
    this.body.reset();
    this.mismatch = false;
    this.search.reset();
    this.bodyEndAt = -1;
    if (this.block.contentLength >= 0 && !this.block.lengthConflict) {
      this.remaining = this.block.contentLength;
      if (this.remaining === 0) this.bodyEndAt = this.now();
      this.state = this.remaining === 0 ? CONFIRM : BODY_LENGTH;
      this.check.reset();
    } else {
      this.state = BODY_SCAN;
    }
  }

  private bodyWithLength(chunk: Buffer, i: number): number {
    const take = Math.min(this.remaining, chunk.length - i);
    this.remaining -= take;
    // Only the body's first and last bytes are ever looked at: skip the copy for chunks in the middle.
    if (this.body.length < 2 || this.remaining < this.body.capacity) this.body.add(chunk, i, i + take);
    else this.body.length += take;
    if (this.remaining === 0) {
      // The frame arrived now; it is counted once the delimiter after it confirms the length.
      this.bodyEndAt = this.now();
      this.state = CONFIRM;
      this.check.reset();
    }
    return i + take;
  }

  private confirm(chunk: Buffer, i: number): number {
    const next = this.check.read(chunk, i);
    if (this.check.last === CHECK_CONFIRMED) {
      this.finishPart();
      return this.delimiterFound(next);
    }
    if (this.check.last === CHECK_WRONG) {
      // The Content-Length was wrong: keep reading this part as one of unknown length.
      this.counters.lengthMismatches++;
      this.mismatch = true;
      this.body.length += this.check.consumed;
      this.state = BODY_SCAN;
      this.search.reset();
    }
    return next;
  }

  private bodyScan(chunk: Buffer, i: number): number {
    const found = this.search.find(chunk, i);
    if (found === undefined) {
      this.body.add(chunk, i, chunk.length);
      this.search.keep(chunk, i);
      if (this.body.length > this.maxPartBytes) {
        this.counters.oversizedParts++;
        this.onProblem?.('oversized-part');
        this.counters.bodyBytes += this.body.length;
        this.state = SEEK;
      }
      return chunk.length;
    }
    // A delimiter that began in the carry began in bytes already counted as body: take them back.
    if (found >= i) this.body.addLast(chunk, i, found);
    else this.body.takeBack(i - found);
    this.search.reset();
    this.body.dropLineEnd();
    this.finishPart();
    this.body.release();
    return this.delimiterFound(found + this.delimiter.length);
  }

  // --- parts ----------------------------------------------------------------------------------------------

  private finishPart(): void {
    this.state = SEEK;
    const outcome = countPart(this.counters, this.body.length, this.block.typeKind === TYPE_OTHER, this.mismatch, this.body.jpegCheck());
    if (outcome === 'frame') this.onFrame?.(this.body.length, this.bodyEndAt >= 0 ? this.bodyEndAt : this.now());
    else this.onProblem?.(outcome);
  }

  private truncated(): void {
    this.counters.bodyBytes += this.body.length;
    this.counters.truncatedParts++;
    this.onProblem?.('truncated-part');
  }

  private resync(): void {
    this.state = SEEK;
    this.search.reset();
  }
}
