import type { TimestampSource } from '../mjpeg/frame-timestamp.js';
import type { BoundaryMismatch } from '../mjpeg/parser-types.js';
import { PART_KEYS, zeroPartCounters, type ParserTally, type PartCounters } from './part-counters.js';

/** A stream's counters while every part its parsers ended counted none of them: read, never written. */
const NONE: Readonly<PartCounters> = Object.freeze(zeroPartCounters());

/**
 * What a stream's parsers found over its connections, folded in as each connection ends: never on the per-frame path.
 * The counters are made at the first that is not 0 (most streams never count a bad part: 0.12 KB a stream each).
 */
export class ParsedParts {
  #counters: PartCounters | undefined;
  #boundaryMismatch: BoundaryMismatch | undefined;
  #timestampSource: TimestampSource | undefined;
  #invalidTimestamps = 0;

  get counters(): Readonly<PartCounters> {
    return this.#counters ?? NONE;
  }

  /** The body used another boundary than its Content-Type declared, and was read with the body's. */
  get boundaryMismatch(): Readonly<BoundaryMismatch> | undefined {
    return this.#boundaryMismatch;
  }

  /** The part header the capture times came from, and its unit, once a frame carried one. */
  get timestampSource(): TimestampSource | undefined {
    return this.#timestampSource;
  }

  /** Timestamp header values that could not be read. */
  get invalidTimestamps(): number {
    return this.#invalidTimestamps;
  }

  /** A connection's parser has had its last word. */
  add(parser: ParserTally): void {
    for (const key of PART_KEYS) {
      const count = parser.counters[key];
      if (count !== 0) (this.#counters ??= zeroPartCounters())[key] += count;
    }
    if (parser.boundaryMismatch) this.#boundaryMismatch ??= parser.boundaryMismatch;
    this.#invalidTimestamps += parser.invalidTimestamps;
    this.#timestampSource = parser.timestampSource ?? this.#timestampSource;
  }
}
