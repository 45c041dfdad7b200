import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readTimestamp, type ReadTimestamp, type TimestampUnitSetting } from '../../src/mjpeg/frame-timestamp.js';
import { MjpegParser } from '../../src/mjpeg/mjpeg-parser.js';
import { buildFrameImages } from '../../src/sim/frame-images.js';

function read(text: string, unit: TimestampUnitSetting = 'auto'): ReadTimestamp {
  const out: ReadTimestamp = { ms: 0, unit: 'ms' };
  const bytes = Buffer.from(`pad${text}pad`, 'latin1');
  readTimestamp(bytes, 3, bytes.length - 3, unit, out);
  return out;
}

describe('readTimestamp: a capture time from header bytes', () => {
  it.each([
    // mjpg-streamer and ustreamer: seconds.micros, from the epoch or from the camera's own start.
    ['1764763200.123456', 1764763200123.456, 's'],
    ['  12345.678901 ', 12345678.901, 's'],
    ['0.5', 500, 's'],
    // Integers: milliseconds, or microseconds once too large for milliseconds since 1970.
    ['1764763200123', 1764763200123, 'ms'],
    ['86400000', 86400000, 'ms'],
    ['1764763200123456', 1764763200123.456, 'us'],
    // A fraction on a value too large for seconds: milliseconds with a fraction.
    ['1764763200123.5', 1764763200123.5, 'ms'],
  ])('%j → %d ms (%s)', (text, ms, unit) => {
    const out = read(text);
    expect(out.ms).toBeCloseTo(ms, 3);
    expect(out.unit).toBe(unit);
  });

  it.each([
    ['1764763200', 's', 1764763200000],
    ['1764763200', 'ms', 1764763200],
    ['1764763200123456', 'us', 1764763200123.456],
    ['1.5', 'ms', 1.5],
  ] as const)('a unit given wins over the form: %j in %s', (text, unit, ms) => {
    expect(read(text, unit)).toEqual({ ms, unit });
  });

  it.each(['', '   ', 'abc', '-5', '+5', '1e9', '12.', '.5', '1.2.3', '0x10', '12 34', '1,5', '12345678901234567', '1.1234567890', 'NaN', 'Infinity'])(
    'garbage %j reads as no time (NaN), never a wrong one',
    (text) => {
      expect(read(text).ms).toBeNaN();
    },
  );

  it('any bytes at all: a number or NaN, never a throw, never negative', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        const out: ReadTimestamp = { ms: 0, unit: 'ms' };
        readTimestamp(Buffer.from(bytes), 0, bytes.length, 'auto', out);
        expect(Number.isNaN(out.ms) || out.ms >= 0).toBe(true);
      }),
    );
  });

  it('seconds.micros round-trips to the microsecond for any time this century', () => {
    fc.assert(
      fc.property(fc.integer({ min: 946_684_800, max: 4_102_444_800 }), fc.integer({ min: 0, max: 999_999 }), (seconds, micros) => {
        const out = read(`${seconds}.${String(micros).padStart(6, '0')}`);
        expect(Math.abs(out.ms - (seconds * 1000 + micros / 1000))).toBeLessThan(0.001);
      }),
    );
  });
});

/** Frames through the parser, with the capture time each was given and whether it repeated the one before. */
function framesOf(body: string, options: ConstructorParameters<typeof MjpegParser>[0] = {}): { captured: number[]; repeated: boolean[]; parser: MjpegParser } {
  const captured: number[] = [];
  const repeated: boolean[] = [];
  const parser = new MjpegParser({
    boundary: 'frame',
    ...options,
    onFrame: (_size, _at, repeat, capturedMs) => {
      captured.push(capturedMs);
      repeated.push(repeat);
    },
  });
  parser.push(Buffer.from(body, 'latin1'));
  parser.end();
  return { captured, repeated, parser };
}

const JPEG_A = '\xff\xd8picture A\xff\xd9';
const JPEG_B = '\xff\xd8picture B\xff\xd9';
const part = (headers: string, jpeg = JPEG_A): string => `--frame\r\nContent-Type: image/jpeg\r\n${headers}\r\n${jpeg}\r\n`;

describe("the parser reads each part's capture time", () => {
  it('X-Timestamp and X-Frame-Timestamp, any case; a part without one has NaN', () => {
    const { captured, parser } = framesOf(
      part('X-Timestamp: 1764763200.250000\r\n') +
        part('x-frame-timestamp: 1764763200500\r\n') +
        part('') +
        part('X-TIMESTAMP: 1764763201.000000\r\n') +
        '--frame--\r\n',
    );
    expect(captured.slice(0, 2)).toEqual([1764763200250, 1764763200500]);
    expect(captured[2]).toBeNaN();
    expect(captured[3]).toBe(1764763201000);
    expect(parser.timestampSource).toEqual({ header: 'X-Timestamp', unit: 's' });
    expect(parser.invalidTimestamps).toBe(0);
  });

  it('garbage values are counted and ignored; the first readable header of a part wins', () => {
    const { captured, parser } = framesOf(
      part('X-Timestamp: soon\r\n') + part('X-Timestamp: \r\nX-Frame-Timestamp: 1000\r\n') + part('X-Timestamp: 2.5\r\nX-Timestamp: 9.0\r\n'),
    );
    expect(captured[0]).toBeNaN();
    expect(captured.slice(1)).toEqual([1000, 2500]);
    expect(parser.invalidTimestamps).toBe(2);
  });

  it('--timestamp-header: only the header named, in the unit named', () => {
    const options = { timestampHeaders: { names: ['X-Capture-Time'], unit: 'us' as const } };
    const { captured, parser } = framesOf(part('X-Timestamp: 5.0\r\nX-Capture-Time: 2000000\r\n') + part('X-Timestamp: 5.0\r\n'), options);
    expect(captured[0]).toBe(2000);
    expect(captured[1]).toBeNaN();
    expect(parser.timestampSource).toEqual({ header: 'X-Capture-Time', unit: 'us' });
  });

  it('a header split across chunks is read whole', () => {
    const captured: number[] = [];
    const parser = new MjpegParser({ boundary: 'frame', onFrame: (_s, _a, _f, ms) => captured.push(ms) });
    const body = Buffer.from(part('X-Timestamp: 1764763200.123456\r\n') + part('X-Timestamp: 1764763200.323456\r\n'), 'latin1');
    for (let i = 0; i < body.length; i += 3) parser.push(body.subarray(i, i + 3));
    parser.end();
    expect(captured[0]).toBeCloseTo(1764763200123.456, 3);
    expect(captured[1]).toBeCloseTo(1764763200323.456, 3);
  });

  it('equal pictures repeat and different ones of the same length do not, however the bytes are chunked', () => {
    expect(framesOf(part('', JPEG_A) + part('', JPEG_A) + part('', JPEG_B)).repeated).toEqual([false, true, false]);
    const repeated: boolean[] = [];
    const parser = new MjpegParser({ boundary: 'frame', onFrame: (_size, _at, repeat) => repeated.push(repeat) });
    parser.push(Buffer.from(part('', JPEG_A), 'latin1'));
    const body = Buffer.from(part('', JPEG_A) + part('', JPEG_B), 'latin1');
    for (let i = 0; i < body.length; i += 5) parser.push(body.subarray(i, i + 5));
    parser.end();
    expect(repeated).toEqual([false, true, false]);
  });
});

describe('the fingerprint does not depend on how the bytes were chunked', () => {
  const frames = buildFrameImages({ count: 3, targetBytes: 20_000, seed: 2 });
  const stream = (withLength: boolean): Buffer =>
    Buffer.concat(
      [0, 1, 1, 2].flatMap((i) => {
        const frame = frames[i] as Buffer;
        const headers = `--frame\r\nContent-Type: image/jpeg\r\n${withLength ? `Content-Length: ${frame.length}\r\n` : ''}\r\n`;
        return [Buffer.from(headers, 'latin1'), frame, Buffer.from('\r\n', 'latin1')];
      }),
    );

  it('any cut of a stream of real JPEGs, with or without Content-Length: the repeat, and only it, is told', () => {
    for (const withLength of [true, false]) {
      const body = stream(withLength);
      // Cuts anywhere, and cuts within a few bytes of a delimiter: where the body's end is taken back.
      const delimiters: number[] = [];
      for (let at = body.indexOf('--frame'); at !== -1; at = body.indexOf('--frame', at + 1)) delimiters.push(at);
      const nearDelimiter = fc.tuple(fc.constantFrom(...delimiters), fc.integer({ min: -6, max: 10 })).map(([at, offset]) => Math.max(1, at + offset));
      fc.assert(
        fc.property(fc.array(fc.oneof(fc.integer({ min: 1, max: body.length - 1 }), nearDelimiter), { maxLength: 30 }), (cuts) => {
          const repeated: boolean[] = [];
          const parser = new MjpegParser({ boundary: 'frame', onFrame: (_size, _at, repeat) => repeated.push(repeat) });
          const points = [0, ...new Set(cuts)].sort((a, b) => a - b);
          points.forEach((from, k) => {
            parser.push(body.subarray(from, points[k + 1] ?? body.length));
          });
          parser.end();
          expect(repeated).toEqual([false, false, true, false]);
        }),
        { numRuns: 200 },
      );
    }
  });
});

describe('repeats told the same way whatever the chunking', () => {
  const real = buildFrameImages({ count: 2, targetBytes: 3_000, seed: 9 });
  const tiny = (text: string): Buffer => Buffer.from(`\xff\xd8${text}\xff\xd9`, 'latin1');
  // A thumbnail's EOI inside the body (EXIF), and one picture padded past the EOI (never fingerprinted: no repeat).
  const withInnerEoi = Buffer.concat([
    Buffer.from('\xff\xd8', 'latin1'),
    Buffer.alloc(300, 5),
    Buffer.from('thumb\xff\xd9', 'latin1'),
    Buffer.alloc(100, 7),
    Buffer.from('\xff\xd9', 'latin1'),
  ]);
  const padded = Buffer.concat([real[0] as Buffer, Buffer.alloc(40, 0)]);
  const bodies: readonly Buffer[] = [real[0] as Buffer, real[1] as Buffer, tiny('a'), tiny('b'), withInnerEoi, padded];

  it("a cut just after a thumbnail's EOI inside the body: the frame is still fingerprinted by its own EOI", () => {
    const part = Buffer.concat([Buffer.from('--frame\r\nContent-Type: image/jpeg\r\n\r\n', 'latin1'), withInnerEoi, Buffer.from('\r\n', 'latin1')]);
    const cutAt = part.indexOf('thumb') + 'thumb'.length + 2;
    for (const cutFirst of [true, false]) {
      const seen: boolean[] = [];
      const parser = new MjpegParser({ boundary: 'frame', onFrame: (_s, _a, repeated) => seen.push(repeated) });
      const [first, second] = cutFirst ? [[part.subarray(0, cutAt), part.subarray(cutAt)], [part]] : [[part], [part.subarray(0, cutAt), part.subarray(cutAt)]];
      for (const chunk of [...first, ...second, Buffer.from('--frame--\r\n', 'latin1')]) parser.push(chunk);
      parser.end();
      expect(seen).toEqual([false, true]);
    }
  });

  it("any sequence of pictures, cut anywhere: a frame repeats exactly when its bytes equal the previous frame's", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: bodies.length - 1 }), { minLength: 2, maxLength: 12 }),
        fc.boolean(),
        fc.array(fc.integer({ min: 1, max: 40_000 }), { maxLength: 25 }),
        (sequence, withLength, cuts) => {
          const wire = Buffer.concat(
            sequence.flatMap((i) => {
              const body = bodies[i] as Buffer;
              const headers = `--frame\r\nContent-Type: image/jpeg\r\n${withLength ? `Content-Length: ${body.length}\r\n` : ''}\r\n`;
              return [Buffer.from(headers, 'latin1'), body, Buffer.from('\r\n', 'latin1')];
            }),
          );
          const seen: boolean[] = [];
          const parser = new MjpegParser({ boundary: 'frame', onFrame: (_s, _a, repeated) => seen.push(repeated) });
          const points = [0, ...new Set(cuts.filter((c) => c < wire.length))].sort((a, b) => a - b);
          points.forEach((from, k) => {
            parser.push(wire.subarray(from, points[k + 1] ?? wire.length));
          });
          parser.end();
          const expected = sequence.map((i, k) => k > 0 && i === sequence[k - 1] && bodies[i] !== padded);
          expect(seen).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
