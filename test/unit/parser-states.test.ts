import { describe, expect, it } from 'vitest';
import {
  AFTER_DELIMITER,
  BODY_LENGTH,
  BODY_SCAN,
  CLOSED,
  endOfStream,
  HEADERS,
  PROBE,
  SEEK,
  skipBlank,
  SNIFF,
  START,
  type OpenPart,
} from '../../src/mjpeg/parser-states.js';

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
    ['a known-length body cut short', BODY_LENGTH, open(), 'truncated'],
    ['a known-length body whose length arrived', BODY_LENGTH, open({ bodyComplete: true }), 'part'],
    ['a known-length body cut short after a whole JPEG (the length lied)', BODY_LENGTH, open({ jpegComplete: true }), 'part'],
    ['an unknown-length body with a complete JPEG', BODY_SCAN, open({ jpegComplete: true }), 'part'],
    ['an unknown-length body with an incomplete JPEG', BODY_SCAN, open(), 'truncated'],
    ['headers begun after a delimiter', HEADERS, open({ headersStarted: true }), 'truncated'],
    ['headers not begun after a delimiter', HEADERS, open(), 'nothing'],
    ['part headers with no delimiter yet (its first delimiter missing)', HEADERS, open({ delimiterSeen: false, headersStarted: true, headersKnown: true }), 'truncated'],
    ['text with no delimiter that does not read as part headers', HEADERS, open({ delimiterSeen: false, headersStarted: true }), 'no-delimiter'],
    ['seeking the first delimiter', SEEK, open({ delimiterSeen: false }), 'no-delimiter'],
    ['between parts', SEEK, open({ jpegComplete: true }), 'nothing'],
    ['an undeclared body with text but no delimiter line', SNIFF, open({ delimiterSeen: false, sniffedText: true }), 'no-delimiter'],
    ['an undeclared body of blank lines, or no byte at all', SNIFF, open({ delimiterSeen: false }), 'nothing'],
    ['after a delimiter', AFTER_DELIMITER, open(), 'nothing'],
    ['nothing but blanks', START, open({ delimiterSeen: false }), 'nothing'],
    ['probing (settled before this table is read)', PROBE, open({ delimiterSeen: false }), 'nothing'],
    ['closed', CLOSED, open({ headersStarted: true }), 'nothing'],
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
