import { encodeGrayscaleJpeg } from './jpeg-encoder.js';
import { seededRandom } from './random.js';

export interface FrameImageOptions {
  count: number;
  targetBytes: number;
  seed?: number;
}

export const MAX_FRAME_BYTES = 8 * 1024 * 1024;
const COM_MAX_PAYLOAD = 65_533;
const SMALLEST = { width: 16, height: 16, quality: 5 };

/** A test pattern: gradient, a bar that moves with `index`, the index drawn as blocks, seeded noise. */
function drawFrame(width: number, height: number, index: number, seed: number): Uint8Array {
  const random = seededRandom(seed * 1_000_003 + index);
  const pixels = new Uint8Array(width * height);
  const barX = Math.floor(((index * 37) % 100) / 100 * width);
  const barWidth = Math.max(2, Math.floor(width / 16));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let value = ((x * 160) / width + (y * 80) / height) | 0;
      if (x >= barX && x < barX + barWidth) value = 235;
      // Noise keeps the compressed size realistic for a camera picture rather than a flat synthetic one.
      value += Math.floor(random() * 48) - 24;
      pixels[y * width + x] = Math.max(0, Math.min(255, value));
    }
  }
  // The frame index in binary, as 8 blocks across the top: a person looking at a frame can tell them apart.
  const cell = Math.max(1, Math.floor(width / 20));
  for (let bit = 0; bit < 8; bit++) {
    const on = (index >> bit) & 1;
    for (let y = cell; y < Math.min(height, cell * 2); y++) {
      for (let x = cell * (2 + bit * 2); x < Math.min(width, cell * (3 + bit * 2)); x++) pixels[y * width + x] = on ? 255 : 0;
    }
  }
  return pixels;
}

function encode(width: number, height: number, quality: number, index: number, seed: number): Buffer {
  return encodeGrayscaleJpeg(drawFrame(width, height, index, seed), width, height, quality);
}

/** Markers and tables: what every frame costs before its first pixel. */
const HEADER_BYTES = encodeGrayscaleJpeg(new Uint8Array(64), 8, 8, 80).length;

export const MIN_FRAME_BYTES = encode(SMALLEST.width, SMALLEST.height, SMALLEST.quality, 0, 0).length + 64;

/** Inserts COM segments after APP0 so the JPEG is exactly `target` bytes and still decodes the same. */
function padTo(jpeg: Buffer, target: number): Buffer {
  let missing = target - jpeg.length;
  if (missing === 0) return jpeg;
  const app0End = 4 + ((jpeg[4] ?? 0) << 8 | (jpeg[5] ?? 0));
  const segments: Buffer[] = [];
  while (missing > 0) {
    // A COM segment costs 4 bytes of marker and length; never leave a remainder too small for one.
    let payload = Math.min(COM_MAX_PAYLOAD, missing - 4);
    if (missing - (payload + 4) > 0 && missing - (payload + 4) < 4) payload -= 4;
    const segment = Buffer.alloc(payload + 4, 0x20);
    segment[0] = 0xff;
    segment[1] = 0xfe;
    segment.writeUInt16BE(payload + 2, 2);
    segments.push(segment);
    missing -= segment.length;
  }
  return Buffer.concat([jpeg.subarray(0, app0End), ...segments, jpeg.subarray(app0End)]);
}

/**
 * `count` distinct real JPEG frames, each exactly `targetBytes` long: the resolution is chosen so the
 * encoded picture lands a little below the target, and COM segments pad it to the exact size.
 */
export function buildFrameImages(options: FrameImageOptions): Buffer[] {
  const { count, targetBytes } = options;
  const seed = options.seed ?? 1;
  if (!Number.isInteger(targetBytes) || targetBytes < MIN_FRAME_BYTES || targetBytes > MAX_FRAME_BYTES) {
    throw new RangeError(`frame size must be ${MIN_FRAME_BYTES} to ${MAX_FRAME_BYTES} bytes, got ${targetBytes}`);
  }
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`frame count must be at least 1, got ${count}`);

  // Aim below the target so that every frame in the set (they differ a little) fits before padding. Entropy-coded
  // bytes grow with the pixel count, so a few rescalings of the area converge.
  const aim = targetBytes * 0.85;
  const quality = 80;
  let width = 160;
  let height = 120;
  for (let i = 0; i < 4; i++) {
    const size = encode(width, height, quality, 0, seed).length;
    const scale = Math.sqrt(Math.max(aim - HEADER_BYTES, 1) / Math.max(size - HEADER_BYTES, 1));
    width = Math.max(16, Math.min(4096, Math.round((width * scale) / 8) * 8));
    height = Math.max(16, Math.round((width * 3) / 4 / 8) * 8);
  }
  const frames: Buffer[] = [];
  for (let index = 0; index < count; index++) {
    let q = quality;
    let w = width;
    let h = height;
    let jpeg = encode(w, h, q, index, seed);
    // Padding needs 0 or at least 4 bytes (one COM segment); bounded: quality, then size, shrink each turn.
    for (let turn = 0; turn < 64 && jpeg.length !== targetBytes && jpeg.length > targetBytes - 4; turn++) {
      if (q > 10) q -= 10;
      else if (w > 16 || h > 16) {
        w = Math.max(16, Math.floor((w * 0.8) / 8) * 8);
        h = Math.max(16, Math.floor((h * 0.8) / 8) * 8);
      } else q = SMALLEST.quality;
      jpeg = encode(w, h, q, index, seed);
    }
    frames.push(padTo(jpeg, targetBytes));
  }
  return frames;
}
