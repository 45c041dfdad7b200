// Baseline (SOF0) 8-bit grayscale JPEG encoder (Annex K luminance tables, IJG quality scaling, no restarts). Not
// jpeg-js: it writes three components (611 bytes at least, above the 407-byte floor) and starts 2-20× slower.

/** ZIGZAG[k] is the natural (row-major) index of the k-th coefficient in zigzag order. */
const ZIGZAG = new Uint8Array([
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21,
  28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61,
  54, 47, 55, 62, 63,
]);

/** Annex K table K.1 (luminance), natural order. */
const LUMA_QUANT = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29,
  51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120,
  101, 72, 92, 95, 98, 112, 100, 103, 99,
];

/** Annex K tables K.3 (luminance DC) and K.5 (luminance AC): code counts per length 1..16, then the symbols. */
const DC_COUNTS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
const DC_SYMBOLS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const AC_COUNTS = [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d];
const AC_SYMBOLS = [
  0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07, 0x22, 0x71, 0x14,
  0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0, 0x24, 0x33, 0x62, 0x72, 0x82, 0x09,
  0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a,
  0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65,
  0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88,
  0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9,
  0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca,
  0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea,
  0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa,
];

/** Canonical Huffman codes from a DHT-style description (T.81 Annex C), as code << 8 | length per symbol. */
function huffmanCodes(counts: readonly number[], symbols: readonly number[]): Int32Array {
  const packed = new Int32Array(256);
  let next = 0;
  let k = 0;
  for (let bits = 1; bits <= 16; bits++) {
    const n = counts[bits - 1] ?? 0;
    for (let i = 0; i < n; i++) packed[symbols[k++] ?? 0] = ((next++) << 8) | bits;
    next <<= 1;
  }
  return packed;
}

const DC_PACKED = huffmanCodes(DC_COUNTS, DC_SYMBOLS);
const AC_PACKED = huffmanCodes(AC_COUNTS, AC_SYMBOLS);
/** End of block (run 0, size 0) and zero run length (16 zeros). */
const EOB_CODE = AC_PACKED[0x00] as number;
const ZRL_CODE = AC_PACKED[0xf0] as number;

/** AAN scale factors: the float DCT below leaves coefficient (u, v) multiplied by 8 × S[u] × S[v]. */
const AAN_SCALE = [1, 1.387039845, 1.306562965, 1.175875602, 1, 0.785694958, 0.5411961, 0.275899379];

/** IJG quality scaling of the Annex K luminance table; natural order, every entry 1..255 (8-bit DQT). */
function quantTable(quality: number): Uint8Array {
  const scale = quality < 50 ? Math.floor(5000 / quality) : 200 - quality * 2;
  const table = new Uint8Array(64);
  for (let i = 0; i < 64; i++) {
    table[i] = Math.min(255, Math.max(1, Math.floor(((LUMA_QUANT[i] ?? 1) * scale + 50) / 100)));
  }
  return table;
}

/** Everything from SOI to the end of the SOS header. */
function headerBytes(width: number, height: number, quant: Uint8Array): number[] {
  const segment = (marker: number, body: readonly number[]): number[] => {
    const length = body.length + 2;
    return [0xff, marker, length >> 8, length & 0xff, ...body];
  };
  const zigzagQuant = Array.from(ZIGZAG, (natural) => quant[natural] ?? 1);
  return [
    0xff,
    0xd8,
    // APP0 JFIF 1.01, no density units, 1:1 aspect, no thumbnail.
    ...segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]),
    // DQT: 8-bit table 0.
    ...segment(0xdb, [0x00, ...zigzagQuant]),
    // SOF0: 8-bit samples, height, width, one component (id 1, 1×1 sampling, table 0).
    ...segment(0xc0, [8, height >> 8, height & 0xff, width >> 8, width & 0xff, 1, 1, 0x11, 0]),
    // DHT: DC table 0, AC table 0.
    ...segment(0xc4, [0x00, ...DC_COUNTS, ...DC_SYMBOLS]),
    ...segment(0xc4, [0x10, ...AC_COUNTS, ...AC_SYMBOLS]),
    // SOS: one component using tables 0/0, full spectral range, no successive approximation.
    ...segment(0xda, [1, 1, 0x00, 0, 63, 0]),
  ];
}

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
