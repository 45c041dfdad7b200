import { decompress } from 'hdr-histogram-js/dist/encoding.js';

/**
 * HdrHistogram's V2 compressed encoding (the base64 strings of its logs and of our reports), written straight
 * from bucket counts and read back bucket by bucket. hdr-histogram-js encodes only an HdrHistogram (a 96 KB
 * counts array, cleared for each stream) and deflates each one with zlib: a deflate's set-up, not its data, was
 * most of a 10,000-stream report's building time, for strings of a few dozen bytes that deflate cannot shrink
 * much (V2 counts are already run-length and varint encoded). Here the zlib stream holds its data in stored
 * blocks: a valid zlib stream that every inflater reads (hdr-histogram-js's, Java's `Inflater`, Go's,
 * Python's), so every reader of HdrHistogram's compressed form decodes it, counts for counts.
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

/** The lowest value of the bucket at a counts-array index: the inverse of countsIndex (HdrHistogram's valueFromIndex). */
export function bucketAtIndex(index: number, exactBits: number): number {
  const shift = Math.max(0, Math.floor(index / (1 << exactBits)) - 1);
  return (index - shift * (1 << exactBits)) * 2 ** shift;
}

let scratch = new Uint8Array(1024);

/**
 * The compressed base64 of a histogram holding `counts[i]` values in the bucket whose lowest value is
 * `buckets[i]` (buckets ascending and distinct, counts ≥ 1): byte for byte what hdr-histogram-js's
 * `encodeIntoCompressedBase64` inflates to for the same counts, in a zlib stream of stored blocks.
 */
export function encodeBucketCounts(buckets: readonly number[], counts: readonly number[], settings: EncodingSettings, exactBits: number): string {
  const n = buckets.length;
  const bound = HEADER_BYTES + (2 * n + 1) * MAX_VARINT_BYTES;
  if (scratch.length < bound) scratch = new Uint8Array(2 * bound);
  const bytes = scratch;
  writeHeader(bytes, settings);
  let at = HEADER_BYTES;
  // Counts from index 0 to the highest bucket's; a run of zeros is one negative count, a lone zero a 0.
  let next = 0;
  for (let i = 0; i < n; i++) {
    const index = countsIndex(buckets[i] ?? 0, exactBits);
    const gap = index - next;
    if (gap > 1) at = putZigZag(bytes, at, -gap);
    else if (gap === 1) at = putZigZag(bytes, at, 0);
    at = putZigZag(bytes, at, counts[i] ?? 0);
    next = index + 1;
  }
  // An empty histogram still encodes its count at index 0.
  if (n === 0) at = putZigZag(bytes, at, 0);
  const payload = at - HEADER_BYTES;
  bytes[4] = payload >>> 24;
  bytes[5] = (payload >>> 16) & 0xff;
  bytes[6] = (payload >>> 8) & 0xff;
  bytes[7] = payload & 0xff;
  return compressedBase64(bytes.subarray(0, at));
}

/** The V2 header but its payload length (bytes 4-7), big-endian; its 64-bit fields hold values below 2^31. */
function writeHeader(bytes: Uint8Array, settings: EncodingSettings): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  view.setInt32(0, V2_ENCODING_COOKIE);
  view.setInt32(8, 1); // what hdr-histogram-js writes as the normalizing index offset
  view.setInt32(12, settings.numberOfSignificantValueDigits);
  view.setInt32(16, 0);
  view.setInt32(20, settings.lowestDiscernibleValue);
  view.setInt32(24, 0);
  view.setInt32(28, settings.highestTrackableValue);
  view.setInt32(32, 0);
  view.setInt32(36, 1); // and as the integer-to-double conversion ratio
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

const readInt32 = (bytes: Uint8Array, at: number): number =>
  ((bytes[at] ?? 0) << 24) | ((bytes[at + 1] ?? 0) << 16) | ((bytes[at + 2] ?? 0) << 8) | (bytes[at + 3] ?? 0);

/**
 * Calls `visit` with each non-empty bucket (its lowest value, ascending) and its count, read straight from the V2
 * encoding: runs of empty buckets are one number there, where hdr-histogram-js's decode fills a counts array of
 * 13,000 buckets for each histogram (half a gigabyte for 10,000 streams). False, having visited nothing, when
 * the histogram was encoded with other settings; throws on what is not an encoded histogram.
 */
export function readBucketCounts(encoded: string, settings: EncodingSettings, exactBits: number, visit: (bucket: number, count: number) => void): boolean {
  // A Buffer is a Uint8Array: no copy.
  const bytes = decompress(Buffer.from(encoded, 'base64'));
  if ((readInt32(bytes, 0) & ~0xf0) !== (V2_ENCODING_COOKIE & ~0xf0)) throw new Error('not an HdrHistogram V2 encoding');
  const payload = readInt32(bytes, 4);
  // The 64-bit lowest discernible value: its high word 0.
  const same =
    readInt32(bytes, 12) === settings.numberOfSignificantValueDigits && readInt32(bytes, 16) === 0 && readInt32(bytes, 20) === settings.lowestDiscernibleValue;
  if (!same) return false;
  const end = Math.min(bytes.length, HEADER_BYTES + payload);
  let at = HEADER_BYTES;
  let index = 0;
  while (at < end) {
    // ZigZag LEB128, up to 64 bits: arithmetic rather than bit operations above 32 bits.
    let value = 0;
    let scale = 1;
    for (let shift = 0; shift < MAX_VARINT_BYTES; shift++) {
      const byte = bytes[at++] ?? 0;
      value += (shift === MAX_VARINT_BYTES - 1 ? byte : byte & 0x7f) * scale;
      if (shift === MAX_VARINT_BYTES - 1 || (byte & 0x80) === 0) break;
      scale *= 128;
    }
    const decoded = value % 2 === 0 ? value / 2 : -(value + 1) / 2;
    if (decoded < 0) index += -decoded;
    else {
      if (decoded > 0) visit(bucketAtIndex(index, exactBits), decoded);
      index++;
    }
  }
  return true;
}
