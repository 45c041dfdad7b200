// The pieces of a frame's fingerprint (see PartBody.fingerprint): where its JPEG ends, and a hash of the bytes before.

/** Where the last EOI (FF D9) in bytes [from, end) ends, or -1. Entropy-coded data never holds FF D9 (FF is stuffed). */
export function eoiEndIn(bytes: Buffer, from: number, end: number): number {
  for (let j = end - 1; j >= from; j--) if (bytes[j] === 0xd9 && bytes[j - 1] === 0xff) return j + 1;
  return -1;
}

/**
 * MurmurHash2's mixing over words of four bytes in two independent lanes (one chain of multiplications was most of
 * the cost), then MurmurHash3's finish, so that a change in either lane reaches every bit. Counted from `from`: the
 * same bytes give the same words whatever buffer holds them.
 */
export function hash(bytes: Buffer, from: number, end: number): number {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  let j = from;
  for (; j + 8 <= end; j += 8) {
    a = Math.imul(a ^ ((bytes[j] ?? 0) | ((bytes[j + 1] ?? 0) << 8) | ((bytes[j + 2] ?? 0) << 16) | ((bytes[j + 3] ?? 0) << 24)), 0x5bd1e995);
    b = Math.imul(b ^ ((bytes[j + 4] ?? 0) | ((bytes[j + 5] ?? 0) << 8) | ((bytes[j + 6] ?? 0) << 16) | ((bytes[j + 7] ?? 0) << 24)), 0x5bd1e995);
  }
  for (; j < end; j++) a = Math.imul(a ^ (bytes[j] ?? 0), 0x5bd1e995);
  let h = a ^ Math.imul(b ^ (b >>> 15), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
