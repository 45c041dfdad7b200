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
  /** Bytes of the line read so far, for the cap on what may stand between a delimiter and its part. */
  length = 0;
  private dashes = 0;
  private skipping = false;

  reset(): void {
    this.last = LINE_OPEN;
    this.length = 0;
    this.dashes = 0;
    this.skipping = false;
  }

  /** Reads from `from`; returns where the next state starts, and sets `last`. */
  read(chunk: Buffer, from: number): number {
    const next = this.scan(chunk, from);
    this.length += next - from;
    return next;
  }

  private scan(chunk: Buffer, i: number): number {
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
