import { describe, expect, it } from 'vitest';
import { AFTER_DELIMITER, BODY_LENGTH, BODY_SCAN, CLOSED, CONFIRM, endOfStream, HEADERS, SEEK, skipBlank, SNIFF, START, type OpenPart } from '../../src/stream/parser-states.js';

const part = (overrides: Partial<OpenPart> = {}): OpenPart => ({ mismatch: false, jpegComplete: false, headersStarted: false, sniffing: false, ...overrides });

describe('endOfStream', () => {
  it.each([
    ['a known-length body cut short', BODY_LENGTH, part(), 'truncated'],
    ['a known-length body awaiting its delimiter', CONFIRM, part(), 'frame'],
    ['an unknown-length body with a complete JPEG', BODY_SCAN, part({ jpegComplete: true }), 'frame'],
    ['an unknown-length body with an incomplete JPEG', BODY_SCAN, part(), 'truncated'],
    ['a body whose Content-Length was wrong', BODY_SCAN, part({ jpegComplete: true, mismatch: true }), 'truncated'],
    ['headers begun', HEADERS, part({ headersStarted: true }), 'truncated'],
    ['headers not begun', HEADERS, part(), 'nothing'],
    ['a body sniffed without a boundary', SNIFF, part({ sniffing: true }), 'gave-up'],
    ['no byte at all', SNIFF, part(), 'nothing'],
    ['between parts', SEEK, part({ jpegComplete: true }), 'nothing'],
    ['after a delimiter', AFTER_DELIMITER, part(), 'nothing'],
    ['before anything', START, part(), 'nothing'],
    ['closed', CLOSED, part({ headersStarted: true }), 'nothing'],
  ] as const)('%s', (_name, state, open, expected) => {
    expect(endOfStream(state, open)).toBe(expected);
  });
});

describe('skipBlank', () => {
  it('stops at the first byte that is not a line end, space or tab', () => {
    expect(skipBlank(Buffer.from('\r\n \t--x'), 0)).toBe(4);
    expect(skipBlank(Buffer.from('ab'), 1)).toBe(1);
    expect(skipBlank(Buffer.from('\r\n'), 0)).toBe(2);
  });
});
