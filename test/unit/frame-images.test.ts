import fc from 'fast-check';
import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { buildFrameImages, MAX_FRAME_BYTES, MIN_FRAME_BYTES, padJpeg } from '../../src/sim/frame-images.js';
import { encodeGrayscaleJpeg } from '../../src/sim/jpeg-encoder.js';

interface Layout {
  /** Markers from SOI to SOS, in order. */
  markers: number[];
  width: number;
  height: number;
  /** Whole COM segments (marker to end) in the order they appear. */
  comments: Buffer[];
}

/** Walks the marker segments up to SOS; checks SOI and that the file ends with EOI. */
function layout(frame: Buffer): Layout {
  expect([frame[0], frame[1], frame.at(-2), frame.at(-1)]).toEqual([0xff, 0xd8, 0xff, 0xd9]);
  const result: Layout = { markers: [0xd8], width: 0, height: 0, comments: [] };
  let at = 2;
  for (;;) {
    expect(frame[at]).toBe(0xff);
    const marker = frame[at + 1]!;
    const length = frame.readUInt16BE(at + 2);
    result.markers.push(marker);
    if (marker === 0xc0) {
      result.height = frame.readUInt16BE(at + 5);
      result.width = frame.readUInt16BE(at + 7);
    }
    if (marker === 0xfe) result.comments.push(frame.subarray(at, at + 2 + length));
    at += 2 + length;
    if (marker === 0xda) return result;
  }
}

function decode(frame: Buffer): { width: number; height: number; data: Uint8Array } {
  return jpeg.decode(frame, { useTArray: true, formatAsRGBA: false });
}

/** Checks one frame of a set: exact size, well formed, padding only right after APP0, decodes to its SOF size. */
function expectGoodFrame(frame: Buffer, target: number): Layout {
  expect(frame.length).toBe(target);
  const parts = layout(frame);
  const comCount = parts.comments.length;
  expect(parts.markers).toEqual([0xd8, 0xe0, ...Array<number>(comCount).fill(0xfe), 0xdb, 0xc0, 0xc4, 0xc4, 0xda]);
  for (const com of parts.comments) {
    expect(com.length).toBeLessThanOrEqual(65_535);
    expect(com.subarray(4).includes(0xff)).toBe(false);
  }
  const decoded = decode(frame);
  expect([decoded.width, decoded.height]).toEqual([parts.width, parts.height]);
  return parts;
}

const paddingOf = (parts: Layout): number => parts.comments.reduce((sum, com) => sum + com.length, 0);

describe('buildFrameImages', () => {
  it.each([500, 5_000, 20_000, 30_000, 100_000])('%i-byte frames: exact size, decodable, distinct, mostly picture', (target) => {
    const frames = buildFrameImages({ count: 4, targetBytes: target, seed: 3 });
    expect(frames).toHaveLength(4);
    for (const frame of frames) {
      const parts = expectGoodFrame(frame, target);
      // The picture is chosen to land just below the target: padding is the last few per cent.
      expect(paddingOf(parts)).toBeLessThan(target * 0.12);
    }
    expect(new Set(frames.map((f) => f.toString('base64'))).size).toBe(4);
    // Distinct pictures, not just distinct bytes.
    const pictures = frames.map((f) => Buffer.from(decode(f).data).toString('base64'));
    expect(new Set(pictures).size).toBe(4);
  });

  it('1 MB frames are real, larger pictures, exactly 1 MB', () => {
    const frames = buildFrameImages({ count: 2, targetBytes: 1_000_000, seed: 1 });
    for (const frame of frames) {
      const parts = expectGoodFrame(frame, 1_000_000);
      expect(parts.width).toBeGreaterThanOrEqual(1_000);
      expect(paddingOf(parts)).toBeLessThan(100_000);
    }
    expect(frames[0]!.equals(frames[1]!)).toBe(false);
  });

  it('hits every target exactly near the minimum, where a gap of 1 to 3 bytes cannot be padded', () => {
    for (let target = MIN_FRAME_BYTES; target < MIN_FRAME_BYTES + 120; target++) {
      const frames = buildFrameImages({ count: 3, targetBytes: target, seed: target });
      for (const frame of frames) expectGoodFrame(frame, target);
      expect(new Set(frames.map((f) => f.toString('base64'))).size).toBe(3);
    }
  });

  it('keeps 729 frames distinct even at the minimum size', () => {
    const frames = buildFrameImages({ count: 729, targetBytes: MIN_FRAME_BYTES, seed: 5 });
    expect(new Set(frames.map((f) => f.toString('base64'))).size).toBe(729);
    for (const frame of frames.filter((_, i) => i % 50 === 0)) expectGoodFrame(frame, MIN_FRAME_BYTES);
  });

  it('property: any target from the minimum to 60 KB, any seed and count', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: MIN_FRAME_BYTES, max: 60_000 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: -1_000_000, max: 1_000_000 }),
        (target, count, seed) => {
          const frames = buildFrameImages({ count, targetBytes: target, seed });
          expect(frames).toHaveLength(count);
          for (const frame of frames) expectGoodFrame(frame, target);
          expect(new Set(frames.map((f) => f.toString('base64'))).size).toBe(count);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('is deterministic under a seed (default 1) and changes with it', () => {
    const a = Buffer.concat(buildFrameImages({ count: 3, targetBytes: 10_000, seed: 9 }));
    const b = Buffer.concat(buildFrameImages({ count: 3, targetBytes: 10_000, seed: 9 }));
    const c = Buffer.concat(buildFrameImages({ count: 3, targetBytes: 10_000, seed: 10 }));
    expect(a.equals(b)).toBe(true);
    expect(a.equals(c)).toBe(false);
    const byDefault = Buffer.concat(buildFrameImages({ count: 2, targetBytes: 3_000 }));
    expect(byDefault.equals(Buffer.concat(buildFrameImages({ count: 2, targetBytes: 3_000, seed: 1 })))).toBe(true);
  });

  it('builds a start-up set cheaply (10 × 30 KB)', () => {
    const before = process.cpuUsage();
    buildFrameImages({ count: 10, targetBytes: 30_000, seed: 2 });
    // CPU time, which a loaded machine does not stretch as it does wall time: typically 20-80 ms; the bound only
    // catches a regression to brute force.
    const { user, system } = process.cpuUsage(before);
    expect((user + system) / 1000).toBeLessThan(2_000);
  });

  it('has a minimum of a few hundred bytes and an 8 MiB maximum', () => {
    expect(MIN_FRAME_BYTES).toBeGreaterThanOrEqual(340);
    expect(MIN_FRAME_BYTES).toBeLessThanOrEqual(512);
    expect(MAX_FRAME_BYTES).toBe(8 * 1024 * 1024);
  });

  it.each([0, MIN_FRAME_BYTES - 1, MAX_FRAME_BYTES + 1, 9 * 1024 * 1024, 1.5, Number.NaN, Number.POSITIVE_INFINITY])(
    'rejects a target of %d bytes',
    (target) => {
      expect(() => buildFrameImages({ count: 1, targetBytes: target })).toThrow(RangeError);
    },
  );

  it('rejects a count below 1 or fractional', () => {
    for (const count of [0, -1, 1.5]) expect(() => buildFrameImages({ count, targetBytes: 5_000 })).toThrow(RangeError);
  });
});

describe('padJpeg', () => {
  const small = encodeGrayscaleJpeg(
    new Uint8Array(32 * 32).map((_, i) => (i * 5) & 0xff),
    32,
    32,
    80,
  );
  const pixels = decode(small).data;

  it.each([0, 4, 5, 65_535, 65_536, 65_539, 131_070, 131_071, 300_000])('pads by %i bytes with COM segments of at most 65535 bytes', (extra) => {
    const padded = padJpeg(small, small.length + extra);
    const parts = expectGoodFrame(padded, small.length + extra);
    expect(paddingOf(parts)).toBe(extra);
    expect(parts.comments).toHaveLength(Math.ceil(extra / 65_535));
    expect(Buffer.from(decode(padded).data).equals(Buffer.from(pixels))).toBe(true);
  });

  it.each([1, 2, 3, -1, 0.5])('refuses to pad by %d bytes', (extra) => {
    expect(() => padJpeg(small, small.length + extra)).toThrow(RangeError);
  });
});
