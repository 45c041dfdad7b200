import fc from 'fast-check';
import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { buildFrameImages, MIN_FRAME_BYTES } from '../../src/sim/frame-images.js';
import { encodeGrayscaleJpeg } from '../../src/sim/jpeg-encoder.js';

function decodeGray(buffer: Buffer): { width: number; height: number; gray: (i: number) => number } {
  const image = jpeg.decode(buffer, { useTArray: true, formatAsRGBA: true });
  return { width: image.width, height: image.height, gray: (i) => image.data[i * 4] ?? -1 };
}

describe('baseline JPEG encoder', () => {
  it('encodes a picture that decodes to the same size and close to the same pixels', () => {
    const width = 100;
    const height = 75;
    const pixels = new Uint8Array(width * height);
    for (let i = 0; i < pixels.length; i++) pixels[i] = ((i % width) * 2 + Math.floor(i / width)) & 0xff;
    const encoded = encodeGrayscaleJpeg(pixels, width, height, 90);
    expect([encoded[0], encoded[1], encoded.at(-2), encoded.at(-1)]).toEqual([0xff, 0xd8, 0xff, 0xd9]);
    const decoded = decodeGray(encoded);
    expect([decoded.width, decoded.height]).toEqual([width, height]);
    let error = 0;
    for (let i = 0; i < pixels.length; i++) error += Math.abs(decoded.gray(i) - (pixels[i] ?? 0));
    expect(error / pixels.length).toBeLessThan(3);
  });

  it('lower quality gives smaller files', () => {
    const pixels = new Uint8Array(64 * 64).map((_, i) => (i * 7) & 0xff);
    expect(encodeGrayscaleJpeg(pixels, 64, 64, 30).length).toBeLessThan(encodeGrayscaleJpeg(pixels, 64, 64, 95).length);
  });

  it('stuffs 0xFF bytes correctly: random pictures of any size always decode', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 100 }),
        fc.integer(),
        (width, height, quality, seed) => {
          let state = seed >>> 0;
          const pixels = new Uint8Array(width * height).map(() => (state = (state * 1_103_515_245 + 12_345) >>> 0) >>> 24);
          const decoded = decodeGray(encodeGrayscaleJpeg(pixels, width, height, quality));
          expect([decoded.width, decoded.height]).toEqual([width, height]);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('rejects impossible dimensions', () => {
    expect(() => encodeGrayscaleJpeg(new Uint8Array(0), 0, 8, 50)).toThrow(RangeError);
    expect(() => encodeGrayscaleJpeg(new Uint8Array(4), 8, 8, 50)).toThrow(RangeError);
  });
});

describe('frame images', () => {
  it.each([MIN_FRAME_BYTES, 500, 5_000, 20_000, 30_000, 100_000])('%i-byte frames: exact size, distinct, decodable', (size) => {
    const frames = buildFrameImages({ count: 4, targetBytes: size, seed: 3 });
    expect(frames).toHaveLength(4);
    for (const frame of frames) {
      expect(frame.length).toBe(size);
      expect([frame[0], frame[1], frame.at(-2), frame.at(-1)]).toEqual([0xff, 0xd8, 0xff, 0xd9]);
      expect(decodeGray(frame).width).toBeGreaterThan(0);
    }
    expect(new Set(frames.map((f) => f.toString('base64'))).size).toBe(4);
  });

  it('1 MB frames are real pictures too, not mostly padding', () => {
    const [frame] = buildFrameImages({ count: 1, targetBytes: 1_000_000 });
    expect(frame?.length).toBe(1_000_000);
    expect(decodeGray(frame ?? Buffer.alloc(0)).width).toBeGreaterThanOrEqual(1_000);
  });

  it('is deterministic under a seed', () => {
    const a = buildFrameImages({ count: 2, targetBytes: 10_000, seed: 9 });
    const b = buildFrameImages({ count: 2, targetBytes: 10_000, seed: 9 });
    const c = buildFrameImages({ count: 2, targetBytes: 10_000, seed: 10 });
    expect(Buffer.concat(a).equals(Buffer.concat(b))).toBe(true);
    expect(Buffer.concat(a).equals(Buffer.concat(c))).toBe(false);
  });

  it.each([0, MIN_FRAME_BYTES - 1, 9 * 1024 * 1024, 1.5])('rejects a target of %d bytes', (size) => {
    expect(() => buildFrameImages({ count: 1, targetBytes: size })).toThrow(RangeError);
  });
});
