import { carryBytes, DelimiterSearch } from './delimiter-search.js';
import { eoiEndIn, hash } from './fingerprint.js';

const CR = 0x0d;
const LF = 0x0a;
/** EOI must lie within a part's last 128 bytes; trailing padding after it is fine. */
const EOI_WINDOW = 128;
/**
 * What the fingerprint hashes: the 256 bytes that end with the JPEG's EOI marker, the end of its entropy-coded
 * data, which changes with any change in the picture (and with a camera's sensor noise).
 */
const FINGERPRINT_BYTES = 256;
/** How far before the end of a chunk (or a body) the EOI is looked for when fingerprinting. */
const EOI_NEAR_END = 16;
/** Line ends a body may lose after its last byte: CR LF before a delimiter, or up to four after a declared length. */
const MAX_TAKEN_BACK_LINE_ENDS = 4;
/** A frame whose fingerprint cannot be taken the same way whatever the chunking (EOI far from its end): no repeat. */
export const NO_FINGERPRINT = -1;

/**
 * The bytes a body keeps of its end with a delimiter of `delimiterLength`: the fingerprint's bytes, the EOI's distance
 * from the end, a delimiter counted as body and the line ends before it. What is taken back never leaves too few bytes,
 * so the fingerprint does not depend on the chunking.
 */
export const tailBytes = (delimiterLength: number): number => FINGERPRINT_BYTES + EOI_NEAR_END + delimiterLength + MAX_TAKEN_BACK_LINE_ENDS;

/**
 * The body of the part being read: what is kept of it (its length, its first two bytes and its last bytes, copied
 * into a buffer allocated once per connection; bodies themselves are never concatenated or kept), and its declared
 * length checked against where the delimiter ended it. The delimiter ends the body; a Content-Length that reached it
 * (give or take line ends) dates the frame, when its last byte arrived, and any other is a lie. One object, as the
 * per-chunk path touches both: with 2,000 streams taking turns, each object is a cache miss per frame.
 */
export class PartBody {
  private size = 0;
  private head0 = -1;
  private head1 = -1;
  /** Its first `capacity` bytes are the tail's (what follows may be another reader's: bodyReaders()). */
  private readonly tail: Buffer;
  private readonly tailCapacity: number;
  private tailLength = 0;
  /** The chunk holding the whole end of the body, read in place instead of copied (for this call only). */
  private view: Buffer | undefined;
  private viewEnd = 0;
  /**
   * The fingerprint taken when a chunk ending near an EOI arrived, while its bytes were in the cache, and the body
   * offset just past that EOI (-1: none). When the body turns out to end there, it is the frame's fingerprint: a
   * part is confirmed only by the next delimiter, often a frame period later, when its bytes are cold.
   */
  private earlyFingerprint = 0;
  private earlyEoiEnd = -1;
  /** The part's Content-Length, or -1; the bytes of it still to come (negative past it); when its last byte came. */
  private declared = -1;
  private remaining = 0;
  private endAt = -1;
  private missed = false;

  /** `tail`: where the body's last bytes are kept, in its first tailBytes(delimiterLength). */
  constructor(
    delimiterLength: number,
    private readonly now: () => number,
    tail = Buffer.alloc(tailBytes(delimiterLength)),
  ) {
    this.tail = tail;
    this.tailCapacity = tailBytes(delimiterLength);
  }

  /** The body's length so far. */
  get length(): number {
    return this.size;
  }

  get capacity(): number {
    return this.tailCapacity;
  }

  /** The declared length did not end where the delimiter did (known once the body is settled). */
  get lengthLied(): boolean {
    return this.missed;
  }

  /** When the declared body's last byte arrived: the frame's time when the length held. */
  get lastByteAt(): number {
    return this.endAt;
  }

  /** A body begins; `declared` is its Content-Length, or -1. */
  begin(declared: number): void {
    this.reset();
    this.declared = declared;
    this.remaining = declared;
    this.missed = false;
    this.endAt = declared === 0 ? this.now() : -1;
  }

  reset(): void {
    this.view = undefined;
    this.size = 0;
    this.head0 = -1;
    this.head1 = -1;
    this.tailLength = 0;
    this.earlyEoiEnd = -1;
  }

  add(chunk: Buffer, start: number, end: number): void {
    const count = end - start;
    if (count <= 0) return;
    this.arrived(count);
    if (this.size === 0) {
      this.head0 = chunk[start] ?? -1;
      if (count > 1) this.head1 = chunk[start + 1] ?? -1;
    } else if (this.size === 1) {
      this.head1 = chunk[start] ?? -1;
    }
    this.size += count;
    this.fingerprintEarly(chunk, start, end);
    const capacity = this.tailCapacity;
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
    if (end - start < this.tailCapacity) {
      this.add(chunk, start, end);
      return;
    }
    if (this.size === 0) {
      this.head0 = chunk[start] ?? -1;
      this.head1 = chunk[start + 1] ?? -1;
    } else if (this.size === 1) {
      this.head1 = chunk[start] ?? -1;
    }
    this.arrived(end - start);
    this.size += end - start;
    this.view = chunk;
    this.viewEnd = end;
  }

  /** `count` more body bytes arrived: the declared body is whole when they reach its length. */
  private arrived(count: number): void {
    if (this.remaining > 0 && count >= this.remaining) this.endAt = this.now();
    this.remaining -= count;
  }

  /** The body ended at a delimiter: the frame's time when the declared length held, else -1 (now). */
  settle(): number {
    return this.lengthHeld() ? this.endAt : -1;
  }

  /**
   * The stream ended inside the body: drops the start of a delimiter cut off by the end, and says whether the
   * declared length arrived whole.
   */
  settleAtEnd(delimiter: Buffer): boolean {
    this.dropDelimiterStart(delimiter);
    return this.lengthHeld();
  }

  /**
   * Whether the body holds exactly the declared length plus up to four CR/LF, which are then dropped; else the line
   * end before the delimiter is dropped, and a declared length lied.
   */
  private lengthHeld(): boolean {
    const extra = this.size - this.declared;
    const held = this.declared >= 0 && extra >= 0 && extra <= MAX_TAKEN_BACK_LINE_ENDS && this.endsWithLineEnds(extra);
    if (held) this.takeBack(extra);
    else this.dropLineEnd();
    this.missed = !held && this.declared >= 0;
    return held;
  }

  /** Lets go of the chunk read in place: the parser must not keep the caller's buffers alive. */
  release(): void {
    this.view = undefined;
  }

  /** The last `count` bytes were not body after all (they began a delimiter, or followed a declared length). */
  takeBack(count: number): void {
    this.size = Math.max(0, this.size - count);
    if (this.view) this.viewEnd -= count;
    else this.tailLength = Math.max(0, this.tailLength - count);
  }

  /** The last `count` bytes (a few; never more than the tail keeps) are all CR or LF. */
  private endsWithLineEnds(count: number): boolean {
    const bytes = this.view ?? this.tail;
    const end = this.view ? this.viewEnd : this.tailLength;
    if (count > end) return false;
    for (let j = end - count; j < end; j++) if (bytes[j] !== CR && bytes[j] !== LF) return false;
    return true;
  }

  /** At the end of the stream: drops a last line that is the start of a delimiter cut off by the end. */
  private dropDelimiterStart(delimiter: Buffer): void {
    for (let k = Math.min(delimiter.length - 1, this.tailLength); k > 0; k--) {
      if (this.tail.compare(delimiter, 0, k, this.tailLength - k, this.tailLength) === 0) {
        this.takeBack(k);
        return;
      }
    }
  }

  /** The CRLF or LF right before a delimiter belongs to the delimiter, not to the body. */
  private dropLineEnd(): void {
    if (this.view) {
      if (this.view[this.viewEnd - 1] === LF) {
        this.viewEnd--;
        this.size--;
        if (this.view[this.viewEnd - 1] === CR) {
          this.viewEnd--;
          this.size--;
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
   * A chunk just added ends within EOI_NEAR_END bytes of an EOI: fingerprint the frame now, in case the body ends
   * there, when the window lies in this chunk (or the body began in it).
   */
  private fingerprintEarly(chunk: Buffer, start: number, end: number): void {
    const eoiEnd = eoiEndIn(chunk, Math.max(start + 1, end - EOI_NEAR_END), end);
    if (eoiEnd === -1) return;
    const from = eoiEnd - FINGERPRINT_BYTES;
    const bodyStartsHere = this.size === end - start;
    if (from < start && !bodyStartsHere) return;
    this.earlyFingerprint = hash(chunk, Math.max(from, start), eoiEnd);
    this.earlyEoiEnd = this.size - (end - eoiEnd);
  }

  /**
   * The frame's fingerprint: a 32-bit hash of the 256 bytes that end with its EOI (all of them when fewer): with the
   * length, what tells a repeated picture from a new one, without keeping or copying the body. Taken early when the
   * body ended where a chunk did (see fingerprintEarly), else from the bytes kept; NO_FINGERPRINT when the EOI lies
   * too far from the end for the kept bytes to hold them whatever the chunking.
   */
  fingerprint(): number {
    const bytes = this.view ?? this.tail;
    const end = this.view ? this.viewEnd : this.tailLength;
    const eoiEnd = eoiEndIn(bytes, Math.max(1, end - EOI_NEAR_END), end);
    if (eoiEnd === -1) return NO_FINGERPRINT;
    if (this.size - (end - eoiEnd) === this.earlyEoiEnd) return this.earlyFingerprint;
    const from = eoiEnd - FINGERPRINT_BYTES;
    // A chunk is read in place only when it holds more of the body than the tail would: the window lies in it.
    if (this.view) return hash(bytes, from, eoiEnd);
    // The tail holds the body's last bytes: all of them when the body is short, else the window (see the constructor).
    const heldFrom = end - Math.min(this.size, end);
    if (from < heldFrom && this.size > end) return NO_FINGERPRINT;
    return hash(bytes, Math.max(from, heldFrom), eoiEnd);
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

/**
 * The delimiter search and the part body for `delimiter`, the bytes each keeps between chunks in one buffer (the body's
 * tail, then the search's carry): one Buffer and one ArrayBuffer a parser, not two of each (0.2 KB a stream).
 */
export function bodyReaders(delimiter: Buffer, now: () => number): [DelimiterSearch, PartBody] {
  const tail = tailBytes(delimiter.length);
  const room = Buffer.alloc(tail + carryBytes(delimiter));
  return [new DelimiterSearch(delimiter, room, tail), new PartBody(delimiter.length, now, room)];
}
