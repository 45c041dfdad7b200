// Generated multipart streams for the accounting property: each stream comes with what an exact parser must
// count, derived from how it was built (not from the parser). A delimiter never occurs inside a body.
import fc from 'fast-check';

export type BodyKind = 'jpeg' | 'no-soi' | 'no-eoi' | 'empty' | 'text';
export type LengthKind = 'honest' | 'short' | 'long' | 'absent' | 'garbage';
export type TypeKind = 'image/jpeg' | 'IMAGE/JPEG' | 'text/plain' | 'absent';

export interface Counts {
  frames: number;
  corruptFrames: number;
  emptyParts: number;
  nonImageParts: number;
  truncatedParts: number;
  lengthMismatches: number;
}

export interface GeneratedStream {
  /** The Content-Type's boundary, or undefined (the parser sniffs). */
  declared: string | undefined;
  /** The boundary the body uses, as a parser that reads it from the body names it (no leading "--"). */
  used: string;
  bytes: Buffer;
  parts: number;
  expected: Counts;
}

// Filler without '-' (no delimiter can form), 0xFF (no stray EOI) and CR/LF (a body never ends in a line end).
const FILLER = [0x00, 0x11, 0x20, 0x3a, 0x41, 0x7a, 0xd8, 0xd9, 0x80, 0xfe];
const BOUNDARIES = ['frame', 'boundarydonotcross', 'gc0p4Jq0M:08jU534c0p', '--jpgboundary', 'x'];

const latin1 = (text: string): Buffer => Buffer.from(text, 'latin1');

function body(kind: BodyKind, size: number, seed: number): Buffer {
  if (kind === 'empty') return Buffer.alloc(0);
  if (kind === 'text') return latin1(`status=ok ${seed}`);
  const bytes = Buffer.alloc(Math.max(size, 4));
  for (let i = 0; i < bytes.length; i++) bytes[i] = FILLER[(seed + i * 7) % FILLER.length] ?? 0x11;
  if (kind !== 'no-soi') bytes.set([0xff, 0xd8], 0);
  if (kind === 'jpeg') bytes.set([0xff, 0xd9], bytes.length - 2);
  return bytes;
}

const partArb = fc.record({
  kind: fc.constantFrom<BodyKind>('jpeg', 'jpeg', 'jpeg', 'no-soi', 'no-eoi', 'empty', 'text'),
  size: fc.integer({ min: 4, max: 3000 }),
  seed: fc.nat({ max: 1000 }),
  type: fc.constantFrom<TypeKind>('image/jpeg', 'IMAGE/JPEG', 'text/plain', 'absent'),
  length: fc.constantFrom<LengthKind>('honest', 'honest', 'short', 'long', 'absent', 'garbage'),
  lie: fc.oneof(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 300, max: 200_000 })),
  garbage: fc.constantFrom('abc', '-5', '12x', '', '99999999999999', '1e3'),
  extra: fc.boolean(),
  upper: fc.boolean(),
  eol: fc.constantFrom('\r\n', '\n'),
  before: fc.constantFrom('\r\n', '\n', ''), // the line end before this part's delimiter
  padding: fc.constantFrom('', '  ', ' \t'),
  delimiterEol: fc.constantFrom('\r\n', '\n', ''),
  order: fc.boolean(),
});
type PartSpec = typeof partArb extends fc.Arbitrary<infer T> ? T : never;

const preambleLineArb = fc.constantFrom('This is a preamble.', 'Note: not a part header', '', 'x y z', 'MIME: 1.0');

export const streamArb: fc.Arbitrary<GeneratedStream> = fc
  .record({
    boundary: fc.constantFrom(...BOUNDARIES),
    declaration: fc.constantFrom('declared', 'declared', 'undeclared', 'mismatched'),
    leading: fc.constantFrom('', '\r\n'),
    preamble: fc.array(fc.tuple(preambleLineArb, fc.constantFrom('\r\n', '\n')), { maxLength: 3 }),
    parts: fc.array(partArb, { maxLength: 6 }),
    ending: fc.constantFrom('none', 'eol', 'delimiter', 'close'),
    epilogue: fc.constantFrom('', 'epilogue text\r\n'),
  })
  .map(({ boundary, declaration, leading, preamble, parts, ending, epilogue }) => {
    const delimiter = boundary.startsWith('--') ? boundary : `--${boundary}`;
    const chunks: Buffer[] = [latin1(leading)];
    // A sniffed or mismatched boundary is read from the body's first line: no preamble, a line end after it.
    const plain = declaration === 'declared';
    if (plain) for (const [line, eol] of preamble) chunks.push(latin1(`${line}${eol}`));
    const expected: Counts = { frames: 0, corruptFrames: 0, emptyParts: 0, nonImageParts: 0, truncatedParts: 0, lengthMismatches: 0 };
    parts.forEach((spec, index) => {
      const next = parts[index + 1];
      const built = buildPart(spec, delimiter, index === 0, plain, plain && preamble.length > 0);
      chunks.push(built.bytes);
      const atEnd = next === undefined && (ending === 'none' || ending === 'eol');
      if (atEnd && ending === 'eol') chunks.push(latin1(spec.eol));
      // The line ends between this body and what follows it (the next delimiter, or the end).
      const follow = next ? next.before.length : ending === 'none' ? 0 : ending === 'eol' ? spec.eol.length : 2;
      count(expected, spec, built.body, built.declaredLength, atEnd, follow);
    });
    // With no part, a close delimiter would be the body's first line, and "--frame--" reads as boundary "frame--".
    const close = ending === 'close' && parts.length > 0;
    if (ending === 'delimiter' || close || parts.length === 0) {
      chunks.push(latin1(`\r\n${delimiter}${close ? `--\r\n${epilogue}` : '\r\n'}`));
    }
    return {
      declared: declaration === 'undeclared' ? undefined : declaration === 'mismatched' ? 'declared-elsewhere' : boundary,
      used: delimiter.slice(2),
      bytes: Buffer.concat(chunks),
      parts: parts.length,
      expected,
    };
  });

function buildPart(
  spec: PartSpec,
  delimiter: string,
  first: boolean,
  plain: boolean,
  afterPreamble: boolean,
): { bytes: Buffer; body: Buffer; declaredLength: number } {
  const content = body(spec.kind, spec.size, spec.seed);
  const name = (text: string): string => (spec.upper ? text.toUpperCase() : text.toLowerCase());
  let declaredLength = -1;
  const headers: string[] = [];
  if (spec.type !== 'absent') headers.push(`${name('Content-Type')}: ${spec.type}`);
  if (spec.length === 'garbage') headers.push(`${name('Content-Length')}: ${spec.garbage}`);
  else if (spec.length !== 'absent') {
    declaredLength = content.length;
    if (spec.length === 'short' && content.length > 0) declaredLength = Math.max(0, content.length - spec.lie);
    if (spec.length === 'long') declaredLength = content.length + spec.lie;
    headers.push(`${name('Content-Length')}:${spec.order ? ' ' : ''}${declaredLength}`);
  }
  if (spec.extra) headers.push('X-Timestamp: 1700000000.5');
  if (spec.order) headers.reverse();
  // A delimiter line needs a line end when no header follows it (the blank line would be taken for padding),
  // when it is the body's first line and the boundary is read from it, or when it follows a preamble (read
  // as lines, where a header on the delimiter's own line is not looked for).
  const needsEol = headers.length === 0 || (first && (!plain || afterPreamble));
  const delimiterEol = spec.delimiterEol === '' && needsEol ? spec.eol : spec.delimiterEol;
  const padding = delimiterEol === '' ? '' : spec.padding;
  const before = first ? '' : spec.before;
  const head = `${before}${delimiter}${padding}${delimiterEol}${headers.map((h) => `${h}${spec.eol}`).join('')}${spec.eol}`;
  return { bytes: Buffer.concat([latin1(head), content]), body: content, declaredLength };
}

const isJpeg = (b: Buffer): boolean => b.length >= 4 && b[0] === 0xff && b[1] === 0xd8 && b[b.length - 2] === 0xff && b[b.length - 1] === 0xd9;

/** What an exact parser makes of one part: by its content between delimiters, whatever its length said. */
function count(c: Counts, spec: PartSpec, content: Buffer, declaredLength: number, atEnd: boolean, follow: number): void {
  // A length that ends inside the line ends after the body cannot be told from a body that ends in CR or LF.
  const lied = declaredLength >= 0 && (declaredLength < content.length || declaredLength > content.length + follow);
  // A part the stream's end cut off counts only if its declared length arrived or its JPEG is whole.
  if (atEnd && lied && !isJpeg(content)) {
    c.truncatedParts++;
    return;
  }
  if (atEnd && declaredLength < 0 && !isJpeg(content)) {
    c.truncatedParts++;
    return;
  }
  if (lied) c.lengthMismatches++;
  // Such a length makes those line ends body bytes: an empty body then holds a CR or LF.
  const size = lied ? content.length : Math.max(content.length, declaredLength);
  if (size === 0) c.emptyParts++;
  else if (spec.type === 'text/plain') c.nonImageParts++;
  else if (isJpeg(content)) c.frames++;
  else c.corruptFrames++;
}

/** Random cut points for a buffer of `length` bytes. */
export function cut(bytes: Buffer, offsets: number[]): Buffer[] {
  const sorted = offsets.map((o) => o % (bytes.length + 1)).sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let last = 0;
  for (const offset of sorted) {
    pieces.push(bytes.subarray(last, offset));
    last = offset;
  }
  pieces.push(bytes.subarray(last));
  return pieces;
}
