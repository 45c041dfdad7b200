import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMultipartContentType } from '../../src/mjpeg/content-type.js';
import { MjpegParser, type ParserCounters } from '../../src/mjpeg/mjpeg-parser.js';
import { VECTORS, type Vector } from '../fixtures/mjpeg-vectors.js';

function parse(vector: Vector, pieces: Buffer[]): { counters: ParserCounters; sizes: number[]; parser: MjpegParser } {
  const sizes: number[] = [];
  const boundary = parseMultipartContentType(vector.contentType)?.boundary;
  const parser = new MjpegParser({
    ...(boundary === undefined ? {} : { boundary }),
    now: () => 0,
    onFrame: (size) => sizes.push(size),
  });
  for (const piece of pieces) parser.push(piece);
  parser.end();
  return { counters: { ...parser.counters }, sizes, parser };
}

function splitAt(body: Buffer, offsets: number[]): Buffer[] {
  const pieces: Buffer[] = [];
  let last = 0;
  for (const offset of [...offsets].sort((a, b) => a - b)) {
    pieces.push(body.subarray(last, offset));
    last = offset;
  }
  pieces.push(body.subarray(last));
  return pieces;
}

const summary = (c: ParserCounters) => ({
  frames: c.frames,
  frameBytes: c.frameBytes,
  corruptFrames: c.corruptFrames,
  emptyParts: c.emptyParts,
  nonImageParts: c.nonImageParts,
  truncatedParts: c.truncatedParts,
  bodyBytes: c.bodyBytes,
  lengthMismatches: c.lengthMismatches,
});

describe('multipart parser: field vectors', () => {
  it.each(VECTORS.map((v) => [v.name, v] as const))('%s', (_, vector) => {
    const { counters, sizes, parser } = parse(vector, [vector.body]);
    const e = vector.expected;
    expect(counters.frames).toBe(e.frames);
    expect(counters.corruptFrames).toBe(e.corruptFrames ?? 0);
    expect(counters.emptyParts).toBe(e.emptyParts ?? 0);
    expect(counters.nonImageParts).toBe(e.nonImageParts ?? 0);
    expect(counters.truncatedParts).toBe(e.truncatedParts ?? 0);
    if (e.frameBytes !== undefined) expect(counters.frameBytes).toBe(e.frameBytes);
    expect(counters.lengthMismatches).toBe(e.lengthMismatches ?? 0);
    expect(parser.boundaryMismatch).toEqual(e.boundaryMismatch);
    expect(parser.failure).toBeUndefined();
    expect(sizes).toHaveLength(e.frames);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(counters.frameBytes);
  });

  it.each(VECTORS.map((v) => [v.name, v] as const))('split at every offset, and byte by byte: %s', (_, vector) => {
    const whole = summary(parse(vector, [vector.body]).counters);
    for (let offset = 0; offset <= vector.body.length; offset++) {
      expect(summary(parse(vector, splitAt(vector.body, [offset])).counters)).toEqual(whole);
    }
    const bytes = Array.from({ length: vector.body.length }, (_, i) => vector.body.subarray(i, i + 1));
    expect(summary(parse(vector, bytes).counters)).toEqual(whole);
  });

  it('random seeded partitions give identical counts for every vector', () => {
    fc.assert(
      fc.property(fc.constantFrom(...VECTORS), fc.array(fc.nat(), { maxLength: 40 }), (vector, cuts) => {
        const offsets = cuts.map((c) => c % (vector.body.length + 1));
        expect(summary(parse(vector, splitAt(vector.body, offsets)).counters)).toEqual(summary(parse(vector, [vector.body]).counters));
      }),
      { numRuns: 400, seed: 42 },
    );
  });
});

describe('multipart parser: bad input', () => {
  it('random bytes never throw and never grow memory past the caps', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), fc.boolean(), (bytes, declared) => {
        const parser = new MjpegParser(declared ? { boundary: 'frame', maxHeaderBytes: 1024 } : { maxHeaderBytes: 1024 });
        for (let i = 0; i < bytes.length; i += 97) parser.push(Buffer.from(bytes.subarray(i, i + 97)));
        parser.end();
        expect(parser.bufferedBytes).toBeLessThanOrEqual(1024 + 1024 + 256 + 200);
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  // Changed by "Trust at the edges": oversized headers and parts end the stream with a named failure instead of
  // resyncing silently.
  it('64 KiB of headers with no blank line: counted, PART_HEADERS_TOO_LARGE, input ignored after it', () => {
    const parser = new MjpegParser({ boundary: 'frame' });
    parser.push(Buffer.from(`--frame\r\n${'X-Junk: yes\r\n'.repeat(5000)}`));
    parser.push(Buffer.from('\r\n--frame\r\nContent-Type: image/jpeg\r\nContent-Length: 4\r\n\r\n'));
    parser.push(Buffer.from([0xff, 0xd8, 0xff, 0xd9]));
    parser.push(Buffer.from('\r\n--frame\r\n'));
    expect(parser.counters.oversizedHeaders).toBe(1);
    expect(parser.failure?.code).toBe('PART_HEADERS_TOO_LARGE');
    expect(parser.counters.frames).toBe(0);
    expect(parser.bufferedBytes).toBeLessThan(20 * 1024 + 1024);
  });

  it('a body that never contains the delimiter: capped, counted, PART_TOO_LARGE, bounded', () => {
    const parser = new MjpegParser({ boundary: 'frame', maxPartBytes: 100_000 });
    parser.push(Buffer.from('--frame\r\nContent-Type: image/jpeg\r\n\r\n'));
    const chunk = Buffer.alloc(65_536, 0x41);
    for (let i = 0; i < 10; i++) parser.push(chunk);
    expect(parser.counters.oversizedParts).toBe(1);
    expect(parser.failure?.code).toBe('PART_TOO_LARGE');
    expect(parser.counters.frames).toBe(0);
    expect(parser.bufferedBytes).toBeLessThan(4096);
  });

  it('an HTML page where parts should be: no frames, and the parser gives up', () => {
    const parser = new MjpegParser({ boundary: 'frame' });
    const page = Buffer.from(`<!DOCTYPE html><html><body>${'<p>Login required</p>\n'.repeat(60_000)}</body></html>`);
    for (let i = 0; i < page.length; i += 65_536) parser.push(page.subarray(i, i + 65_536));
    expect(parser.counters.frames).toBe(0);
    expect(parser.failure?.code).toBe('NOT_MULTIPART');
  });

  it('an undeclared body that is not multipart: gives up at once', () => {
    const parser = new MjpegParser();
    parser.push(Buffer.from('<html><body>Error</body></html>\n'));
    expect(parser.failure?.code).toBe('NOT_MULTIPART');
  });

  it('three frames in one chunk, and one frame in a thousand chunks', () => {
    const vector = VECTORS[0];
    if (!vector) throw new Error('no vector');
    expect(parse(vector, [vector.body]).counters.frames).toBe(3);
    const pieces: Buffer[] = [];
    const step = Math.ceil(vector.body.length / 1000);
    for (let i = 0; i < vector.body.length; i += step) pieces.push(vector.body.subarray(i, i + step));
    expect(parse(vector, pieces).counters.frames).toBe(3);
  });

  it('frame events carry the size and the time the last body byte arrived (injected clock)', () => {
    let clock = 100;
    const events: [number, number][] = [];
    const parser = new MjpegParser({ boundary: 'frame', now: () => clock, onFrame: (size, at) => events.push([size, at]) });
    parser.push(Buffer.from('--frame\r\nContent-Length: 4\r\n\r\n'));
    parser.push(Buffer.from([0xff, 0xd8, 0xff, 0xd9]));
    clock = 250;
    // Counted only when the delimiter confirms the length, but timed when the frame arrived.
    expect(events).toEqual([]);
    parser.push(Buffer.from('\r\n--frame\r\nContent-Type: image/jpeg\r\n\r\n'));
    expect(events).toEqual([[4, 100]]);
    parser.push(Buffer.from([0xff, 0xd8, 0xff, 0xd9]));
    clock = 300;
    parser.push(Buffer.from('\r\n--frame\r\n'));
    expect(events).toEqual([
      [4, 100],
      [4, 300],
    ]);
  });
});
