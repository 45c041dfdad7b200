import type { TimestampSource } from '../mjpeg/frame-timestamp.js';
import type { BoundaryMismatch } from '../mjpeg/parser-types.js';
import { PART_KEYS, zeroPartCounters, type ParserTally, type PartCounters } from './part-counters.js';

/** What a stream's parsers found over its connections, folded in as each connection ends: never on the per-frame path. */
export class ParsedParts {
  readonly #counters: PartCounters = zeroPartCounters();
  #boundaryMismatch: BoundaryMismatch | undefined;
  #timestampSource: TimestampSource | undefined;
  #invalidTimestamps = 0;

  get counters(): Readonly<PartCounters> {
    return this.#counters;
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
    for (const key of PART_KEYS) this.#counters[key] += parser.counters[key];
    if (parser.boundaryMismatch) this.#boundaryMismatch ??= parser.boundaryMismatch;
    this.#invalidTimestamps += parser.invalidTimestamps;
    this.#timestampSource = parser.timestampSource ?? this.#timestampSource;
  }
}
