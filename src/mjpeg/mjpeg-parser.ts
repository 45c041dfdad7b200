import { delimiterBytes } from './delimiter-search.js';
import type { TimestampSource } from './frame-timestamp.js';
import { DEFAULT_TIMESTAMP_HEADERS } from './part-headers.js';
import { PartStream } from './part-stream.js';
import { ParserState, skipBlank, type OpeningState } from './parser-states.js';
import type { BoundaryMismatch, MjpegParserOptions, ParserCounters, ParserFailure } from './parser-types.js';
import { StreamOpening } from './stream-opening.js';

export { GIVE_UP_BYTES } from './parser-types.js';
export type { BoundaryMismatch, FrameSink, MjpegParserOptions, ParserCounters, ParserFailure, ParserFailureCode, ParserProblemKind } from './parser-types.js';

const DASH = 0x2d;

/**
 * The delimiter of a boundary. A declared boundary that already starts with "--" is matched as written: on the
 * wire it then appears either as-is or with two more dashes in front, and both contain it.
 */
const delimiterOf = (boundary: string): Buffer => delimiterBytes(boundary.startsWith('--') ? boundary : `--${boundary}`);

/**
 * A multipart/x-mixed-replace stream over its chunks: pure code, Buffers in, counters and frame events out. It owns
 * how the body opens (StreamOpening: the boundary it uses) and the parts that follow (PartStream); the states
 * (ParserState) are the opening's here, then the parts'. Every part ends in one counter, or the stream in a `failure`.
 */
export class MjpegParser {
  /** The opening's state; undefined once the parts have begun (PartStream has the state). */
  private state: OpeningState | undefined;
  private readonly opening: StreamOpening;
  private readonly parts: PartStream;

  constructor(options: MjpegParserOptions = {}) {
    const declared = options.boundary === undefined || options.boundary === '' ? undefined : options.boundary;
    const limits = { maxHeaderBytes: options.maxHeaderBytes ?? 16 * 1024, maxPartBytes: options.maxPartBytes ?? 16 * 1024 * 1024 };
    // Until a boundary is sniffed from the body (when none was declared), a stand-in that no input reaches.
    const delimiter = delimiterOf(declared ?? '--');
    this.opening = new StreamOpening(declared);
    this.parts = new PartStream(delimiter, limits, options, options.timestampHeaders ?? DEFAULT_TIMESTAMP_HEADERS, this.opening);
    this.state = declared === undefined ? ParserState.SNIFF : ParserState.START;
  }

  get counters(): ParserCounters {
    return this.parts.counters;
  }

  /** Why the parser stopped reading; once set, the parser ignores further input. */
  get failure(): ParserFailure | undefined {
    return this.parts.failure;
  }

  /** Set when the body used another boundary than the declared one and the parser followed the body. */
  get boundaryMismatch(): BoundaryMismatch | undefined {
    return this.opening.boundaryMismatch;
  }

  /** Timestamp header values that could not be read. */
  get invalidTimestamps(): number {
    return this.parts.invalidTimestamps;
  }

  /** The header the latest capture time came from, and its unit; undefined before one was read. */
  get timestampSource(): TimestampSource | undefined {
    return this.parts.timestampSource;
  }

  /** Bytes held between chunks: bounded by the header cap and the delimiter length, whatever the input. */
  get bufferedBytes(): number {
    return this.parts.capacity + this.opening.capacity;
  }

  push(chunk: Buffer): void {
    if (this.state === undefined) {
      this.parts.push(chunk);
      return;
    }
    if (this.parts.closed) return;
    this.open(chunk, 0);
    this.parts.pushed(chunk.length);
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

  private close(atEnd: boolean): void {
    if (this.state === ParserState.PROBE) this.endProbe();
    this.parts.end(this.state, atEnd);
  }

  /** The opening's states from `i`, then the parts from the byte where they begin. */
  private open(chunk: Buffer, i: number): void {
    while (i < chunk.length && !this.parts.closed) {
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
        default:
          this.parts.feed(chunk, i);
          return;
      }
    }
  }

  private sniff(chunk: Buffer, i: number): number {
    const taken = this.opening.sniff(chunk, i);
    const delimiter = this.opening.sniffedDelimiter;
    if (delimiter !== undefined) {
      this.parts.useDelimiter(delimiterBytes(delimiter));
      this.replay(this.opening.endSniff());
    } else if (this.opening.hopeless) {
      this.parts.noDelimiter();
      return chunk.length;
    }
    return i + taken;
  }

  private start(chunk: Buffer, i: number): number {
    i = skipBlank(chunk, i);
    if (i >= chunk.length) return i;
    // A body that opens with a header line has no first delimiter; anything else is a preamble.
    if (chunk[i] !== DASH) this.beginParts(ParserState.HEADERS);
    else if (this.opening.settled || startsWith(chunk, i, this.parts.delimiter)) this.beginParts(ParserState.SEEK);
    else this.state = ParserState.PROBE;
    return i;
  }

  private beginParts(first: typeof ParserState.HEADERS | typeof ParserState.SEEK): void {
    this.state = undefined;
    this.parts.begin(first);
  }

  private probe(chunk: Buffer, i: number): number {
    const taken = this.opening.probeFor(this.parts.delimiter, chunk, i);
    if (this.opening.probed) this.endProbe();
    return i + taken;
  }

  /** The probe decided: parse what it collected again, with the boundary the body turned out to use. */
  private endProbe(): void {
    const collected = this.opening.endProbe();
    if (collected === undefined) return;
    const mismatch = this.opening.boundaryMismatch;
    if (mismatch) this.parts.useDelimiter(delimiterBytes(`--${mismatch.found}`));
    this.replay(collected);
  }

  /** The opening's first bytes, parsed again from the start once the boundary is settled. */
  private replay(collected: Buffer): void {
    this.state = ParserState.START;
    this.open(collected, 0);
  }
}

/** `chunk` holds `bytes` at `i`. */
function startsWith(chunk: Buffer, i: number, bytes: Buffer): boolean {
  if (i + bytes.length > chunk.length) return false;
  for (let j = 0; j < bytes.length; j++) if (chunk[i + j] !== bytes[j]) return false;
  return true;
}
