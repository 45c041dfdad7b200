import { encodeGrayscaleJpeg } from './jpeg-encoder.js';

export interface FrameImageOptions {
  /** Distinct frames to build (at least 1; frames 0..728 are guaranteed pairwise distinct). */
  count: number;
  /** Exact byte length of every frame, MIN_FRAME_BYTES..MAX_FRAME_BYTES. */
  targetBytes: number;
  /** Picks the noise; the same seed gives the same bytes. Default 1. */
  seed?: number;
}

export const MAX_FRAME_BYTES = 8 * 1024 * 1024;

/** A COM segment costs 4 bytes (marker, length) before its content; smaller gaps cannot be padded. */
const COM_OVERHEAD = 4;
/** Whole COM segment at most 65535 bytes, so its length field (content + 2) stays well inside 16 bits. */
const COM_MAX_SEGMENT = 65_535;

/** Bytes of a frame that are not entropy-coded data: SOI..SOS headers and EOI (same for every size). */
const OVERHEAD_BYTES = encodeGrayscaleJpeg(new Uint8Array(64).fill(128), 8, 8, 1).length - 1;

/**
 * The smallest frame is 16×16 at quality 1 and made of four flat 8×8 blocks (three carry the frame code), so its
 * entropy-coded data is at most 42 bits: 6 bytes, 12 if every byte had to be stuffed. Kept at 407, the floor
 * the CLI has always documented, which is above that bound.
 */
const SMALLEST_RAW_BOUND = OVERHEAD_BYTES + 12;
export const MIN_FRAME_BYTES = Math.max(407, SMALLEST_RAW_BOUND + COM_OVERHEAD);

const MIN_WIDTH = 16;
const MAX_WIDTH = 4096;
/** Quality the size search starts from: a typical IP-camera setting. */
const BASE_QUALITY = 90;
/** Noise amplitude (±) over the pattern: what makes the compressed size that of a camera picture, not a chart. */
const NOISE = 20;
/** Byte → noise value in [-NOISE, NOISE]. */
const NOISE_TABLE = Int8Array.from({ length: 256 }, (_, byte) => (byte % (2 * NOISE + 1)) - NOISE);
/** Base-9 digits in the frame code: 9^3 = 729 distinct frames. */
const CODE_DIGITS = 3;
const CODE_RADIX = 9;

function heightFor(width: number): number {
  return Math.max(MIN_WIDTH, Math.round((width * 3) / 4 / 8) * 8);
}

/** The 4:3 width (a multiple of 8) whose picture has about `area` pixels. */
function widthForArea(area: number): number {
  const width = Math.round(Math.sqrt((Math.max(area, 0) * 4) / 3) / 8) * 8;
  return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, width));
}

/**
 * Grey level of code digit `digit` (0..8): 128 + 32 × (digit − 4), clamped. A flat 8×8 block of it has DC
 * coefficient 256 × (digit − 4), within 8 of a multiple of 255, so even quality 1 (every quantiser 255) keeps
 * the nine digits apart.
 */
function codeLevel(digit: number): number {
  return Math.min(255, 128 + 32 * (digit - 4));
}

/**
 * Frame `index` of the set: a horizontal gradient, a bright bar that slides across as the index goes round the
 * set, seeded noise, and the index drawn as three flat code cells (base-9 digits as grey levels) in the top-left
 * corner. The cells are whole 8×8 blocks on the JPEG block grid, so every frame of a set differs at any quality.
 * A 16×16 frame is only the code (and one mid-grey block): the smallest frame, whose size is known in advance.
 */
function drawFrame(width: number, height: number, index: number, count: number, seed: number): Uint8Array {
  const pixels = new Uint8Array(width * height);
  const code = index % CODE_RADIX ** CODE_DIGITS;
  const cell = 8 * Math.max(1, Math.floor(width / 160));
  const fillCell = (left: number, top: number, size: number, value: number): void => {
    for (let y = top; y < Math.min(height, top + size); y++) pixels.fill(value, y * width + left, y * width + Math.min(width, left + size));
  };

  if (width * height <= MIN_WIDTH * MIN_WIDTH) {
    pixels.fill(128);
  } else {
    // One row of the pattern without the vertical shade: the gradient, and the bar (which the shade skips).
    const barWidth = Math.max(8, Math.round(width / 12));
    const barLeft = Math.floor((index * (width - barWidth)) / Math.max(1, count));
    const rowBase = new Int16Array(width);
    const shaded = new Uint8Array(width);
    for (let x = 0; x < width; x++) {
      const onBar = x >= barLeft && x < barLeft + barWidth;
      rowBase[x] = onBar ? 225 : Math.floor((150 * x) / width);
      shaded[x] = onBar ? 0 : 1;
    }
    // xorshift32 seeded from (seed, index), four noise values a step; the clamped view does the 0..255 clamp.
    const clamped = new Uint8ClampedArray(pixels.buffer, pixels.byteOffset, pixels.length);
    let state = (Math.imul((seed | 0) ^ 0x2545f491, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0 || 1;
    let random = 0;
    for (let y = 0; y < height; y++) {
      const row = y * width;
      const shade = 30 + Math.floor((40 * y) / height);
      for (let x = 0; x < width; x++) {
        if ((x & 3) === 0) {
          state ^= state << 13;
          state ^= state >>> 17;
          state ^= state << 5;
          random = state;
        }
        const noise = NOISE_TABLE[(random >>> ((x & 3) << 3)) & 0xff] as number;
        clamped[row + x] = (rowBase[x] as number) + shade * (shaded[x] as number) + noise;
      }
    }
  }
  for (let digit = 0, rest = code; digit < CODE_DIGITS; digit++, rest = Math.floor(rest / CODE_RADIX)) {
    const left = cell * digit;
    // The 16×16 frame has two blocks a row: its third digit goes to the second block row.
    if (left + cell <= width) fillCell(left, 0, cell, codeLevel(rest % CODE_RADIX));
    else fillCell(0, cell, cell, codeLevel(rest % CODE_RADIX));
  }
  return pixels;
}

interface Encoded {
  width: number;
  quality: number;
  jpeg: Buffer;
}

/** Encodes frames of one set, keeping the last drawing so that a quality search draws it only once. */
class FrameEncoder {
  private drawn: { width: number; index: number; pixels: Uint8Array } | undefined;

  constructor(
    private readonly count: number,
    private readonly seed: number,
  ) {}

  encode(width: number, index: number, quality: number): Encoded {
    const height = heightFor(width);
    let drawn = this.drawn;
    if (drawn?.width !== width || drawn.index !== index) {
      drawn = { width, index, pixels: drawFrame(width, height, index, this.count, this.seed) };
      this.drawn = drawn;
    }
    return { width, quality, jpeg: encodeGrayscaleJpeg(drawn.pixels, width, height, quality) };
  }

  /** The smallest frame: fits any target from MIN_FRAME_BYTES up. */
  smallest(index: number): Encoded {
    return this.encode(MIN_WIDTH, index, 1);
  }

  /**
   * The frame at the highest quality in [low, high] whose size passes `accept`, by bisection (size grows with
   * quality); undefined if none that was tried passes.
   */
  bestQuality(width: number, index: number, low: number, high: number, accept: (size: number) => boolean): Encoded | undefined {
    let best: Encoded | undefined;
    while (low <= high) {
      const quality = Math.floor((low + high) / 2);
      const encoded = this.encode(width, index, quality);
      if (accept(encoded.jpeg.length)) {
        best = encoded;
        low = quality + 1;
      } else {
        high = quality - 1;
      }
    }
    return best;
  }
}

/**
 * Inserts COM segments (spaces, each segment at most 65535 bytes) right after APP0, or after SOI if there is no
 * APP0, so that the JPEG is exactly `target` bytes; it decodes to the same picture. `target` must be the JPEG's
 * own length or at least 4 bytes more (a COM segment's marker and length), else RangeError.
 */
export function padJpeg(jpeg: Buffer, target: number): Buffer {
  const missing = target - jpeg.length;
  if (missing === 0) return jpeg;
  if (!Number.isInteger(missing) || missing < COM_OVERHEAD) {
    throw new RangeError(`a ${jpeg.length}-byte JPEG can be padded to itself or by 4 bytes or more, not to ${target}`);
  }
  const insertAt = jpeg[2] === 0xff && jpeg[3] === 0xe0 ? 4 + jpeg.readUInt16BE(4) : 2;
  const out = Buffer.allocUnsafeSlow(target);
  jpeg.copy(out, 0, 0, insertAt);
  let at = insertAt;
  // Equal shares, each 4..65535 bytes: ceil(missing / 65535) segments of at least 32767 bytes, or one of >= 4.
  const segments = Math.ceil(missing / COM_MAX_SEGMENT);
  for (let i = 0; i < segments; i++) {
    const size = Math.floor(missing / segments) + (i < missing % segments ? 1 : 0);
    out[at] = 0xff;
    out[at + 1] = 0xfe;
    out.writeUInt16BE(size - 2, at + 2);
    // Spaces: plain text, never 0xFF.
    out.fill(0x20, at + 4, at + size);
    at += size;
  }
  jpeg.copy(out, at, insertAt);
  return out;
}

/**
 * `count` distinct, decodable grayscale JPEG frames (see drawFrame), each exactly `targetBytes` long. The
 * resolution is scaled from a small probe and refined until the first frame lands just below the target at a
 * typical quality, the quality is then fine-tuned, and COM segments make up the last few per cent. A later frame
 * that comes out too big is re-encoded at a lower quality. Deterministic for a given seed.
 */
export function buildFrameImages(options: FrameImageOptions): Buffer[] {
  const { count, targetBytes: target } = options;
  const seed = options.seed ?? 1;
  if (!Number.isInteger(target) || target < MIN_FRAME_BYTES || target > MAX_FRAME_BYTES) {
    throw new RangeError(`frame size must be ${MIN_FRAME_BYTES} to ${MAX_FRAME_BYTES} bytes, got ${target}`);
  }
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`frame count must be a whole number >= 1, got ${count}`);
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);

  const encoder = new FrameEncoder(count, seed);
  // A frame fits if it is the target already or leaves room for at least one COM segment.
  const limit = target - COM_OVERHEAD;
  const fits = (size: number): boolean => size <= limit || size === target;
  // The first frame aims a little lower, so that the others (which differ slightly) fit at the same settings.
  const room = limit - OVERHEAD_BYTES;
  const high = limit - Math.floor(room * 0.01);
  const goal = limit - Math.floor(room * 0.03);
  const low = limit - Math.floor(room * 0.08);
  const belowHigh = (size: number): boolean => size <= high;

  // Resolution: data bytes grow with the pixel count, so rescale the area by the size ratio until the first
  // frame is between low and high (a few steps, the first from a cheap 64×48 probe).
  let first = encoder.encode(64, 0, BASE_QUALITY);
  for (let step = 0; step < 6 && (first.jpeg.length < low || first.jpeg.length > high); step++) {
    const area = first.width * heightFor(first.width);
    const next = widthForArea((area * (goal - OVERHEAD_BYTES)) / Math.max(1, first.jpeg.length - OVERHEAD_BYTES));
    if (next === first.width) break;
    first = encoder.encode(next, 0, BASE_QUALITY);
  }

  // Quality: the width moves in steps of 8 pixels (coarse for small pictures) and stops at MAX_WIDTH.
  if (first.jpeg.length < low) {
    first = encoder.bestQuality(first.width, 0, BASE_QUALITY + 1, 100, belowHigh) ?? first;
  } else if (first.jpeg.length > high) {
    // Too big even at quality 1: fewer pixels, down to the smallest frame, which always fits.
    let width = first.width;
    let tuned: Encoded | undefined;
    while (tuned === undefined && width > MIN_WIDTH) {
      tuned = encoder.bestQuality(width, 0, 1, BASE_QUALITY - 1, belowHigh);
      width = Math.min(width - 8, widthForArea(width * heightFor(width) * 0.6));
    }
    first = tuned ?? encoder.smallest(0);
  }
  if (!fits(first.jpeg.length)) first = encoder.smallest(0);

  const frames = [padJpeg(first.jpeg, target)];
  for (let index = 1; index < count; index++) {
    let frame = encoder.encode(first.width, index, first.quality);
    if (!fits(frame.jpeg.length)) {
      frame = encoder.bestQuality(first.width, index, 1, first.quality - 1, fits) ?? encoder.smallest(index);
    }
    frames.push(padJpeg(frame.jpeg, target));
  }
  return frames;
}
