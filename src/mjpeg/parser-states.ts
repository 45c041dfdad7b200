// The parser's states, and what each means when the stream ends: the state machine's table, apart from the
// byte-level work in mjpeg-parser.ts and part-reader.ts.

export const SNIFF = 0; // no boundary declared: collecting the body's first line
export const START = 1; // before anything: preamble, or headers without a first delimiter
export const PROBE = 2; // the body opens with "--" but not visibly with the declared delimiter: collecting 1 KiB
export const SEEK = 3; // discarding bytes until the next delimiter
export const AFTER_DELIMITER = 4; // the rest of a delimiter line
export const HEADERS = 5;
export const BODY_LENGTH = 6; // a body with a Content-Length: searched for the delimiter all the same
export const BODY_SCAN = 7; // a body of unknown length: searching for the delimiter
export const CLOSED = 8; // after the close delimiter, or a failure

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
export function endOfStream(state: number, open: OpenPart): EndOfStream {
  switch (state) {
    case BODY_LENGTH:
    case BODY_SCAN:
      return open.bodyComplete || open.jpegComplete ? 'part' : 'truncated';
    case HEADERS:
      if (open.headersStarted && (open.delimiterSeen || open.headersKnown)) return 'truncated';
      return open.delimiterSeen ? 'nothing' : 'no-delimiter';
    case SEEK:
      return open.delimiterSeen ? 'nothing' : 'no-delimiter';
    case SNIFF:
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
