// Text from a camera source (ids, names, error details) is data, not markup: these functions make it safe to
// print on a terminal, in a GitHub job summary and in JUnit XML. Pure; no I/O.

/** Characters that break a line somewhere (terminals, editors, Markdown): each becomes one space. */
const LINE_BREAKING = /[\t\n\v\f\r\u0085\u2028\u2029]/g;
/**
 * Removed: the remaining C0 controls (ESC starts terminal escape sequences), DEL, C1 controls (U+009B is a
 * one-byte CSI on some terminals), and the bidi marks, embeddings, overrides and isolates that reorder text.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export const DEFAULT_PRINTABLE_LENGTH = 200;

/**
 * One line of plain text: no control characters, no bidi overrides, no lone surrogates, and at most
 * `maxLength` code points (the last one an ellipsis when cut).
 */
export function printable(text: string, maxLength = DEFAULT_PRINTABLE_LENGTH): string {
  const clean = text.replace(LINE_BREAKING, ' ').replace(INVISIBLE, '').replace(LONE_SURROGATE, '\ufffd');
  if (clean.length <= maxLength) return clean;
  // Counts code points, so a cut never splits a surrogate pair; stops early, so a huge text costs little.
  let points = 0;
  let keep = 0;
  for (const char of clean) {
    if (points === maxLength) return `${clean.slice(0, keep)}…`;
    points++;
    if (points < maxLength) keep += char.length;
  }
  return clean;
}

/** Characters that can start inline Markdown anywhere: code, emphasis, links, HTML, entities, tables, math. */
const MARKDOWN_INLINE = /[\\`*[\]<>|~&$]/g;
/** `_` opens or closes emphasis only at a word's edge (CommonMark): `HTTP_503` stays as it is. */
const EDGE_UNDERSCORE = /(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu;
/** Block syntax (headings, lists, quotes, setext lines) starts at the beginning of a line or a quote. */
const MARKDOWN_BLOCK_START = /^(?:([#+\-=>])|(\d+)([.)]))/;

/**
 * Printable text for a GitHub Markdown table cell or quote: the characters that could form a cell boundary,
 * link, image, emphasis, code, HTML tag, entity, math, heading or list are backslash-escaped, which renders
 * them as themselves.
 */
export function markdownCell(text: string, maxLength = DEFAULT_PRINTABLE_LENGTH): string {
  return printable(text, maxLength)
    .replace(MARKDOWN_INLINE, '\\$&')
    .replace(EDGE_UNDERSCORE, '\\_')
    .replace(MARKDOWN_BLOCK_START, (_, mark: string | undefined, digits: string, end: string) => (mark ? `\\${mark}` : `${digits}\\${end}`));
}

/** Code points XML 1.0 does not allow anywhere, even as character references. */
const NOT_XML = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;
const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text for XML 1.0 content or a quoted attribute: disallowed characters removed, markup characters escaped. */
export function xmlEscape(text: string): string {
  return text.replace(NOT_XML, '').replace(/[&<>"']/g, (char) => XML_ENTITIES[char] ?? char);
}
