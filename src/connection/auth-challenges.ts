// RFC 7235 challenges, as cameras send them in WWW-Authenticate: parsed without ever throwing, what cannot be
// parsed skipped up to the next comma, as browsers do.

/** One challenge of a WWW-Authenticate field. */
export interface Challenge {
  /** The scheme in lower case, for comparing. */
  readonly scheme: string;
  /** The scheme as the camera wrote it, for messages. */
  readonly name: string;
  /** Auth-params by lower-case name, values unquoted; the first of a repeated name wins. */
  readonly params: ReadonlyMap<string, string>;
  /** The token68 form (`Negotiate YIIG…`), when the challenge had one instead of params. */
  readonly token68?: string;
}

// RFC 7235 §2.1 / §4.1: WWW-Authenticate = 1#challenge; challenge = auth-scheme [ 1*SP ( token68 / #auth-param ) ]

const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
const TOKEN68_CHAR = /[A-Za-z0-9\-._~+/]/;

interface Draft {
  scheme: string;
  name: string;
  params: Map<string, string>;
  token68?: string;
}

/** A cursor over one field value. Every step advances `i`, so each loop below ends within `s.length` steps. */
class FieldReader {
  i = 0;
  constructor(readonly s: string) {}

  atEnd(): boolean {
    return this.i >= this.s.length;
  }

  peek(): string {
    return this.s[this.i] ?? '';
  }

  skipSpace(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.i++;
  }

  /** Skips whitespace and empty list elements (`#` rule: `,,` is allowed); says whether a comma was passed. */
  skipSeparators(): boolean {
    let comma = false;
    while (!this.atEnd() && (this.peek() === ' ' || this.peek() === '\t' || this.peek() === ',')) {
      if (this.peek() === ',') comma = true;
      this.i++;
    }
    return comma;
  }

  token(): string {
    const start = this.i;
    while (!this.atEnd() && TCHAR.test(this.peek())) this.i++;
    return this.s.slice(start, this.i);
  }

  /** After the opening quote: a quoted-string with backslash escapes; an unterminated one runs to the end. */
  quoted(): string {
    let value = '';
    this.i++;
    while (!this.atEnd()) {
      const c = this.peek();
      this.i++;
      if (c === '"') return value;
      if (c !== '\\') value += c;
      else if (!this.atEnd()) {
        value += this.peek();
        this.i++;
      }
    }
    return value;
  }

  /** Skips what cannot be parsed up to the next comma outside a quoted string, to recover. */
  skipJunk(): void {
    while (!this.atEnd() && this.peek() !== ',') {
      if (this.peek() === '"') this.quoted();
      else this.i++;
    }
  }

  /** token68 right after a scheme: its characters, then `=` padding, then the end of the element. */
  token68(): string | undefined {
    const start = this.i;
    while (!this.atEnd() && TOKEN68_CHAR.test(this.peek())) this.i++;
    if (this.i === start) return undefined;
    while (this.peek() === '=') this.i++;
    const value = this.s.slice(start, this.i);
    this.skipSpace();
    if (this.atEnd() || this.peek() === ',') return value;
    this.i = start;
    return undefined;
  }
}

function parseField(s: string, out: Draft[]): void {
  const r = new FieldReader(s);
  // The challenge params belong to: none before the first scheme, nor after a token68.
  let owner: Draft | undefined;
  r.skipSeparators();
  while (!r.atEnd()) {
    const before = r.i;
    const word = r.token();
    if (word === '') {
      r.skipJunk();
    } else {
      const afterWord = r.i;
      r.skipSpace();
      if (r.peek() === '=') {
        r.i++;
        r.skipSpace();
        const value = r.peek() === '"' ? r.quoted() : r.token();
        const key = word.toLowerCase();
        if (owner && !owner.params.has(key)) owner.params.set(key, value);
        r.skipSpace();
        if (!r.atEnd() && r.peek() !== ',') r.skipJunk();
      } else {
        // A token not followed by `=` starts a challenge (RFC 7235's list rule puts a comma before it).
        r.i = afterWord;
        const challenge: Draft = { scheme: word.toLowerCase(), name: word, params: new Map() };
        out.push(challenge);
        owner = challenge;
        r.skipSpace();
        const token68 = r.atEnd() || r.peek() === ',' ? undefined : r.token68();
        if (token68 !== undefined) {
          challenge.token68 = token68;
          owner = undefined;
        } else {
          // The first auth-param follows the scheme's space without a comma.
          continue;
        }
      }
    }
    if (r.i === before) r.i++;
    r.skipSeparators();
  }
}

/**
 * Every challenge of a 401's WWW-Authenticate header lines, in order. Never throws: what cannot be parsed is
 * skipped up to the next comma, as browsers do.
 */
export function parseChallenges(headerValues: string | readonly string[] | undefined): Challenge[] {
  const out: Draft[] = [];
  if (headerValues === undefined) return out;
  const lines: readonly string[] = typeof headerValues === 'string' ? [headerValues] : headerValues;
  for (const line of lines) parseField(line, out);
  return out;
}
