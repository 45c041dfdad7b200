import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeHtml, html, inlineCode, jsonForScript, rawHtml } from '../../../src/html/escape.js';
import { renderHtmlReport } from '../../../src/html/render-html.js';
import { FAKE_ASSETS, HOSTILE, olderRunReport, pageData } from './pages.js';

const decode = (text: string): string =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

/** Strings that try hardest: markup, script ends in any case, comments, entities, line separators, anything. */
const nasty = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc
    .array(
      fc.constantFrom(
        '</script>',
        '</SCRIPT ',
        '<script>',
        '<!--',
        '-->',
        '</style>',
        '"',
        "'",
        '&',
        '&amp;',
        '<',
        '>',
        '\u2028',
        '\u2029',
        '\\',
        'alert(1)',
        ' ',
        '\u0000',
      ),
      { maxLength: 12 },
    )
    .map((parts) => parts.join('')),
);

describe('escaping', () => {
  it('escapeHtml: the five markup characters become entities and decode back', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    fc.assert(
      fc.property(nasty, (text) => {
        const escaped = escapeHtml(text);
        expect(escaped).not.toMatch(/[<>"']/);
        expect(decode(escaped)).toBe(text);
      }),
    );
  });

  it('html``: interpolated text is escaped, nested markup is not escaped twice, false and null are nothing', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p title="${`"'`}">${inner}${false}${null}${[1, '&', inner]}</p>`.text).toBe(
      '<p title="&quot;&#39;"><b>&lt;i&gt;</b>1&amp;<b>&lt;i&gt;</b></p>',
    );
    expect(html`${rawHtml('<br>')}`.text).toBe('<br>');
  });

  it('jsonForScript: parses back to the same value, and holds no < > & or line separator', () => {
    fc.assert(
      fc.property(fc.jsonValue(), nasty, (value, text) => {
        const json = jsonForScript({ value, text });
        expect(json).not.toMatch(/[<>&\u2028\u2029]/);
        expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify({ value, text })));
      }),
    );
  });

  it('inlineCode: no </ is left to end a script or style element; the code means the same', () => {
    const code = 'var s = "</script>"; var r = /<\\/style>/;';
    const inlined = inlineCode(code);
    expect(inlined).not.toContain('</');
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- evaluating the inlined code is the point
    expect((new Function(`${inlined}; return [s, r.source];`) as () => string[])()).toEqual(['</script>', '<\\/style>']);
  });
});

describe('renderHtmlReport with arbitrary camera names and error messages', () => {
  it('no </script but the page`s own three, and the data gives back each string exactly', () => {
    const base = olderRunReport();
    base.streams = base.streams.slice(0, 3);
    fc.assert(
      fc.property(nasty, nasty, nasty, (name, message, id) => {
        const report = structuredClone(base);
        const [first] = report.streams;
        if (!first) throw new Error('fixture');
        first.name = name;
        first.cameraId = id;
        first.lastError = { code: 'ECONNRESET', message, atSeconds: 1 };
        report.analysis.assessment = name;
        report.config = { ...report.config, output: message };
        const page = renderHtmlReport(report, FAKE_ASSETS);
        expect(page.match(/<\/script/gi)).toHaveLength(3);
        expect(page.match(/<\/style/gi)).toHaveLength(3);
        expect(page.match(/<script/gi)).toHaveLength(3);
        expect(page).not.toMatch(/<!--/);
        const data = pageData(page);
        const strings = data.cameras.strings;
        expect(strings).toContain(name);
        expect(strings).toContain(id);
        expect(strings).toContain(`ECONNRESET: ${message}`);
      }),
      { numRuns: 60 },
    );
  });

  it('the hostile name of the brief renders as text', () => {
    const report = olderRunReport();
    const [first] = report.streams;
    if (!first) throw new Error('fixture');
    first.name = HOSTILE;
    const page = renderHtmlReport(report, FAKE_ASSETS);
    expect(page).not.toContain('<script>alert');
    expect(page).toContain(escapeHtml(HOSTILE));
    expect(pageData(page).cameras.strings).toContain(HOSTILE);
  });
});
