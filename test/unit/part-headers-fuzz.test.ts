import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MjpegParser } from '../../src/mjpeg/mjpeg-parser.js';

// Part headers are input from outside: whatever lines a camera sends before each part (lying or garbage lengths,
// timestamps in any form, duplicates, control characters, very long values), the parser never throws, every part
// ends in exactly one counter or the stream ends with a named failure, and an unreadable timestamp is counted,
// never an age. Fixed seed in CI; FUZZ_RUNS=20000 locally for more.

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x02, 0x03, 0xff, 0xd9]);
const headerValue = fc.oneof(
  fc.constantFrom('16', '-1', '0', '1e9', '9999999999999999999', '', ' 16 ', '16, 16', '0x10', 'NaN', 'abc', '1764783357.123456', '-5', '17'.repeat(9)),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
);
const headerName = fc.oneof(
  fc.constantFrom('Content-Length', 'content-length', 'Content-Type', 'X-Timestamp', 'x-frame-timestamp', 'X-Junk'),
  fc.string({ maxLength: 12 }),
);
const part = fc.record({
  headers: fc.array(fc.tuple(headerName, headerValue), { maxLength: 6 }),
  body: fc.oneof(
    fc.constant(JPEG),
    fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b)),
    fc.constant(Buffer.alloc(0)),
  ),
});

function streamOf(parts: { headers: [string, string][]; body: Buffer }[]): Buffer {
  return Buffer.concat(
    parts.flatMap(({ headers, body }) => [
      Buffer.from(
        `--frame\r\n${headers.map(([name, value]) => `${name.replace(/[\r\n]/g, '')}: ${value.replace(/[\r\n]/g, '')}`).join('\r\n')}\r\n\r\n`,
        'latin1',
      ),
      body,
      Buffer.from('\r\n', 'latin1'),
    ]),
  );
}

describe('part headers from outside', () => {
  it('never throw; every part in exactly one counter, or a named failure; bad timestamps counted, never aged', () => {
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 8 }), fc.array(fc.nat(), { maxLength: 6 }), (parts, cuts) => {
        const body = Buffer.concat([streamOf(parts), Buffer.from('--frame\r\n', 'latin1')]);
        const ages: number[] = [];
        const parser = new MjpegParser({ boundary: 'frame', now: () => 1_000, onFrame: (_size, _at, _repeated, captured) => ages.push(captured) });
        let at = 0;
        for (const cut of [...cuts.map((c) => c % (body.length + 1)).sort((a, b) => a - b), body.length]) {
          parser.push(body.subarray(at, Math.max(at, cut)));
          at = Math.max(at, cut);
        }
        parser.end();
        const c = parser.counters;
        const accounted = c.frames + c.corruptFrames + c.emptyParts + c.nonImageParts + c.truncatedParts + c.oversizedHeaders + c.oversizedParts;
        if (parser.failure) expect(parser.failure.code).toMatch(/^[A-Z_]+$/);
        else expect(accounted).toBe(parts.length);
        for (const captured of ages) expect(Number.isNaN(captured) || Number.isFinite(captured)).toBe(true);
        expect(parser.invalidTimestamps).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 500), seed: 26 },
    );
  });
});
