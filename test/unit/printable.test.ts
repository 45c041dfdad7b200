import fc from 'fast-check';
import { XMLParser, XMLValidator as deprecatedValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { StreamStats } from '../../src/metrics/stream-stats.js';
import { markdownCell, printable, xmlEscape } from '../../src/text/printable.js';
import { buildReport } from '../../src/report/build-report.js';
import { renderJunit } from '../../src/render/junit.js';
import { renderJobSummary } from '../../src/render/job-summary.js';
import type { Report } from '../../src/report/report-types.js';

const UNPRINTABLE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

// fast-xml-validator (its successor) is not a dependency; the validator still works in fast-xml-parser 5.
// eslint-disable-next-line @typescript-eslint/no-deprecated
const XMLValidator = deprecatedValidator;

/** XML 1.0's Char production, which fast-xml-parser's validator does not check. */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;

/** Any UTF-16 text, weighted towards what hurts: controls, ESC sequences, bidi overrides, lone surrogates, markup. */
const hostile = fc.string({
  unit: fc.oneof(
    fc.constantFrom(
      '\n',
      '\r',
      '\t',
      '\x1b',
      '\x1b[8m',
      '\x9b',
      '\x7f',
      '\u202e',
      '\u2066',
      '\u2028',
      '\ufffe',
      '\ud800',
      '\udc00',
      '|',
      '<',
      '&',
      ']]>',
      '#',
      '_',
      '*',
      '`',
    ),
    fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
    fc.integer({ min: 0, max: 0x10ffff }).map((code) => String.fromCodePoint(code)),
  ),
  maxLength: 300,
});

const codePoints = (text: string): number => Array.from(text).length;

describe('printable', () => {
  it.each([
    ['plain text stays', 'Gate 3 (north)', 'Gate 3 (north)'],
    ['line breaks and tabs become spaces', 'a\nb\r\nc\td', 'a b  c d'],
    ['ESC and the other controls go', 'cam\x1b[8mhidden\x1b[0m\x00\x07\x7f', 'cam[8mhidden[0m'],
    ['C1 controls go (U+009B is a one-byte CSI)', 'a\u009b31mb\u0085c', 'a31mb c'],
    ['bidi overrides and isolates go', 'abc\u202egnp.exe\u2066x\u2069\u200f', 'abcgnp.exex'],
    ['a lone surrogate becomes U+FFFD', 'a\ud800b', 'a\ufffdb'],
    ['a surrogate pair stays', 'cam 😀', 'cam 😀'],
  ])('%s', (_, input, expected) => {
    expect(printable(input)).toBe(expected);
  });

  it('cuts at a bound, with an ellipsis, never inside a surrogate pair', () => {
    expect(printable('x'.repeat(250))).toBe(`${'x'.repeat(199)}…`);
    expect(printable('ab😀cd', 4)).toBe('ab😀…');
    expect(printable('ab😀', 3)).toBe('ab😀');
  });

  it('never returns a control character, a bidi control or a lone surrogate, nor more than the bound', () => {
    fc.assert(
      fc.property(hostile, fc.integer({ min: 1, max: 400 }), (text, max) => {
        const out = printable(text, max);
        expect(out).not.toMatch(UNPRINTABLE);
        expect(codePoints(out)).toBeLessThanOrEqual(max);
      }),
      { numRuns: 500 },
    );
  });
});

describe('markdownCell', () => {
  it.each([
    ['an error code stays readable', 'HTTP_503: answered HTTP 503', 'HTTP_503: answered HTTP 503'],
    ['a pipe cannot end the cell', 'a|b', 'a\\|b'],
    ['no link, image or HTML', '![x](http://e/) <img src=x>', '!\\[x\\](http://e/) \\<img src=x\\>'],
    ['no emphasis, code or strikethrough', '_a_ *b* `c` ~~d~~', '\\_a\\_ \\*b\\* \\`c\\` \\~\\~d\\~\\~'],
    ['no entity (which could smuggle U+202E back)', '&#x202E;', '\\&#x202E;'],
    ['no heading at the start', '# title', '\\# title'],
    ['no ordered list at the start', '12. item', '12\\. item'],
    ['no line break', 'a\n| forged | row |', 'a \\| forged \\| row \\|'],
  ])('%s', (_, input, expected) => {
    expect(markdownCell(input)).toBe(expected);
  });

  it('every pipe is escaped and the cell stays on one line', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const out = markdownCell(text);
        expect(out).not.toMatch(UNPRINTABLE);
        // An even run of backslashes before a pipe would leave the pipe live.
        expect(out).not.toMatch(/(^|[^\\])(\\\\)*\|/);
      }),
      { numRuns: 300 },
    );
  });
});

describe('xmlEscape', () => {
  it('escapes markup and drops what XML 1.0 forbids', () => {
    expect(xmlEscape(`a<b>&"c'`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;');
    expect(xmlEscape('a\x00\x1b\ufffe\ud800b\n😀')).toBe('ab\n😀');
  });

  it('any text makes a well-formed attribute and element', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const xml = `<a name="${xmlEscape(text)}">${xmlEscape(text)}</a>`;
        expect(XMLValidator.validate(xml)).toBe(true);
        expect(xml).not.toMatch(NOT_XML_CHAR);
      }),
      { numRuns: 300 },
    );
  });
});

function report(cameras: { id: string; name: string; opened: boolean }[]): Report {
  const streams = cameras.map(({ id, name, opened }, index) => {
    const s = new StreamStats(index, id, name, `http://cam/${index}`);
    s.attemptStarted(0);
    s.attemptStarted(0);
    if (opened) s.frame(1000, 100);
    s.error('HTTP_503', `answered ${name}`, 200);
    return s;
  });
  return buildReport({
    version: '1.0.0',
    config: {},
    cameras: { listed: cameras.length, active: cameras.length, skipped: 0 },
    streamsRequested: cameras.length,
    streamsPerCamera: 1,
    targetDurationMs: 1_000,
    outcome: { startedAt: new Date(0), endedAt: new Date(1_000), elapsedMs: 1_000, interrupted: false, streams, timeline: [], system: [] },
  });
}

const camera = fc.record({ id: hostile, name: hostile, opened: fc.boolean() });

describe('renderers with hostile camera ids and names', () => {
  it('JUnit is well-formed XML for any ids and names, and names each stream in plain text', () => {
    const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'testcase' });
    fc.assert(
      fc.property(fc.array(camera, { minLength: 1, maxLength: 4 }), (cameras) => {
        const xml = renderJunit(report(cameras), []);
        expect(XMLValidator.validate(xml)).toBe(true);
        expect(xml).not.toMatch(NOT_XML_CHAR);
        const doc = parser.parse(xml) as { testsuites: { testsuite: { testcase?: { name: string }[] }[] } };
        const names = doc.testsuites.testsuite[1]?.testcase?.map((c) => c.name) ?? [];
        expect(names).toHaveLength(cameras.length);
        for (const name of names) expect(name).not.toMatch(UNPRINTABLE);
      }),
      { numRuns: 200 },
    );
  });

  it('the Markdown summary gets one table row per troubled camera, whatever its id and name say', () => {
    fc.assert(
      fc.property(fc.array(camera, { minLength: 1, maxLength: 4 }), (cameras) => {
        const markdown = renderJobSummary(report(cameras), []);
        for (const line of markdown.split('\n')) expect(line).not.toMatch(UNPRINTABLE);
        const rows = markdown.split('\n').filter((line) => line.startsWith('| ') && / \| (yes|no) \| \d+ \| /.test(line));
        expect(rows).toHaveLength(cameras.length);
      }),
      { numRuns: 200 },
    );
  });

  it('a forged ASSESSMENT in a name stays inside its cell', () => {
    const markdown = renderJobSummary(report([{ id: '7\n\n> All good', name: '\x1b[8m\n## ASSESSMENT\n| x | y |', opened: false }]), []);
    expect(markdown).not.toContain('\x1b');
    const lines = markdown.split('\n').filter((line) => line.includes('ASSESSMENT'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\| 7 /);
    // Four cells: five pipes that are not escaped.
    expect(lines[0]?.match(/(?<!\\)\|/g)).toHaveLength(5);
  });
});
