import fc from 'fast-check';
import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { encodeGrayscaleJpeg } from '../../src/sim/jpeg-encoder.js';

interface Segment {
  marker: number;
  /** Offset of the 0xFF of the marker. */
  offset: number;
  /** Value of the length field (0 for SOI). */
  length: number;
}

/** The marker segments from SOI to SOS, and where the entropy-coded data starts. */
function segments(buffer: Buffer): { list: Segment[]; dataStart: number } {
  const list: Segment[] = [{ marker: 0xd8, offset: 0, length: 0 }];
  let at = 2;
  for (;;) {
    expect(buffer[at]).toBe(0xff);
    const marker = buffer[at + 1] ?? -1;
    const length = buffer.readUInt16BE(at + 2);
    list.push({ marker, offset: at, length });
    at += 2 + length;
    if (marker === 0xda) return { list, dataStart: at };
  }
}

/** Decodes to one grey byte per pixel (jpeg-js gives RGB with R = G = B for a one-component image). */
function decodeGray(buffer: Buffer): { width: number; height: number; gray: Uint8Array } {
  const image = jpeg.decode(buffer, { useTArray: true, formatAsRGBA: false });
  const gray = new Uint8Array(image.width * image.height);
  for (let i = 0; i < gray.length; i++) gray[i] = image.data[i * 3]!;
  return { width: image.width, height: image.height, gray };
}

function meanAbsError(a: Uint8Array, b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

/** A smooth picture with a little seeded noise, like a camera's. */
function picture(width: number, height: number, noise = 8, seed = 1): Uint8Array {
  let state = seed >>> 0 || 1;
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
      const value = 40 + (160 * x) / width + (40 * y) / height + ((state >>> 24) % (2 * noise + 1)) - noise;
      pixels[y * width + x] = Math.max(0, Math.min(255, Math.round(value)));
    }
  }
  return pixels;
}

/** Every 0xFF in the entropy-coded data must be a stuffed 0xFF 0x00; the file ends with EOI and nothing else. */
function expectStuffed(buffer: Buffer): number {
  const { dataStart } = segments(buffer);
  const end = buffer.length - 2;
  expect([buffer[end], buffer[end + 1]]).toEqual([0xff, 0xd9]);
  let stuffed = 0;
  for (let i = dataStart; i < end; i++) {
    if (buffer[i] !== 0xff) continue;
    expect(buffer[i + 1], `byte after 0xFF at ${i}`).toBe(0x00);
    stuffed++;
    i++;
  }
  return stuffed;
}

describe('encodeGrayscaleJpeg', () => {
  it('writes SOI, JFIF APP0, DQT, baseline SOF0 (8-bit, one component, declared size), two DHTs, SOS ... EOI', () => {
    const out = encodeGrayscaleJpeg(picture(40, 24), 40, 24, 75);
    expect([out[0], out[1], out.at(-2), out.at(-1)]).toEqual([0xff, 0xd8, 0xff, 0xd9]);
    const { list } = segments(out);
    expect(list.map((s) => s.marker)).toEqual([0xd8, 0xe0, 0xdb, 0xc0, 0xc4, 0xc4, 0xda]);
    const app0 = list[1]!.offset;
    expect(out.subarray(app0 + 4, app0 + 9).toString('latin1')).toBe('JFIF\0');
    const sof = list[3]!.offset;
    // Precision, height, width, component count, component 1: 1×1 sampling, quantisation table 0.
    expect([...out.subarray(sof + 4, sof + 13)]).toEqual([8, 0, 24, 0, 40, 1, 1, 0x11, 0]);
    expect(list[3]!.length).toBe(11);
    // DC table 0 (12 symbols), AC table 0 (162 symbols): the Annex K luminance tables.
    expect(list[4]!.length).toBe(2 + 1 + 16 + 12);
    expect(list[5]!.length).toBe(2 + 1 + 16 + 162);
    expect(out[list[4]!.offset + 4]).toBe(0x00);
    expect(out[list[5]!.offset + 4]).toBe(0x10);
  });

  it('uses the Annex K luminance table at quality 50, scaled (IJG) for other qualities', () => {
    const dqt = (quality: number): number[] => {
      const out = encodeGrayscaleJpeg(new Uint8Array(64), 8, 8, quality);
      const at = segments(out).list[2]!.offset;
      expect(out[at + 4]).toBe(0x00); // 8-bit table 0
      return [...out.subarray(at + 5, at + 5 + 64)];
    };
    // Zigzag order: the first entries of K.1 are 16, 11, 12, 14, 12, 10, 16, 14 ...
    expect(dqt(50).slice(0, 8)).toEqual([16, 11, 12, 14, 12, 10, 16, 14]);
    expect(dqt(50).at(-1)).toBe(99);
    expect(dqt(100).every((q) => q === 1)).toBe(true);
    expect(dqt(1).every((q) => q === 255)).toBe(true);
    expect(dqt(90).slice(0, 3)).toEqual([3, 2, 2]);
    expect(dqt(25)[0]).toBe(32);
  });

  it('decodes (jpeg-js) to the declared size and close to the source pixels at quality 90', () => {
    for (const [width, height] of [
      [96, 72],
      [101, 77],
      [8, 8],
      [1, 1],
      [13, 300],
    ] as const) {
      const pixels = picture(width, height);
      const out = encodeGrayscaleJpeg(pixels, width, height, 90);
      const decoded = decodeGray(out);
      expect([decoded.width, decoded.height]).toEqual([width, height]);
      expect(meanAbsError(decoded.gray, pixels), `${width}×${height}`).toBeLessThan(3);
    }
  });

  it('is exact enough at quality 100 and still recognisable at quality 10', () => {
    const pixels = picture(64, 48, 0);
    expect(meanAbsError(decodeGray(encodeGrayscaleJpeg(pixels, 64, 48, 100)).gray, pixels)).toBeLessThan(1);
    expect(meanAbsError(decodeGray(encodeGrayscaleJpeg(pixels, 64, 48, 10)).gray, pixels)).toBeLessThan(6);
  });

  it('handles flat black, flat white and full-contrast checkerboards (the largest coefficients)', () => {
    const black = new Uint8Array(16 * 16);
    const white = new Uint8Array(16 * 16).fill(255);
    const checker = new Uint8Array(16 * 16).map((_, i) => (((i % 16) + Math.floor(i / 16)) % 2 ? 255 : 0));
    const stripes = new Uint8Array(16 * 16).map((_, i) => (Math.floor(i / 16) % 2 ? 255 : 0));
    for (const pixels of [black, white, checker, stripes]) {
      for (const quality of [1, 50, 100]) {
        const decoded = decodeGray(encodeGrayscaleJpeg(pixels, 16, 16, quality));
        expect([decoded.width, decoded.height]).toEqual([16, 16]);
        if (quality === 100) expect(meanAbsError(decoded.gray, pixels)).toBeLessThan(2);
      }
    }
  });

  it('gives smaller files at lower quality', () => {
    const pixels = picture(128, 96, 20);
    const sizes = [10, 30, 50, 75, 90, 100].map((quality) => encodeGrayscaleJpeg(pixels, 128, 96, quality).length);
    for (let i = 1; i < sizes.length; i++) expect(sizes[i]).toBeGreaterThan(sizes[i - 1]!);
  });

  it('is deterministic and does not touch its input', () => {
    const pixels = picture(50, 30, 30);
    const copy = pixels.slice();
    const a = encodeGrayscaleJpeg(pixels, 50, 30, 80);
    const b = encodeGrayscaleJpeg(pixels, 50, 30, 80);
    expect(a.equals(b)).toBe(true);
    expect(pixels).toEqual(copy);
  });

  it('stuffs every 0xFF in the entropy-coded data (noise at quality 100 produces many)', () => {
    let state = 7;
    const noise = new Uint8Array(256 * 64).map(() => (state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0) >>> 24);
    const out = encodeGrayscaleJpeg(noise, 256, 64, 100);
    expect(expectStuffed(out)).toBeGreaterThan(10);
    const decoded = decodeGray(out);
    expect(meanAbsError(decoded.gray, noise)).toBeLessThan(2);
  });

  it('property: any picture, size and quality gives a well-formed JPEG that decodes to its size', () => {
    const input = fc
      .record({ width: fc.integer({ min: 1, max: 48 }), height: fc.integer({ min: 1, max: 48 }), quality: fc.integer({ min: 1, max: 100 }) })
      .chain((shape) =>
        fc.record({
          shape: fc.constant(shape),
          pixels: fc.oneof(
            fc.uint8Array({ minLength: shape.width * shape.height, maxLength: shape.width * shape.height }),
            // Mostly extremes: the largest coefficients and long codes.
            fc
              .array(fc.constantFrom(0, 255, 254, 1, 128), { minLength: shape.width * shape.height, maxLength: shape.width * shape.height })
              .map((values) => Uint8Array.from(values)),
          ),
        }),
      );
    fc.assert(
      fc.property(input, ({ shape, pixels }) => {
        const out = encodeGrayscaleJpeg(pixels, shape.width, shape.height, shape.quality);
        expectStuffed(out);
        const decoded = decodeGray(out);
        expect([decoded.width, decoded.height]).toEqual([shape.width, shape.height]);
        if (shape.quality === 100) expect(meanAbsError(decoded.gray, pixels)).toBeLessThan(3);
      }),
      { numRuns: 200 },
    );
  });

  it('rejects impossible sizes, short pixel buffers and qualities outside 1..100', () => {
    expect(() => encodeGrayscaleJpeg(new Uint8Array(0), 0, 8, 50)).toThrow(RangeError);
    expect(() => encodeGrayscaleJpeg(new Uint8Array(64), 8, 0, 50)).toThrow(RangeError);
    expect(() => encodeGrayscaleJpeg(new Uint8Array(64), 7.5, 8, 50)).toThrow(RangeError);
    expect(() => encodeGrayscaleJpeg(new Uint8Array(65_536), 65_536, 1, 50)).toThrow(RangeError);
    expect(() => encodeGrayscaleJpeg(new Uint8Array(63), 8, 8, 50)).toThrow(RangeError);
    for (const quality of [0, 101, Number.NaN, -5]) {
      expect(() => encodeGrayscaleJpeg(new Uint8Array(64), 8, 8, quality)).toThrow(RangeError);
    }
    // Fractional qualities are rounded.
    expect(encodeGrayscaleJpeg(new Uint8Array(64), 8, 8, 49.6).equals(encodeGrayscaleJpeg(new Uint8Array(64), 8, 8, 50))).toBe(true);
  });
});
