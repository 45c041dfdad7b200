import type { PartBody } from './part-body.js';

/** Line ends a sender may put between a body of declared length and the delimiter after it. */
const MAX_LINE_ENDS = 4;

/**
 * A part's Content-Length, checked against where its delimiter was. The delimiter ends the body; a length that
 * reached it (give or take line ends) dates the frame, when its last byte arrived, and any other is a lie.
 */
export class DeclaredLength {
  /** The part's Content-Length, or -1. */
  private declared = -1;
  /** Declared bytes still to come (negative past the declared end). */
  private remaining = 0;
  /** When the declared body's last byte arrived, or -1. */
  private endAt = -1;
  private missed = false;

  constructor(private readonly now: () => number) {}

  /** The declared length did not end where the delimiter did (set when the body is settled). */
  get lied(): boolean {
    return this.missed;
  }

  /** When the declared body's last byte arrived: the frame's time when the length held. */
  get lastByteAt(): number {
    return this.endAt;
  }

  /** A body begins; `length` is its Content-Length, or -1. */
  begin(length: number): void {
    this.declared = length;
    this.remaining = length;
    this.missed = false;
    this.endAt = length === 0 ? this.now() : -1;
  }

  /** `count` more body bytes arrived. */
  arrived(count: number): void {
    if (this.remaining > 0 && count >= this.remaining) this.endAt = this.now();
    this.remaining -= count;
  }

  /** The body ended at a delimiter: the frame's time when the length held, else -1 (now). */
  settle(body: PartBody): number {
    return this.check(body) ? this.endAt : -1;
  }

  /**
   * The stream ended inside the body: drops the start of a delimiter cut off by the end, and says whether the
   * declared length arrived whole.
   */
  settleAtEnd(body: PartBody, delimiter: Buffer): boolean {
    body.dropDelimiterStart(delimiter);
    return this.check(body);
  }

  /**
   * Whether the body holds exactly the declared length plus up to four CR/LF, which are then dropped; else the line
   * end before the delimiter is dropped, and a declared length lied.
   */
  private check(body: PartBody): boolean {
    const extra = body.length - this.declared;
    const held = this.declared >= 0 && extra >= 0 && extra <= MAX_LINE_ENDS && body.endsWithLineEnds(extra);
    if (held) body.takeBack(extra);
    else body.dropLineEnd();
    this.missed = !held && this.declared >= 0;
    return held;
  }
}
