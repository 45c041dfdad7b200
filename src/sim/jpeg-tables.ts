// The baseline JPEG's fixed parts (ITU T.81): the zigzag order, the Annex K luminance tables as Huffman codes,
// the AAN scale factors, IJG quality scaling, and the headers from SOI to SOS.

/** ZIGZAG[k] is the natural (row-major) index of the k-th coefficient in zigzag order. */
export const ZIGZAG = new Uint8Array([
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22,
  15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
]);

/** Annex K table K.1 (luminance), natural order. */
const LUMA_QUANT = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103,
  77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];

/** Annex K tables K.3 (luminance DC) and K.5 (luminance AC): code counts per length 1..16, then the symbols. */
const DC_COUNTS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
const DC_SYMBOLS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const AC_COUNTS = [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d];
const AC_SYMBOLS = [
  0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07, 0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42,
  0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0, 0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x34, 0x35,
  0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67,
  0x68, 0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98,
  0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7,
  0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4,
  0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa,
];

/** Canonical Huffman codes from a DHT-style description (T.81 Annex C), as code << 8 | length per symbol. */
function huffmanCodes(counts: readonly number[], symbols: readonly number[]): Int32Array {
  const packed = new Int32Array(256);
  let next = 0;
  let k = 0;
  for (let bits = 1; bits <= 16; bits++) {
    const n = counts[bits - 1] ?? 0;
    for (let i = 0; i < n; i++) packed[symbols[k++] ?? 0] = (next++ << 8) | bits;
    next <<= 1;
  }
  return packed;
}

export const DC_PACKED = huffmanCodes(DC_COUNTS, DC_SYMBOLS);
export const AC_PACKED = huffmanCodes(AC_COUNTS, AC_SYMBOLS);
/** End of block (run 0, size 0) and zero run length (16 zeros). */
export const EOB_CODE = AC_PACKED[0x00] as number;
export const ZRL_CODE = AC_PACKED[0xf0] as number;

/** AAN scale factors: the float DCT below leaves coefficient (u, v) multiplied by 8 × S[u] × S[v]. */
export const AAN_SCALE = [1, 1.387039845, 1.306562965, 1.175875602, 1, 0.785694958, 0.5411961, 0.275899379];

/** IJG quality scaling of the Annex K luminance table; natural order, every entry 1..255 (8-bit DQT). */
export function quantTable(quality: number): Uint8Array {
  const scale = quality < 50 ? Math.floor(5000 / quality) : 200 - quality * 2;
  const table = new Uint8Array(64);
  for (let i = 0; i < 64; i++) {
    table[i] = Math.min(255, Math.max(1, Math.floor(((LUMA_QUANT[i] ?? 1) * scale + 50) / 100)));
  }
  return table;
}

/** Everything from SOI to the end of the SOS header. */
export function headerBytes(width: number, height: number, quant: Uint8Array): number[] {
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
