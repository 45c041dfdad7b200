const CR = 0x0d;
const LF = 0x0a;
const DASH = 0x2d;

export const LINE_OPEN = 0; // more bytes needed
export const LINE_PART = 1; // a part follows: read its headers
export const LINE_CLOSE = 2; // the close delimiter: the multipart body is over, whatever follows

/**
 * The rest of a delimiter line, byte by byte across chunks: `--` makes it the close delimiter; spaces, tabs and
 * CR are skipped up to the LF; anything else right after the delimiter is the start of the part's headers
 * (servers in Python's BaseHTTPRequestHandler style put no line end there).
 */
export class DelimiterLine {
  last = LINE_OPEN;
  private dashes = 0;
  private skipping = false;

  reset(): void {
    this.last = LINE_OPEN;
    this.dashes = 0;
    this.skipping = false;
  }

  /** Reads from `i`; returns where the next state starts, and sets `last`. */
  read(chunk: Buffer, i: number): number {
    while (i < chunk.length) {
      const byte = chunk[i];
      if (byte === LF) {
        this.last = LINE_PART;
        return i + 1;
      }
      if (this.skipping || byte === CR || byte === 0x20 || byte === 0x09) {
        i++;
        continue;
      }
      if (byte === DASH && this.dashes < 2) {
        this.dashes++;
        i++;
        if (this.dashes === 2) {
          this.last = LINE_CLOSE;
          return chunk.length;
        }
        continue;
      }
      if (this.dashes > 0) {
        // "--frame-x": not ours to judge; skip the line.
        this.skipping = true;
        i++;
        continue;
      }
      this.last = LINE_PART;
      return i;
    }
    this.last = LINE_OPEN;
    return i;
  }
}

export const CHECK_OPEN = 0; // more bytes needed
export const CHECK_CONFIRMED = 1; // the delimiter followed: the Content-Length was right
export const CHECK_WRONG = 2; // something else followed: the Content-Length was wrong

/**
 * After a body of known length: up to four CR/LF, then the delimiter, matched byte by byte across chunks.
 * `consumed` counts the bytes taken, which belong to the body when the check fails.
 */
export class LengthCheck {
  last = CHECK_OPEN;
  consumed = 0;
  private matched = 0;
  private lineEnds = 0;

  constructor(private readonly delimiter: Buffer) {}

  reset(): void {
    this.last = CHECK_OPEN;
    this.consumed = 0;
    this.matched = 0;
    this.lineEnds = 0;
  }

  /** Reads from `i`; returns the index after the delimiter when confirmed, else where it stopped. */
  read(chunk: Buffer, i: number): number {
    while (i < chunk.length) {
      const byte = chunk[i];
      if (this.matched === 0 && (byte === CR || byte === LF) && this.lineEnds < 4) {
        this.lineEnds++;
      } else if (byte === this.delimiter[this.matched]) {
        this.matched++;
      } else {
        this.last = CHECK_WRONG;
        return i;
      }
      i++;
      this.consumed++;
      if (this.matched === this.delimiter.length) {
        this.last = CHECK_CONFIRMED;
        return i;
      }
    }
    this.last = CHECK_OPEN;
    return i;
  }
}
