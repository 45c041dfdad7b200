// Baseline (SOF0) 8-bit grayscale JPEG encoder (Annex K luminance tables, IJG quality scaling, no restarts). Not
// jpeg-js: it writes three components (611 bytes at least, above the 407-byte floor) and starts 2-20× slower.

import { AAN_SCALE, AC_PACKED, DC_PACKED, EOB_CODE, headerBytes, quantTable, ZIGZAG, ZRL_CODE } from './jpeg-tables.js';

/** In-place AAN float forward DCT of eight values at `offset`, `stride` apart (libjpeg jfdctflt.c). */
function fdct8(d: Float64Array, offset: number, stride: number): void {
  const i0 = offset;
  const i1 = offset + stride;
  const i2 = offset + 2 * stride;
  const i3 = offset + 3 * stride;
  const i4 = offset + 4 * stride;
  const i5 = offset + 5 * stride;
  const i6 = offset + 6 * stride;
  const i7 = offset + 7 * stride;
  const d0 = d[i0] as number;
  const d1 = d[i1] as number;
  const d2 = d[i2] as number;
  const d3 = d[i3] as number;
  const d4 = d[i4] as number;
  const d5 = d[i5] as number;
  const d6 = d[i6] as number;
  const d7 = d[i7] as number;

  const tmp0 = d0 + d7;
  const tmp7 = d0 - d7;
  const tmp1 = d1 + d6;
  const tmp6 = d1 - d6;
  const tmp2 = d2 + d5;
  const tmp5 = d2 - d5;
  const tmp3 = d3 + d4;
  const tmp4 = d3 - d4;

  // Even part.
  const tmp10 = tmp0 + tmp3;
  const tmp13 = tmp0 - tmp3;
  const tmp11 = tmp1 + tmp2;
  const tmp12 = tmp1 - tmp2;
  d[i0] = tmp10 + tmp11;
  d[i4] = tmp10 - tmp11;
  const z1 = (tmp12 + tmp13) * 0.707106781;
  d[i2] = tmp13 + z1;
  d[i6] = tmp13 - z1;

  // Odd part.
  const o10 = tmp4 + tmp5;
  const o11 = tmp5 + tmp6;
  const o12 = tmp6 + tmp7;
  const z5 = (o10 - o12) * 0.382683433;
  const z2 = 0.5411961 * o10 + z5;
  const z4 = 1.306562965 * o12 + z5;
  const z3 = o11 * 0.707106781;
  const z11 = tmp7 + z3;
  const z13 = tmp7 - z3;
  d[i5] = z13 + z2;
  d[i3] = z13 - z2;
  d[i1] = z11 + z4;
  d[i7] = z11 - z4;
}

/** Number of bits needed for |value| (the JPEG magnitude category, T.81 F.1.2.1). */
function magnitudeBits(value: number): number {
  return 32 - Math.clz32(value < 0 ? -value : value);
}

/**
 * Entropy-coded output: MSB-first bits, 0xFF bytes stuffed with 0x00. A class rather than a closure, so that V8's
 * optimised code stays valid from one image to the next.
 */
class BitWriter {
  private out: Buffer;
  private pos: number;
  /** Pending bits (at most 7 between calls), right-aligned. */
  private bits = 0;
  private count = 0;

  constructor(header: readonly number[], capacity: number) {
    this.out = Buffer.allocUnsafe(header.length + capacity);
    this.out.set(header, 0);
    this.pos = header.length;
  }

  /** Makes room for `bytes` more output bytes. */
  reserve(bytes: number): void {
    if (this.pos + bytes > this.out.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.out.length * 2, this.pos + bytes));
      this.out.copy(grown, 0, 0, this.pos);
      this.out = grown;
    }
  }

  /**
   * Appends the low `count` bits of `value`; count <= 24, so at most 31 bits are ever pending. The caller has
   * reserved room (at most 6 bytes a call, with stuffing).
   */
  write(value: number, count: number): void {
    const out = this.out;
    let pos = this.pos;
    let bits = (this.bits << count) | value;
    let pending = this.count + count;
    while (pending >= 8) {
      pending -= 8;
      const byte = (bits >>> pending) & 0xff;
      out[pos++] = byte;
      // Byte stuffing: 0xFF in entropy-coded data is followed by 0x00 so that it is not read as a marker.
      if (byte === 0xff) out[pos++] = 0;
    }
    bits &= (1 << pending) - 1;
    this.bits = bits;
    this.count = pending;
    this.pos = pos;
  }

  /** A Huffman code (`length` <= 16 bits) followed by the `count` (<= 11) low bits of `value`. */
  writeSymbol(code: number, length: number, value: number, count: number): void {
    if (length + count <= 24) {
      this.write((code << count) | value, length + count);
    } else {
      this.write(code, length);
      this.write(value, count);
    }
  }

  /** Fills the last byte with 1 bits (T.81 F.1.2.3), appends EOI and returns the whole JPEG, exactly sized. */
  finish(): Buffer {
    this.reserve(4);
    if (this.count > 0) this.write((1 << (8 - this.count)) - 1, 8 - this.count);
    const jpeg = Buffer.allocUnsafeSlow(this.pos + 2);
    this.out.copy(jpeg, 0, 0, this.pos);
    jpeg[this.pos] = 0xff;
    jpeg[this.pos + 1] = 0xd9;
    return jpeg;
  }
}

/**
 * Encodes 8-bit grayscale `pixels` (row-major, `width` × `height`, one byte per pixel) as a baseline JPEG: SOI,
 * APP0 (JFIF), DQT, SOF0, DHT ×2, SOS, the entropy-coded data (0xFF bytes stuffed with 0x00), EOI.
 * `quality` 1..100 scales the standard quantisation table as IJG libjpeg does (non-integers are rounded).
 */
export function encodeGrayscaleJpeg(pixels: Uint8Array, width: number, height: number, quality: number): Buffer {
  checkInput(pixels, width, height, quality);
  const quant = quantTable(Math.round(quality));
  const divisors = zigzagDivisors(quant);
  const writer = new BitWriter(headerBytes(width, height, quant), 1024 + Math.ceil((width * height) / 2));
  const block = new Float64Array(64);
  const coefficients = new Int32Array(64);
  const columns = new Int32Array(8);
  let previousDc = 0;
  for (let by = 0; by < height; by += 8) {
    for (let bx = 0; bx < width; bx += 8) {
      loadBlock(pixels, width, height, bx, by, block, columns);
      for (let y = 0; y < 8; y++) fdct8(block, y * 8, 1);
      for (let x = 0; x < 8; x++) fdct8(block, x, 8);
      const last = quantise(block, divisors, coefficients);
      // A block is at most 64 symbols of <= 27 bits, every byte possibly stuffed.
      writer.reserve(512);
      previousDc = writeBlock(writer, coefficients, last, previousDc);
    }
  }
  return writer.finish();
}

function checkInput(pixels: Uint8Array, width: number, height: number, quality: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width > 65_535 || height > 65_535) {
    throw new RangeError(`JPEG dimensions must be whole numbers from 1 to 65535, got ${width}×${height}`);
  }
  if (pixels.length < width * height) {
    throw new RangeError(`pixel buffer holds ${pixels.length} bytes, ${width}×${height} needs ${width * height}`);
  }
  if (!(quality >= 1 && quality <= 100)) throw new RangeError(`JPEG quality must be 1 to 100, got ${quality}`);
}

/** Multipliers that undo the AAN scaling and divide by the quantiser in one step, in zigzag order. */
function zigzagDivisors(quant: ArrayLike<number>): Float64Array {
  const divisors = new Float64Array(64);
  for (let k = 0; k < 64; k++) {
    const natural = ZIGZAG[k] as number;
    const scale = (AAN_SCALE[natural >> 3] as number) * (AAN_SCALE[natural & 7] as number) * 8;
    divisors[k] = 1 / ((quant[natural] as number) * scale);
  }
  return divisors;
}

/** The 8×8 block at (bx, by), level-shifted; a partial block at the right or bottom edge repeats the last column or row. */
function loadBlock(pixels: Uint8Array, width: number, height: number, bx: number, by: number, block: Float64Array, columns: Int32Array): void {
  for (let x = 0; x < 8; x++) columns[x] = Math.min(bx + x, width - 1);
  for (let y = 0; y < 8; y++) {
    const row = Math.min(by + y, height - 1) * width;
    const at = y * 8;
    for (let x = 0; x < 8; x++) block[at + x] = (pixels[row + (columns[x] as number)] as number) - 128;
  }
}

/** Quantised coefficients in zigzag order; returns where the last non-zero one is. */
function quantise(block: Float64Array, divisors: Float64Array, coefficients: Int32Array): number {
  let last = 0;
  for (let k = 0; k < 64; k++) {
    const value = Math.round((block[ZIGZAG[k] as number] as number) * (divisors[k] as number));
    coefficients[k] = value;
    if (value !== 0) last = k;
  }
  return last;
}

/** One block's Huffman symbols; returns its DC, from which the next block's is coded. */
function writeBlock(writer: BitWriter, coefficients: Int32Array, last: number, previousDc: number): number {
  // DC: difference from the previous block's DC, as a category code and the value's bits (a negative value is
  // sent as its ones' complement).
  const dc = coefficients[0] as number;
  const diff = dc - previousDc;
  const dcBits = magnitudeBits(diff);
  const dcCode = DC_PACKED[dcBits] as number;
  writer.writeSymbol(dcCode >>> 8, dcCode & 0xff, (diff < 0 ? diff - 1 : diff) & ((1 << dcBits) - 1), dcBits);
  // AC: (zero run, category) symbols, ZRL for each 16 zeros before a non-zero one, EOB after the last.
  let run = 0;
  for (let k = 1; k <= last; k++) {
    let ac = coefficients[k] as number;
    if (ac === 0) {
      run++;
      continue;
    }
    // Category 10 is the largest the tables have; 8-bit samples stay within it, this only guards rounding.
    if (ac > 1023) ac = 1023;
    else if (ac < -1023) ac = -1023;
    for (; run > 15; run -= 16) writer.write(ZRL_CODE >>> 8, ZRL_CODE & 0xff);
    const acBits = magnitudeBits(ac);
    const acCode = AC_PACKED[(run << 4) | acBits] as number;
    writer.writeSymbol(acCode >>> 8, acCode & 0xff, (ac < 0 ? ac - 1 : ac) & ((1 << acBits) - 1), acBits);
    run = 0;
  }
  if (last < 63) writer.write(EOB_CODE >>> 8, EOB_CODE & 0xff);
  return dc;
}
