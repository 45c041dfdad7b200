// The parser's states, and what each means when the stream ends: the state machine's table, apart from the
// byte-level work in mjpeg-parser.ts.

export const SNIFF = 0; // no boundary yet: collecting the body's first line
export const START = 1; // before anything: preamble, or headers without a first delimiter
export const SEEK = 2; // discarding bytes until the next delimiter
export const AFTER_DELIMITER = 3; // the rest of a delimiter line
export const HEADERS = 4;
export const BODY_LENGTH = 5; // skipping a body of known length
export const CONFIRM = 6; // after a known-length body: expecting line ends then a delimiter
export const BODY_SCAN = 7; // a body of unknown length: searching for the delimiter
export const CLOSED = 8; // after the close delimiter, or given up

/** What the part open when the stream ends becomes. */
export type EndOfStream = 'frame' | 'truncated' | 'gave-up' | 'nothing';

export interface OpenPart {
  /** The known-length body was contradicted by the bytes after it. */
  mismatch: boolean;
  /** The body read so far starts and ends like a JPEG. */
  jpegComplete: boolean;
  /** Header lines of a part have begun. */
  headersStarted: boolean;
  /** Bytes were collected to sniff a boundary from. */
  sniffing: boolean;
}

/**
 * A body whose length was reached awaits only its delimiter: a frame. A body of unknown length is a frame if
 * its JPEG is complete. Anything cut short inside a part is truncated; a body never recognised is given up.
 */
export function endOfStream(state: number, part: OpenPart): EndOfStream {
  switch (state) {
    case BODY_LENGTH:
      return 'truncated';
    case CONFIRM:
      return 'frame';
    case BODY_SCAN:
      return !part.mismatch && part.jpegComplete ? 'frame' : 'truncated';
    case HEADERS:
      return part.headersStarted ? 'truncated' : 'nothing';
    case SNIFF:
      return part.sniffing ? 'gave-up' : 'nothing';
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
