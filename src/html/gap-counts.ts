import * as hdr from 'hdr-histogram-js';
import { decompress } from 'hdr-histogram-js/dist/encoding.js';

// The percentile curve needs every stream's frame gaps added into one histogram. hdr-histogram-js decodes each
// into a full counts array (13,000 buckets for 1 ms to an hour): for 10,000 streams that is half a gigabyte
// allocated, most of the page's render time. The V2 encoding is sparse (runs of empty buckets are one number),
// so it is read here bucket by bucket straight into the total; an encoding of other settings takes the slow path.

const V2_COOKIE_BASE = 0x1c849303;
const HEADER_BYTES = 40;
/** 3 significant digits from 1 ms (gap-histogram.ts): 2,048 sub-buckets, half of them per doubling. */
const HALF_MAGNITUDE = 10;
const HALF_COUNT = 1 << HALF_MAGNITUDE;
const SIGNIFICANT_DIGITS = 3;

/** The lowest value bucket `index` holds, for the settings above (HdrHistogram's valueFromIndex). */
export function bucketValue(index: number): number {
  let bucket = Math.floor(index / HALF_COUNT) - 1;
  let sub = (index % HALF_COUNT) + HALF_COUNT;
  if (bucket < 0) {
    sub -= HALF_COUNT;
    bucket = 0;
  }
  return sub * 2 ** bucket;
}

const readInt32 = (bytes: Uint8Array, at: number): number => ((bytes[at] ?? 0) << 24) | ((bytes[at + 1] ?? 0) << 16) | ((bytes[at + 2] ?? 0) << 8) | (bytes[at + 3] ?? 0);

/** Adds one encoded histogram's buckets to `total`; false when its settings are not the report's (nothing added). */
function addSparse(encoded: string, total: hdr.Histogram): boolean {
  // A Buffer is a Uint8Array: no copy.
  const bytes = decompress(Buffer.from(encoded, 'base64'));
  if ((readInt32(bytes, 0) & ~0xf0) !== V2_COOKIE_BASE) return false;
  const payload = readInt32(bytes, 4);
  const digits = readInt32(bytes, 12);
  // lowestTrackableUnitValue, a 64-bit integer: 1 ms.
  if (digits !== SIGNIFICANT_DIGITS || readInt32(bytes, 16) !== 0 || readInt32(bytes, 20) !== 1) return false;
  const end = HEADER_BYTES + payload;
  let at = HEADER_BYTES;
  let index = 0;
  while (at < end) {
    // ZigZag LEB128, up to 64 bits: arithmetic rather than bit operations above 32 bits.
    let value = 0;
    let scale = 1;
    for (let shift = 0; shift < 9; shift++) {
      const byte = bytes[at++] ?? 0;
      value += (shift === 8 ? byte : byte & 0x7f) * scale;
      if (shift === 8 || (byte & 0x80) === 0) break;
      scale *= 128;
    }
    const decoded = value % 2 === 0 ? value / 2 : -(value + 1) / 2;
    if (decoded < 0) index += -decoded;
    else {
      if (decoded > 0) total.recordValueWithCount(bucketValue(index), decoded);
      index++;
    }
  }
  return true;
}

/**
 * Every encoded histogram added into one, with the same counts as hdr-histogram-js's decode and add. One that
 * cannot be read (a report edited by hand) is left out rather than costing the whole page: `unreadable` counts them.
 */
export function addGapHistograms(encoded: Iterable<string>): { total: hdr.Histogram; unreadable: number } {
  const total = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000, numberOfSignificantValueDigits: SIGNIFICANT_DIGITS, bitBucketSize: 64 });
  let unreadable = 0;
  for (const text of encoded) {
    try {
      if (!addSparse(text, total)) total.add(hdr.decodeFromCompressedBase64(text, 32));
    } catch {
      unreadable++;
    }
  }
  return { total, unreadable };
}
