const CR = 0x0d;
const LF = 0x0a;
const DASH = 0x2d;

/** What the rest of a delimiter line says, read so far. */
export const DelimiterTail = {
  /** More bytes needed. */
  PENDING: 0,
  /** A line end, or header bytes: a part follows; read its headers. */
  PART: 1,
  /** "--" right after the delimiter: it was the close delimiter, and the multipart body is over, whatever follows. */
  CLOSE_DASHES: 2,
} as const;

export type DelimiterTail = (typeof DelimiterTail)[keyof typeof DelimiterTail];

/**
 * The rest of a delimiter line, byte by byte across chunks: `--` makes it the close delimiter; spaces, tabs and
 * CR are skipped up to the LF; anything else right after the delimiter is the start of the part's headers
 * (servers in Python's BaseHTTPRequestHandler style put no line end there).
 */
export class DelimiterLine {
  private tail: DelimiterTail = DelimiterTail.PENDING;
  private bytesRead = 0;
  private dashes = 0;
  private skipping = false;

  /** What the line says, read so far. */
  get last(): DelimiterTail {
    return this.tail;
  }

  /** Bytes of the line read so far, for the cap on what may stand between a delimiter and its part. */
  get length(): number {
    return this.bytesRead;
  }

  reset(): void {
    this.tail = DelimiterTail.PENDING;
    this.bytesRead = 0;
    this.dashes = 0;
    this.skipping = false;
  }

  /** Reads from `from`; returns where the next state starts, and sets `last`. */
  read(chunk: Buffer, from: number): number {
    const next = this.scan(chunk, from);
    this.bytesRead += next - from;
    return next;
  }

  private scan(chunk: Buffer, i: number): number {
    while (i < chunk.length) {
      const byte = chunk[i];
      if (byte === LF) {
        this.tail = DelimiterTail.PART;
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
          this.tail = DelimiterTail.CLOSE_DASHES;
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
      this.tail = DelimiterTail.PART;
      return i;
    }
    this.tail = DelimiterTail.PENDING;
    return i;
  }
}
