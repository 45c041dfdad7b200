import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sniffBoundary } from '../../src/mjpeg/content-type.js';
import { GIVE_UP_BYTES, MjpegParser, type ParserCounters } from '../../src/mjpeg/mjpeg-parser.js';
import { cut, streamArb } from './multipart-stream-arbitrary.js';

const partsCounted = (c: ParserCounters): number => c.frames + c.corruptFrames + c.emptyParts + c.nonImageParts + c.truncatedParts;

describe('exact accounting over generated streams', () => {
  it('every part ends in exactly one counter, frames are the whole-JPEG image parts, every lie is counted', () => {
    fc.assert(
      fc.property(streamArb, fc.array(fc.nat(), { maxLength: 30 }), (stream, offsets) => {
        const parser = new MjpegParser({ ...(stream.declared === undefined ? {} : { boundary: stream.declared }), now: () => 0 });
        for (const piece of cut(stream.bytes, offsets)) parser.push(piece);
        parser.end();
        const c = parser.counters;
        expect(parser.failure).toBeUndefined();
        expect(partsCounted(c)).toBe(stream.parts);
        expect({
          frames: c.frames,
          corruptFrames: c.corruptFrames,
          emptyParts: c.emptyParts,
          nonImageParts: c.nonImageParts,
          truncatedParts: c.truncatedParts,
          lengthMismatches: c.lengthMismatches,
        }).toEqual(stream.expected);
        const mismatched = stream.declared === 'declared-elsewhere';
        expect(parser.boundaryMismatch).toEqual(mismatched ? { declared: stream.declared, found: stream.used } : undefined);
      }),
      { numRuns: 1500, seed: 1729 },
    );
  });
});

// Fragments that reach every state: delimiters, close delimiters, header lines, JPEG markers, random bytes.
const tokenArb = fc.oneof(
  fc.constantFrom('--frame', '--frame--', '--other', '--', '\r\n', '\n', '\r\n\r\n', ' ', ':', 'x', '\xff\xd8', '\xff\xd9'),
  fc.constantFrom('Content-Type: image/jpeg', 'Content-Type: text/plain', 'Content-Length: 10', 'Content-Length: 0', 'X-A: b'),
  fc.uint8Array({ maxLength: 48 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
);
const junkArb = fc.array(tokenArb, { maxLength: 40 }).map((tokens) => Buffer.from(tokens.join(''), 'latin1'));

/** Openings that put the parser in each state a long run of bytes can then keep it in. */
const openingArb = fc.constantFrom('', '--frame\r\n', '--frame\r\n\r\n', '--frame\r\nContent-Length: 10\r\n\r\n', '--frame-', '--frame\r\nX-A: b\r\n');

/** The delimiter the parser ended up using, when it can be told from outside. */
function delimiterInUse(parser: MjpegParser, declared: boolean, bytes: Buffer): string | undefined {
  if (parser.boundaryMismatch) return `--${parser.boundaryMismatch.found}`;
  if (declared) return '--frame';
  const sniffed = sniffBoundary(bytes.subarray(0, 1024));
  return sniffed === undefined ? undefined : `--${sniffed}`;
}

const escaped = (text: string): string => text.replace(/[^\w]/g, '\\$&');

/**
 * When a stream that ended has counted nothing and not failed, it delivered no part: it was blank, or it was
 * closed by a close delimiter, or it ended on a delimiter line (what came before that was a preamble or
 * repeated delimiter lines; a part cut off inside is counted as truncated).
 */
function deliveredNoPart(bytes: Buffer, delimiter: string | undefined): boolean {
  const text = bytes.toString('latin1');
  if (/^[\r\n \t]*$/.test(text)) return true;
  if (delimiter === undefined) return false;
  if (closes(text, delimiter)) return true;
  const last = text.lastIndexOf(delimiter);
  if (last === -1) return false;
  const lineEnd = text.indexOf('\n', last);
  return lineEnd === -1 || /^[\r\n \t]*$/.test(text.slice(lineEnd + 1));
}

const closes = (text: string, delimiter: string): boolean => new RegExp(`${escaped(delimiter)}[ \\t\\r]*--`).test(text);

describe('never silent', () => {
  it('any bytes, once ended: a part counted, a named failure, or no part delivered at all', () => {
    fc.assert(
      fc.property(junkArb, fc.boolean(), fc.array(fc.nat(), { maxLength: 10 }), (bytes, declared, offsets) => {
        const parser = new MjpegParser(declared ? { boundary: 'frame' } : {});
        for (const piece of cut(bytes, offsets)) parser.push(piece);
        parser.end();
        if (partsCounted(parser.counters) > 0 || parser.failure) return;
        expect(deliveredNoPart(bytes, delimiterInUse(parser, declared, bytes))).toBe(true);
      }),
      { numRuns: 3000, seed: 31 },
    );
  });

  it('past its bounds a stream has counted a part or failed, even before it ends (unless it was closed)', () => {
    const maxHeaderBytes = 1024;
    const maxPartBytes = 65_536;
    // Per part: the rest of a delimiter line, a header block, a body, and the next delimiter.
    const perPart = 2 * maxHeaderBytes + maxPartBytes + 256;
    fc.assert(
      fc.property(
        openingArb,
        junkArb,
        junkArb,
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 1000, max: 70_000 }),
        (opening, head, tile, dashless, declared, chunkSize) => {
          fc.pre(tile.length > 0);
          // A head, then a tile repeated past the bounds; without dashes, no delimiter comes after the head.
          if (dashless) tile = Buffer.from(tile.map((byte) => (byte === 0x2d ? 0x78 : byte)));
          const bytes = Buffer.concat([
            Buffer.from(opening, 'latin1'),
            head,
            ...Array.from({ length: Math.ceil((GIVE_UP_BYTES + 2 * perPart) / tile.length) }, () => tile),
          ]);
          const parser = new MjpegParser({ ...(declared ? { boundary: 'frame' } : {}), maxHeaderBytes, maxPartBytes });
          let counted = 0;
          let progressAt = 0;
          let worst = 0;
          for (let i = 0; i < bytes.length; i += chunkSize) {
            parser.push(bytes.subarray(i, i + chunkSize));
            if (parser.failure) break;
            const pushed = Math.min(bytes.length, i + chunkSize);
            const now = partsCounted(parser.counters);
            if (now !== counted) [counted, progressAt] = [now, pushed];
            const allowed = (counted === 0 ? GIVE_UP_BYTES : 0) + perPart + chunkSize;
            worst = Math.max(worst, pushed - progressAt - allowed);
          }
          const delimiter = delimiterInUse(parser, declared, bytes);
          // A close delimiter ends the multipart body: what follows is ignored, by design.
          if (delimiter !== undefined && closes(bytes.toString('latin1'), delimiter)) return;
          expect(worst).toBeLessThanOrEqual(0);
          expect(partsCounted(parser.counters) > 0 || parser.failure !== undefined).toBe(true);
        },
      ),
      { numRuns: 100, seed: 5 },
    );
  });
});
