// Report strings (camera names, server error messages, config values) are data from outside: every one reaches
// the page through these functions, so no camera can add markup or script to the report it appears in.

const HTML_ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML content or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ENTITIES[char] ?? char);
}

/** Markup whose interpolated values were escaped when it was built: nesting it never escapes it twice. */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** What `html` accepts: markup as is; text and numbers escaped; lists joined; false, null and undefined as nothing. */
export type HtmlPart = Html | string | number | false | null | undefined | readonly HtmlPart[];

function partText(part: HtmlPart): string {
  if (part instanceof Html) return part.text;
  if (part === false || part === null || part === undefined) return '';
  if (typeof part === 'number') return escapeHtml(String(part));
  if (typeof part === 'string') return escapeHtml(part);
  return part.map(partText).join('');
}

/** Tagged template: the one way markup is written here, so that escaping cannot be forgotten. */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlPart[]): Html {
  let text = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) text += partText(values[i]) + (strings[i + 1] ?? '');
  return new Html(text);
}

/**
 * Report prose (analysis, warnings, recommendations): escaped like any text, then each `…` pair on one line becomes a
 * <code> element. Only that element is added, after escaping, so the text can produce no other markup.
 */
export function prose(text: string): Html {
  return new Html(escapeHtml(text).replace(/`([^`\n]+)`/g, '<code>$1</code>'));
}

/** Trusted markup (the page's own assets only), taken as is. */
export function rawHtml(text: string): Html {
  return new Html(text);
}

/**
 * JSON for a `<script type="application/json">`: `<` written as \u003c so no string can end the element or open
 * a comment there (`</script>`, `<!--`), and U+2028/U+2029 escaped as older JavaScript parsers required.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Code inlined in `<script>` or `<style>`: `</` becomes `<\/`, the same text to JavaScript strings and regular
 * expressions and to CSS, so that even a future uPlot release containing `</script` cannot end the element early.
 */
export function inlineCode(code: string): string {
  return code.replace(/<\//g, '<\\/');
}
