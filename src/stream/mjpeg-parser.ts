import { BoundarySniffer } from './content-type.js';
import { DelimiterLine, LINE_CLOSE, LINE_PART } from './delimiter-line.js';
import { AFTER_DELIMITER, BODY_LENGTH, BODY_SCAN, CLOSED, CONFIRM, endOfStream, HEADERS, SEEK, skipBlank, SNIFF, START } from './parser-states.js';
import type { MjpegParserOptions } from './parser-types.js';
import { PartReader } from './part-reader.js';

export type { MjpegParserOptions, ParserCounters, ParserProblemKind } from './parser-types.js';

const DASH = 0x2d;
const GIVE_UP_BYTES = 1024 * 1024;

/**
 * The multipart stream around the parts: the boundary (declared, or sniffed from the body), a preamble, the
 * delimiter lines, the close delimiter and the end of the stream. Each part is read by PartReader.
 */
export class MjpegParser extends PartReader {
  gaveUp = false;

  private sniffer: BoundarySniffer | undefined;
  private readonly line = new DelimiterLine();
  private bytesSeen = 0;

  constructor(options: MjpegParserOptions = {}) {
    super(options);
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

  protected delimiterFound(next: number): number {
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
}
