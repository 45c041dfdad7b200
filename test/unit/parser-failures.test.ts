import { describe, expect, it } from 'vitest';
import { GIVE_UP_BYTES, MjpegParser, type ParserProblemKind } from '../../src/mjpeg/mjpeg-parser.js';
import { jpegBytes } from '../fixtures/mjpeg-vectors.js';

const b = (text: string): Buffer => Buffer.from(text, 'latin1');
const JPEG = jpegBytes(600);

function feed(parser: MjpegParser, ...pieces: (Buffer | string)[]): MjpegParser {
  for (const piece of pieces) parser.push(typeof piece === 'string' ? b(piece) : piece);
  return parser;
}

/** `bytes` of text without a delimiter, pushed in 64 KiB chunks. */
function pushText(parser: MjpegParser, bytes: number): void {
  const chunk = b('<p>Login required</p>\n'.repeat(3000)).subarray(0, 65_536);
  for (let sent = 0; sent < bytes; sent += chunk.length) parser.push(chunk.subarray(0, Math.min(chunk.length, bytes - sent)));
}

describe('no delimiter: NOT_MULTIPART, naming the declared delimiter', () => {
  it('past 1 MiB, before the stream ends', () => {
    const parser = new MjpegParser({ boundary: 'frame' });
    pushText(parser, GIVE_UP_BYTES);
    expect(parser.failure).toBeUndefined();
    pushText(parser, 1);
    expect(parser.failure?.code).toBe('NOT_MULTIPART');
    expect(parser.failure?.message).toContain("'--frame'");
  });

  it('a delimiter that ends right at 1 MiB still counts', () => {
    const parser = new MjpegParser({ boundary: 'frame' });
    pushText(parser, GIVE_UP_BYTES - '--frame'.length);
    feed(parser, '--frame\r\n\r\n', JPEG, '\r\n--frame\r\n');
    expect(parser.failure).toBeUndefined();
    expect(parser.counters.frames).toBe(1);
  });

  it('a short body that ends without one fails at end(), and not when we stopped reading', () => {
    const ended = feed(new MjpegParser({ boundary: 'frame' }), '<html>Error</html>\r\n');
    ended.end();
    expect(ended.failure?.code).toBe('NOT_MULTIPART');
    const stopped = feed(new MjpegParser({ boundary: 'frame' }), '<html>Error</html>\r\n');
    stopped.stop();
    expect(stopped.failure).toBeUndefined();
  });

  it('blank lines only, or nothing: no part and no failure', () => {
    const parser = feed(new MjpegParser({ boundary: 'frame' }), '\r\n\r\n  \r\n');
    parser.end();
    expect(parser.failure).toBeUndefined();
    expect(new MjpegParser().failure).toBeUndefined();
  });
});

describe('declared boundary not used by the body', () => {
  it('the body opens with another delimiter line: followed, counted, named', () => {
    let clock = 0;
    const frames: number[] = [];
    const parser = new MjpegParser({ boundary: 'frame', now: () => clock, onFrame: (_, at) => frames.push(at) });
    feed(parser, '--other\r\nContent-Type: image/jpeg\r\n\r\n', JPEG.subarray(0, 100));
    clock = 5;
    feed(parser, JPEG.subarray(100), '\r\n--other\r\nContent-Type: image/jpeg\r\n\r\n', JPEG, '\r\n--other--\r\n');
    expect(parser.boundaryMismatch).toEqual({ declared: 'frame', found: 'other' });
    expect(parser.counters.frames).toBe(2);
    expect(frames).toEqual([5, 5]);
    expect(parser.failure).toBeUndefined();
  });

  it('a first line that starts with -- but is no delimiter line, and no declared delimiter: BOUNDARY_MISMATCH naming both', () => {
    const parser = feed(new MjpegParser({ boundary: 'frame' }), '-- not a delimiter line\r\nContent-Type: image/jpeg\r\n\r\n', JPEG);
    expect(parser.failure).toBeUndefined();
    parser.end();
    expect(parser.failure?.code).toBe('BOUNDARY_MISMATCH');
    expect(parser.failure?.message).toContain("'frame'");
    expect(parser.failure?.message).toContain("'-- not a delimiter line'");
    const long = feed(new MjpegParser({ boundary: 'frame' }), '-- not a delimiter line\r\n');
    pushText(long, GIVE_UP_BYTES);
    expect(long.failure?.code).toBe('BOUNDARY_MISMATCH');
  });

  it('while the first KiB is collected, memory stays bounded', () => {
    const parser = feed(new MjpegParser({ boundary: 'frame', maxHeaderBytes: 1024 }), '--oth');
    expect(parser.bufferedBytes).toBeLessThanOrEqual(1024 + 1024 + 256 + 200);
    parser.end();
    expect(parser.boundaryMismatch).toBeUndefined();
    expect(parser.failure?.code).toBe('BOUNDARY_MISMATCH');
  });
});

describe('parts past their bounds end the stream with a named failure', () => {
  it('delimiter lines repeated forever: PART_HEADERS_TOO_LARGE', () => {
    const parser = new MjpegParser({ boundary: 'frame', maxHeaderBytes: 1024 });
    for (let i = 0; i < 200 && !parser.failure; i++) feed(parser, '--frame\r\n');
    expect(parser.failure?.code).toBe('PART_HEADERS_TOO_LARGE');
    expect(parser.counters.oversizedHeaders).toBe(1);
  });

  it('a delimiter line that never ends: PART_HEADERS_TOO_LARGE', () => {
    const parser = feed(new MjpegParser({ boundary: 'frame', maxHeaderBytes: 1024 }), '--frame-', 'x'.repeat(2000));
    expect(parser.failure?.code).toBe('PART_HEADERS_TOO_LARGE');
  });

  it('input after a failure is ignored, and end() after it changes nothing', () => {
    const parser = feed(new MjpegParser({ boundary: 'frame', maxPartBytes: 1000 }), '--frame\r\n\r\n', Buffer.alloc(2000, 0x41));
    expect(parser.failure?.code).toBe('PART_TOO_LARGE');
    const before = { ...parser.counters };
    feed(parser, '\r\n--frame\r\n\r\n', JPEG, '\r\n--frame\r\n');
    parser.end();
    parser.end();
    expect(parser.counters).toEqual(before);
    expect(parser.failure?.code).toBe('PART_TOO_LARGE');
  });
});

describe('Content-Length checked against the delimiter', () => {
  it('honest: timed when the last byte arrived; a lie: when the delimiter did, and reported', () => {
    let clock = 0;
    const events: [number, number][] = [];
    const problems: ParserProblemKind[] = [];
    const parser = new MjpegParser({
      boundary: 'frame',
      now: () => clock,
      onFrame: (size, at) => events.push([size, at]),
      onProblem: (kind) => problems.push(kind),
    });
    // Each part's body at an even time, the line end after it at the odd time, its delimiter with the next part.
    for (const declared of [JPEG.length, JPEG.length + 50, JPEG.length - 50]) {
      clock += 1;
      feed(parser, `--frame\r\nContent-Length: ${declared}\r\n\r\n`, JPEG);
      clock += 1;
      feed(parser, '\r\n');
    }
    clock += 1;
    feed(parser, '--frame--\r\n');
    expect(events).toEqual([
      [600, 1],
      [600, 5],
      [600, 7],
    ]);
    expect(parser.counters.lengthMismatches).toBe(2);
    expect(problems).toEqual(['length-mismatch', 'length-mismatch']);
  });

  // Why a body is searched even when its length ends at a delimiter (docs/parser.md): ffmpeg's mpjpeg demuxer reads
  // this stream as two pictures, Chromium as three; counting what the server sent between delimiters, it is three.
  it('a length that covers the next part and ends right before a later delimiter: every part counted, the lie too', () => {
    const next = b('\r\n--frame\r\nContent-Type: image/jpeg\r\nContent-Length: 600\r\n\r\n');
    const covering = b(`--frame\r\nContent-Length: ${2 * JPEG.length + next.length}\r\n\r\n`);
    const stream = Buffer.concat([covering, JPEG, next, JPEG, next, JPEG, b('\r\n--frame\r\n')]);
    // Whole, and cut inside the covering length, at its end (1293) and inside the delimiter after it.
    for (const cuts of [[], [200, 640, 700, 1293, 1297, 1900, 2020]]) {
      const parser = new MjpegParser({ boundary: 'frame' });
      let at = 0;
      for (const cut of [...cuts, stream.length]) {
        feed(parser, stream.subarray(at, cut));
        at = cut;
      }
      expect(parser.counters.frames).toBe(3);
      expect(parser.counters.frameBytes).toBe(3 * JPEG.length);
      expect(parser.counters.lengthMismatches).toBe(1);
    }
  });

  it('header lines cut off by a delimiter line: a truncated part', () => {
    const parser = feed(new MjpegParser({ boundary: 'frame' }), '--frame\r\nContent-Type: image/jpeg\r\n--frame\r\n\r\n', JPEG, '\r\n--frame\r\n');
    expect(parser.counters.truncatedParts).toBe(1);
    expect(parser.counters.frames).toBe(1);
  });
});
