/**
 * HdrHistogram's V2 compressed encoding (the base64 strings of its logs and of our reports), written straight
 * from bucket counts. hdr-histogram-js needs an HdrHistogram to encode (a 96 KB counts array, cleared for each
 * stream) and deflates each one with zlib: a deflate's set-up, not its data, was most of a 10,000-stream
 * report's building time, for strings of a few dozen bytes that deflate cannot shrink much (the V2 counts are
 * already run-length and varint encoded). Here the zlib stream holds its data in stored blocks: a valid zlib
 * stream that every inflater reads (hdr-histogram-js's, Java's `Inflater`, Go's, Python's), so every reader
 * of HdrHistogram's compressed form decodes it, counts for counts.
 */

// V2 cookies with the word-size byte's low bit set (TLZE counts), as hdr-histogram-js writes them.
const V2_ENCODING_COOKIE = 0x1c849303 | 0x10;
const V2_COMPRESSED_ENCODING_COOKIE = 0x1c849304 | 0x10;
const HEADER_BYTES = 40;
// A stored block's length is 16 bits.
const STORED_BLOCK_MAX = 0xffff;
const MAX_VARINT_BYTES = 9;

/** The settings written in the header: the report's histograms' own (see gap-histogram.ts). */
export interface EncodingSettings {
  lowestDiscernibleValue: number;
  highestTrackableValue: number;
  numberOfSignificantValueDigits: number;
}

/**
 * HdrHistogram's counts-array index of a bucket (its lowest value) for a lowest discernible value of 1 and
 * `exactBits` + 1 bits of sub-buckets (3 significant digits: 10, exact below 2,048): buckets of width 2^b hold
 * 1,024 sub-buckets each above that.
 */
function countsIndex(bucket: number, exactBits: number): number {
  const shift = Math.max(0, 31 - Math.clz32(bucket) - exactBits);
  return shift * (1 << exactBits) + Math.floor(bucket / 2 ** shift);
}

let scratch = new Uint8Array(1024);

/**
 * The compressed base64 of a histogram holding `counts[i]` values in the bucket whose lowest value is
 * `buckets[i]` (buckets distinct, in any order, counts ≥ 1): byte for byte what hdr-histogram-js's
 * `encodeIntoCompressedBase64` inflates to for the same counts, in a zlib stream of stored blocks.
 */
export function encodeBucketCounts(
  buckets: readonly number[],
  counts: readonly number[],
  settings: EncodingSettings,
  exactBits: number,
): string {
  const n = buckets.length;
  const indices = new Array<number>(n);
  for (let i = 0; i < n; i++) indices[i] = countsIndex(buckets[i] ?? 0, exactBits);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (indices[a] ?? 0) - (indices[b] ?? 0));

  const bound = HEADER_BYTES + (2 * n + 1) * MAX_VARINT_BYTES;
  if (scratch.length < bound) scratch = new Uint8Array(2 * bound);
  const bytes = scratch;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  view.setInt32(0, V2_ENCODING_COOKIE);
  view.setInt32(8, 1); // what hdr-histogram-js writes as the normalizing index offset
  view.setInt32(12, settings.numberOfSignificantValueDigits);
  view.setBigInt64(16, BigInt(settings.lowestDiscernibleValue));
  view.setBigInt64(24, BigInt(settings.highestTrackableValue));
  view.setBigInt64(32, 1n); // and as the integer-to-double conversion ratio
  let at = HEADER_BYTES;
  // Counts from index 0 to the highest bucket's; a run of zeros is one negative count, a lone zero a 0.
  let next = 0;
  for (const i of order) {
    const index = indices[i] ?? 0;
    const gap = index - next;
    if (gap > 1) at = putZigZag(bytes, at, -gap);
    else if (gap === 1) at = putZigZag(bytes, at, 0);
    at = putZigZag(bytes, at, counts[i] ?? 0);
    next = index + 1;
  }
  // An empty histogram still encodes its count at index 0.
  if (n === 0) at = putZigZag(bytes, at, 0);
  view.setInt32(4, at - HEADER_BYTES);
  return compressedBase64(bytes.subarray(0, at));
}

/** ZigZag LEB128 of a 64-bit integer, as HdrHistogram's V2 counts: exact for |value| < 2^52. */
function putZigZag(bytes: Uint8Array, at: number, value: number): number {
  let rest = value >= 0 ? value * 2 : -value * 2 - 1;
  // Eight 7-bit groups, then a ninth byte of 8 bits.
  for (let i = 0; i < 8; i++) {
    if (rest < 0x80) {
      bytes[at++] = rest;
      return at;
    }
    bytes[at++] = (rest % 0x80) | 0x80;
    rest = Math.floor(rest / 0x80);
  }
  bytes[at++] = rest;
  return at;
}

/** The compressed form around `raw`: its cookie and length, then a zlib stream of stored blocks. */
function compressedBase64(raw: Uint8Array): string {
  const blocks = Math.max(1, Math.ceil(raw.length / STORED_BLOCK_MAX));
  const zlibLength = 2 + 5 * blocks + raw.length + 4;
  const out = Buffer.allocUnsafe(8 + zlibLength);
  out.writeInt32BE(V2_COMPRESSED_ENCODING_COOKIE, 0);
  out.writeInt32BE(zlibLength, 4);
  // CMF: deflate, 32 KB window; FLG: no dictionary, "fastest", check bits making CMF·256 + FLG a multiple of 31.
  out[8] = 0x78;
  out[9] = 0x01;
  let at = 10;
  for (let start = 0, block = 0; block < blocks; block++, start += STORED_BLOCK_MAX) {
    const length = Math.min(STORED_BLOCK_MAX, raw.length - start);
    out[at++] = block === blocks - 1 ? 1 : 0; // BFINAL, BTYPE 00 (stored)
    out.writeUInt16LE(length, at);
    out.writeUInt16LE(~length & 0xffff, at + 2);
    at += 4;
    out.set(raw.subarray(start, start + length), at);
    at += length;
  }
  out.writeUInt32BE(adler32(raw), at);
  return out.toString('base64');
}

function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  // 5,552 bytes is the most that can be summed before b could pass 2^32 (zlib's NMAX).
  for (let start = 0; start < bytes.length; start += 5552) {
    const end = Math.min(bytes.length, start + 5552);
    for (let i = start; i < end; i++) {
      a += bytes[i] ?? 0;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}
