import { CHECK_CONFIRMED, CHECK_WRONG, LengthCheck } from './delimiter-line.js';
import { DelimiterSearch } from './delimiter-search.js';
import { PartBody } from './part-body.js';
import { BODY_LENGTH, BODY_SCAN, CLOSED, CONFIRM, HEADERS, SEEK } from './parser-states.js';
import { countPart, newParserCounters, type MjpegParserOptions, type ParserCounters, type ParserProblemKind } from './parser-types.js';
import { BLOCK_TOO_LARGE, HeaderBlock, LINE_BLANK, LINE_CLOSE as HEADER_LINE_CLOSE, LINE_DELIMITER, TYPE_OTHER } from './part-headers.js';

/**
 * One part at a time, from its headers to the delimiter after its body: the states HEADERS, BODY_LENGTH,
 * CONFIRM and BODY_SCAN, and the counting of each part as a frame or a problem. MjpegParser adds the stream
 * around the parts (the boundary, preamble, delimiter lines, the end). One object, so the per-chunk path
 * reaches every field without an indirection.
 */
export abstract class PartReader {
  readonly counters: ParserCounters = newParserCounters();

  protected readonly maxHeaderBytes: number;
  protected readonly maxPartBytes: number;
  protected readonly now: () => number;
  protected readonly onFrame: ((sizeBytes: number, atMs: number) => void) | undefined;
  protected readonly onProblem: ((kind: ParserProblemKind) => void) | undefined;

  protected state = SEEK;
  protected delimiter = Buffer.alloc(0);
  protected search = new DelimiterSearch(Buffer.from('--'));
  protected block = new HeaderBlock(Buffer.from('--'), 0, 0);
  protected seenDelimiter = false;

  // The part being read.
  protected remaining = 0;
  protected body = new PartBody(0);
  protected mismatch = false;
  /** When a known-length body's last byte arrived: the frame's time, whenever the confirmation comes. */
  protected bodyEndAt = -1;
  protected check = new LengthCheck(Buffer.from('--'));

  constructor(options: MjpegParserOptions) {
    this.maxHeaderBytes = options.maxHeaderBytes ?? 16 * 1024;
    this.maxPartBytes = options.maxPartBytes ?? 16 * 1024 * 1024;
    this.now = options.now ?? (() => performance.now());
    this.onFrame = options.onFrame;
    this.onProblem = options.onProblem;
  }

  /** A delimiter ends at `next`: the stream side takes over until the next part's headers. */
  protected abstract delimiterFound(next: number): number;

  protected setBoundary(boundary: string): void {
    // A declared boundary that already starts with "--" is matched as written: on the wire it then appears
    // either as-is or with two more dashes in front, and both contain it.
    const text = boundary.startsWith('--') ? boundary : `--${boundary}`;
    this.delimiter = Buffer.from(text, 'latin1');
    this.search = new DelimiterSearch(this.delimiter);
    this.body = new PartBody(this.delimiter.length);
    this.block = new HeaderBlock(this.delimiter, this.maxHeaderBytes, this.maxPartBytes);
    this.check = new LengthCheck(this.delimiter);
  }

  protected beginHeaders(): void {
    this.state = HEADERS;
    this.block.reset();
  }

  protected headers(chunk: Buffer, i: number): number {
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

  protected beginBody(): void {
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

  protected bodyWithLength(chunk: Buffer, i: number): number {
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

  protected confirm(chunk: Buffer, i: number): number {
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

  protected bodyScan(chunk: Buffer, i: number): number {
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

  protected finishPart(): void {
    this.state = SEEK;
    const outcome = countPart(this.counters, this.body.length, this.block.typeKind === TYPE_OTHER, this.mismatch, this.body.jpegCheck());
    if (outcome === 'frame') this.onFrame?.(this.body.length, this.bodyEndAt >= 0 ? this.bodyEndAt : this.now());
    else this.onProblem?.(outcome);
  }

  protected truncated(): void {
    this.counters.bodyBytes += this.body.length;
    this.counters.truncatedParts++;
    this.onProblem?.('truncated-part');
  }

  protected resync(): void {
    this.state = SEEK;
    this.search.reset();
  }}
