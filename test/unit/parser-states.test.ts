import { describe, expect, it } from 'vitest';
import { endOfStream, ParserState, skipBlank, type OpenPart } from '../../src/mjpeg/parser-states.js';

const open = (overrides: Partial<OpenPart> = {}): OpenPart => ({
  delimiterSeen: true,
  headersStarted: false,
  headersKnown: false,
  bodyComplete: false,
  jpegComplete: false,
  sniffedText: false,
  ...overrides,
});

describe('endOfStream', () => {
  it.each([
    ['a known-length body cut short', ParserState.BODY_LENGTH, open(), 'truncated'],
    ['a known-length body whose length arrived', ParserState.BODY_LENGTH, open({ bodyComplete: true }), 'part'],
    ['a known-length body cut short after a whole JPEG (the length lied)', ParserState.BODY_LENGTH, open({ jpegComplete: true }), 'part'],
    ['an unknown-length body with a complete JPEG', ParserState.BODY_SCAN, open({ jpegComplete: true }), 'part'],
    ['an unknown-length body with an incomplete JPEG', ParserState.BODY_SCAN, open(), 'truncated'],
    ['headers begun after a delimiter', ParserState.HEADERS, open({ headersStarted: true }), 'truncated'],
    ['headers not begun after a delimiter', ParserState.HEADERS, open(), 'nothing'],
    [
      'part headers with no delimiter yet (its first delimiter missing)',
      ParserState.HEADERS,
      open({ delimiterSeen: false, headersStarted: true, headersKnown: true }),
      'truncated',
    ],
    ['text with no delimiter that does not read as part headers', ParserState.HEADERS, open({ delimiterSeen: false, headersStarted: true }), 'no-delimiter'],
    ['seeking the first delimiter', ParserState.SEEK, open({ delimiterSeen: false }), 'no-delimiter'],
    ['between parts', ParserState.SEEK, open({ jpegComplete: true }), 'nothing'],
    ['an undeclared body with text but no delimiter line', ParserState.SNIFF, open({ delimiterSeen: false, sniffedText: true }), 'no-delimiter'],
    ['an undeclared body of blank lines, or no byte at all', ParserState.SNIFF, open({ delimiterSeen: false }), 'nothing'],
    ['after a delimiter', ParserState.AFTER_DELIMITER, open(), 'nothing'],
    ['nothing but blanks', ParserState.START, open({ delimiterSeen: false }), 'nothing'],
    ['probing (settled before this table is read)', ParserState.PROBE, open({ delimiterSeen: false }), 'nothing'],
    ['closed', ParserState.CLOSED, open({ headersStarted: true }), 'nothing'],
  ] as const)('%s', (_name, state, part, expected) => {
    expect(endOfStream(state, part)).toBe(expected);
  });
});

describe('skipBlank', () => {
  it('stops at the first byte that is not a line end, space or tab', () => {
    expect(skipBlank(Buffer.from('\r\n \t--x'), 0)).toBe(4);
    expect(skipBlank(Buffer.from('ab'), 1)).toBe(1);
    expect(skipBlank(Buffer.from('\r\n'), 0)).toBe(2);
  });
});
