import { BoundaryProbe, ProbeVerdict } from './boundary-probe.js';
import { BoundarySniffer } from './content-type.js';
import { DelimiterLine, DelimiterTail } from './delimiter-line.js';
import { endOfStream, ParserState, skipBlank } from './parser-states.js';
import type { BoundaryMismatch, MjpegParserOptions } from './parser-types.js';
import { PartReader } from './part-reader.js';

export type {
  BoundaryMismatch,
  MjpegParserOptions,
  ParserCounters,
  ParserFailure,
  ParserFailureCode,
  ParserProblemKind,
} from './parser-types.js';

const DASH = 0x2d;
/** A body with no delimiter in its first MiB is not the stream we were promised. */
export const GIVE_UP_BYTES = 1024 * 1024;

/**
 * The multipart stream around the parts: the boundary (declared, sniffed from the body, or the body's own
 * when it differs from the declared one), a preamble, the delimiter lines, the close delimiter and the end of
 * the stream. Each part is read by PartReader. Every part ends in one counter, or the stream in a `failure`.
 */
export class MjpegParser extends PartReader {
  /** Set when the body used another boundary than the declared one and the parser followed the body. */
  boundaryMismatch: BoundaryMismatch | undefined;

  private readonly declaredBoundary: string | undefined;
  private sniffer: BoundarySniffer | undefined;
  private probe: BoundaryProbe | undefined;
  /** The boundary in use is settled: the body's start need not be probed (again). */
  private settled = false;
  /** The body's first line when it began with "--" but was no delimiter line: named if no delimiter comes. */
  private opening: string | undefined;
  private readonly line = new DelimiterLine();
  private bytesBeforeDelimiter = 0;

  constructor(options: MjpegParserOptions = {}) {
    const declared = options.boundary === undefined || options.boundary === '' ? undefined : options.boundary;
    super(options, declared);
    if (declared === undefined) {
      this.state = ParserState.SNIFF;
    } else {
      this.declaredBoundary = declared;
      this.state = ParserState.START;
    }
  }

  /** Bytes held between chunks: bounded by the header cap and the delimiter length, whatever the input. */
  get bufferedBytes(): number {
    return this.block.capacity + this.search.carryCapacity + (this.sniffer?.capacity ?? 0) + (this.probe?.capacity ?? 0) + this.body.capacity;
  }

  push(chunk: Buffer): void {
    if (this.state === ParserState.CLOSED) return;
    this.feed(chunk);
    if (!this.seenDelimiter) this.countBeforeDelimiter(chunk.length);
  }

  /** A body with no delimiter in its first MiB is not a multipart stream. */
  private countBeforeDelimiter(bytes: number): void {
    if (this.state === ParserState.CLOSED) return;
    this.bytesBeforeDelimiter += bytes;
    if (this.bytesBeforeDelimiter > GIVE_UP_BYTES) this.noDelimiter(GIVE_UP_BYTES);
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
          i = this.probeBoundary(chunk, i);
          break;
        case ParserState.SEEK:
          i = this.seek(chunk, i);
          break;
        case ParserState.AFTER_DELIMITER:
          i = this.afterDelimiter(chunk, i);
          break;
        case ParserState.HEADERS:
          i = this.headers(chunk, i);
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
    if (this.state === ParserState.PROBE) {
      this.probe?.finish();
      this.settleProbe();
    }
    if (this.state === ParserState.CLOSED) return;
    const inBody = this.state === ParserState.BODY_LENGTH || this.state === ParserState.BODY_SCAN;
    const lengthArrived = inBody && this.endBody();
    if (!inBody) this.body.reset();
    const outcome = endOfStream(this.state, {
      delimiterSeen: this.seenDelimiter,
      headersStarted: this.block.started,
      headersKnown: this.block.known,
      bodyComplete: lengthArrived,
      jpegComplete: inBody && this.body.jpegCheck() === 'ok',
      sniffedText: this.sniffer?.sawText ?? false,
    });
    if (outcome === 'part') this.finishOpenBody(lengthArrived);
    else if (outcome === 'truncated' && atEnd) this.truncated();
    else if (outcome === 'no-delimiter' && atEnd) this.noDelimiter();
    this.body.release();
    this.state = ParserState.CLOSED;
  }

  /** No delimiter in the first `within` bytes, or (without it) in all the stream sent before it ended. */
  protected noDelimiter(within?: number): void {
    const where = within === undefined ? `in the ${this.bytesBeforeDelimiter} bytes the stream sent` : `in the first ${within} bytes`;
    const delimiter = this.delimiter.toString('latin1');
    if (this.declaredBoundary === undefined) {
      const looked = this.sniffer?.collected.length ?? this.bytesBeforeDelimiter;
      this.fail('NOT_MULTIPART', `no boundary was declared and the body's first ${looked} bytes do not start with a '--boundary' line`);
    } else if (this.opening !== undefined) {
      const declared = this.declaredBoundary;
      this.fail('BOUNDARY_MISMATCH', `the Content-Type declares boundary '${declared}' but the body starts with '${this.opening}' and has no '${delimiter}' delimiter ${where}`);
    } else {
      this.fail('NOT_MULTIPART', `no '${delimiter}' delimiter ${where}`);
    }
  }

  // --- states -------------------------------------------------------------------------------------------

  private sniff(chunk: Buffer, i: number): number {
    this.sniffer ??= new BoundarySniffer();
    const taken = this.sniffer.take(chunk, i);
    const { boundary } = this.sniffer;
    if (boundary !== undefined) {
      this.setDelimiter(`--${boundary}`);
      this.settled = true;
      this.state = ParserState.START;
      const collected = this.sniffer.collected;
      this.sniffer = undefined;
      this.feed(collected);
    } else if (this.sniffer.hopeless) {
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
    else this.state = this.settled || this.delimiterAt(chunk, i) ? ParserState.SEEK : ParserState.PROBE;
    return i;
  }

  private delimiterAt(chunk: Buffer, i: number): boolean {
    const d = this.delimiter;
    if (i + d.length > chunk.length) return false;
    for (let j = 0; j < d.length; j++) if (chunk[i + j] !== d[j]) return false;
    return true;
  }

  private probeBoundary(chunk: Buffer, i: number): number {
    this.probe ??= new BoundaryProbe(this.delimiter);
    const taken = this.probe.take(chunk, i);
    if (this.probe.verdict !== ProbeVerdict.OPEN) this.settleProbe();
    return i + taken;
  }

  /** The probe decided: parse what it collected again, with the boundary the body turned out to use. */
  private settleProbe(): void {
    const probe = this.probe;
    if (!probe) return;
    this.probe = undefined;
    this.settled = true;
    if (probe.verdict === ProbeVerdict.OTHER && this.declaredBoundary !== undefined) {
      this.boundaryMismatch = { declared: this.declaredBoundary, found: probe.found };
      this.setDelimiter(`--${probe.found}`);
    } else if (probe.verdict === ProbeVerdict.UNCLEAR) {
      this.opening = probe.found;
    }
    this.state = ParserState.START;
    this.feed(probe.collected);
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
    this.state = ParserState.AFTER_DELIMITER;
    this.line.reset();
    return Math.max(next, 0);
  }

  private afterDelimiter(chunk: Buffer, i: number): number {
    const next = this.line.read(chunk, i);
    if (this.line.last === DelimiterTail.PART) this.beginHeaders();
    else if (this.line.last === DelimiterTail.CLOSE_DASHES) this.state = ParserState.CLOSED;
    else if (this.line.length > this.maxHeaderBytes) {
      this.counters.oversizedHeaders++;
      this.onProblem?.('oversized-headers');
      this.fail('PART_HEADERS_TOO_LARGE', `the line after a '${this.delimiter.toString('latin1')}' delimiter exceeded ${this.maxHeaderBytes} bytes`);
    }
    return next;
  }
}
