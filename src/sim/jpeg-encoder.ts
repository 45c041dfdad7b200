// Baseline (SOF0) 8-bit grayscale JPEG encoder: standard Annex K tables, no dependencies.

const ZIGZAG = [
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21,
  28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61,
  54, 47, 55, 62, 63,
];
const LUMA_QUANT = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29,
  51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120,
  101, 72, 92, 95, 98, 112, 100, 103, 99,
];
const DC_COUNTS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
const DC_VALUES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const AC_COUNTS = [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d];
const AC_VALUES = [
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

interface HuffmanTable {
  codes: Uint16Array;
  lengths: Uint8Array;
}

function buildHuffman(counts: readonly number[], values: readonly number[]): HuffmanTable {
  const codes = new Uint16Array(256);
  const lengths = new Uint8Array(256);
  let code = 0;
  let k = 0;
  for (let bits = 1; bits <= 16; bits++) {
    for (let i = 0; i < (counts[bits - 1] ?? 0); i++) {
      const value = values[k++] ?? 0;
      codes[value] = code++;
      lengths[value] = bits;
    }
    code <<= 1;
  }
  return { codes, lengths };
}

const DC_TABLE = buildHuffman(DC_COUNTS, DC_VALUES);
const AC_TABLE = buildHuffman(AC_COUNTS, AC_VALUES);

// cos((2x + 1) u π / 16) × C(u) / 2, precomputed for the separable forward DCT.
const DCT_COS = new Float64Array(64);
for (let u = 0; u < 8; u++) {
  for (let x = 0; x < 8; x++) {
    DCT_COS[u * 8 + x] = Math.cos(((2 * x + 1) * u * Math.PI) / 16) * (u === 0 ? Math.SQRT1_2 : 1) * 0.5;
  }
}

/** IJG quality scaling of the Annex K luminance table, in zigzag order. */
function quantTable(quality: number): Uint8Array {
  const q = Math.min(100, Math.max(1, Math.round(quality)));
  const scale = q < 50 ? 5000 / q : 200 - 2 * q;
  const table = new Uint8Array(64);
  for (let i = 0; i < 64; i++) {
    const natural = ZIGZAG[i] ?? 0;
    table[i] = Math.min(255, Math.max(1, Math.floor(((LUMA_QUANT[natural] ?? 1) * scale + 50) / 100)));
  }
  return table;
}

class BitWriter {
  private bytes: Uint8Array;
  private length = 0;
  private accumulator = 0;
  private bitCount = 0;

  constructor(capacity: number) {
    this.bytes = new Uint8Array(Math.max(1024, capacity));
  }

  private pushByte(byte: number): void {
    if (this.length + 2 > this.bytes.length) {
      const grown = new Uint8Array(this.bytes.length * 2);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    this.bytes[this.length++] = byte;
    // Byte stuffing: a 0xFF in entropy-coded data is followed by 0x00 so it is not read as a marker.
    if (byte === 0xff) this.bytes[this.length++] = 0;
  }

  write(code: number, bits: number): void {
    this.accumulator = ((this.accumulator << bits) | (code & ((1 << bits) - 1))) >>> 0;
    this.bitCount += bits;
    while (this.bitCount >= 8) {
      this.bitCount -= 8;
      this.pushByte((this.accumulator >>> this.bitCount) & 0xff);
    }
    this.accumulator &= (1 << this.bitCount) - 1;
  }

  /** Pads the last byte with 1 bits, as the standard asks. */
  finish(): Uint8Array {
    if (this.bitCount > 0) this.write(0x7f, 8 - this.bitCount);
    return this.bytes.subarray(0, this.length);
  }
}

/** Magnitude category and the bits that encode `value` within it (T.81 F.1.2.1). */
function category(value: number): number {
  let magnitude = Math.abs(value);
  let bits = 0;
  while (magnitude > 0) {
    bits++;
    magnitude >>= 1;
  }
  return bits;
}

function writeValue(writer: BitWriter, value: number, bits: number): void {
  if (bits > 0) writer.write(value < 0 ? value + (1 << bits) - 1 : value, bits);
}

function segment(marker: number, body: readonly number[]): number[] {
  const length = body.length + 2;
  return [0xff, marker, length >> 8, length & 0xff, ...body];
}

function headers(width: number, height: number, quant: Uint8Array): number[] {
  const jfif = [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0];
  const dqt = [0, ...quant];
  const sof = [8, height >> 8, height & 0xff, width >> 8, width & 0xff, 1, 1, 0x11, 0];
  const dhtDc = [0x00, ...DC_COUNTS, ...DC_VALUES];
  const dhtAc = [0x10, ...AC_COUNTS, ...AC_VALUES];
  const sos = [1, 1, 0x00, 0, 63, 0];
  return [
    0xff,
    0xd8,
    ...segment(0xe0, jfif),
    ...segment(0xdb, dqt),
    ...segment(0xc0, sof),
    ...segment(0xc4, dhtDc),
    ...segment(0xc4, dhtAc),
    ...segment(0xda, sos),
  ];
}

/** Encodes 8-bit grayscale `pixels` (row-major, width × height) as a baseline JPEG. */
export function encodeGrayscaleJpeg(pixels: Uint8Array, width: number, height: number, quality: number): Buffer {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width > 65_535 || height > 65_535) {
    throw new RangeError(`JPEG dimensions must be 1 to 65535, got ${width}×${height}`);
  }
  if (pixels.length < width * height) throw new RangeError('pixel buffer is smaller than width × height');
  const quant = quantTable(quality);
  const writer = new BitWriter(width * height);
  const block = new Float64Array(64);
  const rows = new Float64Array(64);
  const coefficients = new Int32Array(64);
  let previousDc = 0;

  for (let by = 0; by < height; by += 8) {
    for (let bx = 0; bx < width; bx += 8) {
      // Level-shifted samples, edge pixels repeated past the image border.
      for (let y = 0; y < 8; y++) {
        const row = Math.min(by + y, height - 1) * width;
        for (let x = 0; x < 8; x++) block[y * 8 + x] = (pixels[row + Math.min(bx + x, width - 1)] ?? 0) - 128;
      }
      // Separable 2-D DCT: rows, then columns.
      for (let y = 0; y < 8; y++) {
        for (let u = 0; u < 8; u++) {
          let sum = 0;
          for (let x = 0; x < 8; x++) sum += (block[y * 8 + x] ?? 0) * (DCT_COS[u * 8 + x] ?? 0);
          rows[y * 8 + u] = sum;
        }
      }
      for (let v = 0; v < 8; v++) {
        for (let u = 0; u < 8; u++) {
          let sum = 0;
          for (let y = 0; y < 8; y++) sum += (rows[y * 8 + u] ?? 0) * (DCT_COS[v * 8 + y] ?? 0);
          block[v * 8 + u] = sum;
        }
      }
      for (let i = 0; i < 64; i++) coefficients[i] = Math.round((block[ZIGZAG[i] ?? 0] ?? 0) / (quant[i] ?? 1));

      const dc = coefficients[0] ?? 0;
      const diff = dc - previousDc;
      previousDc = dc;
      const dcBits = category(diff);
      writer.write(DC_TABLE.codes[dcBits] ?? 0, DC_TABLE.lengths[dcBits] ?? 0);
      writeValue(writer, diff, dcBits);

      let run = 0;
      for (let i = 1; i < 64; i++) {
        const ac = coefficients[i] ?? 0;
        if (ac === 0) {
          run++;
          continue;
        }
        while (run > 15) {
          writer.write(AC_TABLE.codes[0xf0] ?? 0, AC_TABLE.lengths[0xf0] ?? 0);
          run -= 16;
        }
        const bits = category(ac);
        const symbol = (run << 4) | bits;
        writer.write(AC_TABLE.codes[symbol] ?? 0, AC_TABLE.lengths[symbol] ?? 0);
        writeValue(writer, ac, bits);
        run = 0;
      }
      if (run > 0) writer.write(AC_TABLE.codes[0] ?? 0, AC_TABLE.lengths[0] ?? 0);
    }
  }
  const head = headers(width, height, quant);
  const data = writer.finish();
  const out = Buffer.allocUnsafe(head.length + data.length + 2);
  out.set(head, 0);
  out.set(data, head.length);
  out[out.length - 2] = 0xff;
  out[out.length - 1] = 0xd9;
  return out;
}
