const CR = 0x0d;
const LF = 0x0a;
/** EOI must lie within a part's last 128 bytes; trailing padding after it is fine. */
const EOI_WINDOW = 128;
/**
 * The bytes kept of a body's end: the EOI window, and what the fingerprint hashes. A JPEG's last bytes are the
 * end of its entropy-coded data, which changes with any change in the picture (and with a camera's sensor noise).
 */
const TAIL_BYTES = 256;
/** Line ends a body may lose after its last byte: CR LF before a delimiter, or up to four after a declared length. */
const MAX_TAKEN_BACK_LINE_ENDS = 4;

/**
 * What the parser keeps of a part's body: its length, its first two bytes and its last bytes, copied into a
 * buffer allocated once per connection. Bodies themselves are never concatenated or kept.
 */
export class PartBody {
  length = 0;
  private head0 = -1;
  private head1 = -1;
  private readonly tail: Buffer;
  private tailLength = 0;
  /** The chunk holding the whole end of the body, read in place instead of copied (for this call only). */
  private view: Buffer | undefined;
  private viewEnd = 0;

  /**
   * `delimiterLength` extra bytes, and room for the line ends before it, so that what is taken back (a delimiter
   * counted as body, CR LF) never leaves fewer than TAIL_BYTES: the fingerprint must not depend on the chunking.
   */
  constructor(delimiterLength: number) {
    this.tail = Buffer.alloc(TAIL_BYTES + delimiterLength + MAX_TAKEN_BACK_LINE_ENDS);
  }

  get capacity(): number {
    return this.tail.length;
  }

  reset(): void {
    this.view = undefined;
    this.length = 0;
    this.head0 = -1;
    this.head1 = -1;
    this.tailLength = 0;
  }

  add(chunk: Buffer, start: number, end: number): void {
    const count = end - start;
    if (count <= 0) return;
    if (this.length === 0) {
      this.head0 = chunk[start] ?? -1;
      if (count > 1) this.head1 = chunk[start + 1] ?? -1;
    } else if (this.length === 1) {
      this.head1 = chunk[start] ?? -1;
    }
    this.length += count;
    const capacity = this.tail.length;
    if (count >= capacity) {
      chunk.copy(this.tail, 0, end - capacity, end);
      this.tailLength = capacity;
      return;
    }
    const keep = Math.min(this.tailLength, capacity - count);
    this.tail.copyWithin(0, this.tailLength - keep, this.tailLength);
    chunk.copy(this.tail, keep, start, end);
    this.tailLength = keep + count;
  }

  /**
   * The body's last bytes, with the part finished before `chunk` is let go: when they fill the tail window
   * they are read where they lie, which saves a copy per frame.
   */
  addLast(chunk: Buffer, start: number, end: number): void {
    if (end - start < this.tail.length) {
      this.add(chunk, start, end);
      return;
    }
    if (this.length === 0) {
      this.head0 = chunk[start] ?? -1;
      this.head1 = chunk[start + 1] ?? -1;
    } else if (this.length === 1) {
      this.head1 = chunk[start] ?? -1;
    }
    this.length += end - start;
    this.view = chunk;
    this.viewEnd = end;
  }

  /** Lets go of the chunk read in place: the parser must not keep the caller's buffers alive. */
  release(): void {
    this.view = undefined;
  }

  /** The last `count` bytes were not body after all (they began a delimiter, or followed a declared length). */
  takeBack(count: number): void {
    this.length = Math.max(0, this.length - count);
    if (this.view) this.viewEnd -= count;
    else this.tailLength = Math.max(0, this.tailLength - count);
  }

  /** The last `count` bytes (a few; never more than the tail keeps) are all CR or LF. */
  endsWithLineEnds(count: number): boolean {
    const bytes = this.view ?? this.tail;
    const end = this.view ? this.viewEnd : this.tailLength;
    if (count > end) return false;
    for (let j = end - count; j < end; j++) if (bytes[j] !== CR && bytes[j] !== LF) return false;
    return true;
  }

  /** At the end of the stream: drops a last line that is the start of a delimiter cut off by the end. */
  dropDelimiterStart(delimiter: Buffer): void {
    for (let k = Math.min(delimiter.length - 1, this.tailLength); k > 0; k--) {
      if (this.tail.compare(delimiter, 0, k, this.tailLength - k, this.tailLength) === 0) {
        this.takeBack(k);
        return;
      }
    }
  }

  /** The CRLF or LF right before a delimiter belongs to the delimiter, not to the body. */
  dropLineEnd(): void {
    if (this.view) {
      if (this.view[this.viewEnd - 1] === LF) {
        this.viewEnd--;
        this.length--;
        if (this.view[this.viewEnd - 1] === CR) {
          this.viewEnd--;
          this.length--;
        }
      }
      return;
    }
    if (this.tailLength > 0 && this.tail[this.tailLength - 1] === LF) {
      this.takeBack(1);
      if (this.tailLength > 0 && this.tail[this.tailLength - 1] === CR) this.takeBack(1);
    }
  }

  /**
   * A 32-bit hash of the body's last bytes (up to 256, read where they lie): with the length, what tells a repeated
   * picture from a new one without keeping or copying the body. Words of four bytes in two independent lanes, as
   * one chain of multiplications was most of its cost; counted from the end, so the chunking never moves them.
   */
  fingerprint(): number {
    const bytes = this.view ?? this.tail;
    const end = this.view ? this.viewEnd : this.tailLength;
    let a = 0x811c9dc5;
    let b = 0x9747b28c;
    let j = Math.max(0, end - TAIL_BYTES);
    for (; j + 8 <= end; j += 8) {
      a = Math.imul(a ^ ((bytes[j] ?? 0) | ((bytes[j + 1] ?? 0) << 8) | ((bytes[j + 2] ?? 0) << 16) | ((bytes[j + 3] ?? 0) << 24)), 0x5bd1e995);
      b = Math.imul(b ^ ((bytes[j + 4] ?? 0) | ((bytes[j + 5] ?? 0) << 8) | ((bytes[j + 6] ?? 0) << 16) | ((bytes[j + 7] ?? 0) << 24)), 0x5bd1e995);
    }
    for (; j < end; j++) a = Math.imul(a ^ (bytes[j] ?? 0), 0x5bd1e995);
    // MurmurHash3's finish, so that a change in either lane reaches every bit.
    let hash = a ^ Math.imul(b ^ (b >>> 15), 0x85ebca6b);
    hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
    return (hash ^ (hash >>> 16)) >>> 0;
  }

  /** A JPEG starts with SOI (FF D8) and has EOI (FF D9) within its last bytes. */
  jpegCheck(): 'ok' | 'no-soi' | 'no-eoi' {
    if (this.head0 !== 0xff || this.head1 !== 0xd8) return 'no-soi';
    const bytes = this.view ?? this.tail;
    const end = this.view ? this.viewEnd : this.tailLength;
    const stop = Math.max(1, end - EOI_WINDOW + 1);
    for (let j = end - 1; j >= stop; j--) {
      if (bytes[j] === 0xd9 && bytes[j - 1] === 0xff) return 'ok';
    }
    return 'no-eoi';
  }
}
