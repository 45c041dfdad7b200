// Buffer.indexOf runs several times faster with a needle of 7 bytes or fewer (measured on Node 20): search a
// short prefix, then verify the rest byte by byte.
const FAST_PREFIX = 7;
/** Distinct delimiters kept for sharing; past it the table starts afresh (a fleet has a few). */
const MAX_SHARED = 64;

// A delimiter's bytes, and the prefix searched for, are read only: one copy serves every stream that uses it. A run's
// streams mostly share a boundary, and one copy stays in the CPU cache where a copy per stream costs a cache miss
// per stream and frame (measured with 2,000 streams taking turns).
const shared = new Map<string, Buffer>();
const prefixes = new WeakMap<Buffer, Buffer>();

/** The bytes of a delimiter written as `text` (latin1), shared by every stream that uses it: never write to them. */
export function delimiterBytes(text: string): Buffer {
  let bytes = shared.get(text);
  if (bytes === undefined) {
    if (shared.size >= MAX_SHARED) shared.clear();
    bytes = Buffer.from(text, 'latin1');
    shared.set(text, bytes);
  }
  return bytes;
}

/** The bytes a search keeps of a chunk's end, for a delimiter split across chunks. */
export const carryBytes = (delimiter: Buffer): number => Math.max(0, delimiter.length - 1);

function prefixOf(delimiter: Buffer): Buffer {
  let prefix = prefixes.get(delimiter);
  if (prefix === undefined) {
    prefix = delimiter.subarray(0, Math.min(FAST_PREFIX, delimiter.length));
    prefixes.set(delimiter, prefix);
  }
  return prefix;
}

/**
 * Finds a multipart delimiter in a stream of chunks. Linear: each chunk is searched once from where the
 * caller stands, and only the last delimiter-length − 1 bytes of the previous chunk (the carry, copied into a
 * buffer allocated once) are looked at again, for a delimiter split across chunks.
 */
export class DelimiterSearch {
  private readonly prefix: Buffer;
  private readonly capacity: number;
  private carryLength = 0;

  /** The carry is `room`'s carryBytes(delimiter) bytes from `at` (a buffer it may share: bodyReaders()). */
  constructor(
    private readonly delimiter: Buffer,
    private readonly room = Buffer.alloc(carryBytes(delimiter)),
    private readonly at = 0,
  ) {
    this.prefix = prefixOf(delimiter);
    this.capacity = carryBytes(delimiter);
  }

  get carryCapacity(): number {
    return this.capacity;
  }

  /** Forget the carry: what follows does not continue what came before. */
  reset(): void {
    this.carryLength = 0;
  }

  /**
   * The delimiter's start in `chunk` at or after `from`; negative when it began in the carry (the bytes just
   * before this chunk); undefined when absent.
   */
  find(chunk: Buffer, from: number): number | undefined {
    const { delimiter, room, at: carry } = this;
    const length = delimiter.length;
    for (let s = 0; s < this.carryLength; s++) {
      if (room[carry + s] !== delimiter[0]) continue;
      let j = 1;
      for (; j < length; j++) {
        const at = s + j;
        const byte = at < this.carryLength ? room[carry + at] : chunk[from + at - this.carryLength];
        if (byte === undefined || byte !== delimiter[j]) break;
      }
      if (j === length) {
        const start = from - (this.carryLength - s);
        this.carryLength = 0;
        return start;
      }
    }
    let position = from;
    for (;;) {
      const at = chunk.indexOf(this.prefix, position);
      if (at === -1 || at + length > chunk.length) return undefined;
      let j = this.prefix.length;
      while (j < length && chunk[at + j] === delimiter[j]) j++;
      if (j === length) {
        this.carryLength = 0;
        return at;
      }
      position = at + 1;
    }
  }

  /** After a chunk with no delimiter: keep its last bytes (with the old carry) for the next search. */
  keep(chunk: Buffer, from: number): void {
    const { capacity, room, at } = this;
    const fresh = chunk.length - from;
    if (fresh >= capacity) {
      // A few bytes: a loop is cheaper than Buffer.copy's call.
      for (let j = at, k = chunk.length - capacity; j < at + capacity; j++, k++) room[j] = chunk[k] ?? 0;
      this.carryLength = capacity;
      return;
    }
    const fromOld = Math.min(this.carryLength, capacity - fresh);
    room.copyWithin(at, at + this.carryLength - fromOld, at + this.carryLength);
    chunk.copy(room, at + fromOld, from, chunk.length);
    this.carryLength = fromOld + fresh;
  }
}
