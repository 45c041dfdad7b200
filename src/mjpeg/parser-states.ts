// The parser's states, and what each means when the stream ends: the state machine's table, apart from the
// byte-level work in mjpeg-parser.ts and the readers it owns.

/** The parser's states: a closed set, switched on per chunk. */
export const ParserState = {
  /** No boundary declared: collecting the body's first line. */
  SNIFF: 0,
  /** Before anything: preamble, or headers without a first delimiter. */
  START: 1,
  /** The body opens with "--" but not visibly with the declared delimiter: collecting 1 KiB. */
  PROBE: 2,
  /** Discarding bytes until the next delimiter. */
  SEEK: 3,
  /** The rest of a delimiter line. */
  AFTER_DELIMITER: 4,
  HEADERS: 5,
  /** A body with a Content-Length: searched for the delimiter all the same. */
  BODY_LENGTH: 6,
  /** A body of unknown length: searching for the delimiter. */
  BODY_SCAN: 7,
  /** After the close delimiter, or a failure. */
  CLOSED: 8,
} as const;

export type ParserState = (typeof ParserState)[keyof typeof ParserState];

/** The states of the body's opening, before its parts: MjpegParser's own. */
export type OpeningState = typeof ParserState.SNIFF | typeof ParserState.START | typeof ParserState.PROBE;

/** The states from the first part (or the search for the first delimiter) on: PartStream's. */
export type PartState = Exclude<ParserState, OpeningState>;

/** What the stream's end makes of the state it found the parser in. */
export type EndOfStream = 'part' | 'truncated' | 'no-delimiter' | 'nothing';

export interface OpenPart {
  /** A delimiter of the boundary in use has been seen. */
  delimiterSeen: boolean;
  /** Bytes of a part's header block have arrived. */
  headersStarted: boolean;
  /** The header lines so far name a Content-Type or Content-Length: a part, not a preamble. */
  headersKnown: boolean;
  /** The declared length arrived whole, followed only by line ends (and the start of a delimiter). */
  bodyComplete: boolean;
  /** The body read so far starts and ends like a JPEG. */
  jpegComplete: boolean;
  /** Undeclared boundary: bytes other than blanks arrived before one could be sniffed. */
  sniffedText: boolean;
}

/**
 * A body is a part ('part': counted by what it holds) when its declared length arrived or its JPEG is whole;
 * else it was cut short. Text that never reached a delimiter is not a multipart stream; a stream that ends
 * between parts, or after nothing but blank lines, leaves nothing to count.
 */
export function endOfStream(state: ParserState, open: OpenPart): EndOfStream {
  switch (state) {
    case ParserState.BODY_LENGTH:
    case ParserState.BODY_SCAN:
      return open.bodyComplete || open.jpegComplete ? 'part' : 'truncated';
    case ParserState.HEADERS:
      if (open.headersStarted && (open.delimiterSeen || open.headersKnown)) return 'truncated';
      return open.delimiterSeen ? 'nothing' : 'no-delimiter';
    case ParserState.SEEK:
      return open.delimiterSeen ? 'nothing' : 'no-delimiter';
    case ParserState.SNIFF:
      return open.sniffedText ? 'no-delimiter' : 'nothing';
    default:
      return 'nothing';
  }
}

const CR = 0x0d;
const LF = 0x0a;

/** The index of the first byte from `i` that is not a line end, space or tab. */
export function skipBlank(chunk: Buffer, i: number): number {
  while (i < chunk.length && (chunk[i] === CR || chunk[i] === LF || chunk[i] === 0x20 || chunk[i] === 0x09)) i++;
  return i;
}
