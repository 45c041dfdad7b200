import { sniffBoundary } from './content-type.js';
import { FirstBytes } from './first-bytes.js';

/** Bytes looked at to tell whether a body uses its declared boundary. */
export const PROBE_BYTES = 1024;

/** What the probe made of the body's start. */
export const ProbeVerdict = {
  /** More bytes needed. */
  OPEN: 0,
  /** The declared delimiter occurs: use it. */
  DECLARED: 1,
  /** The body opens with a delimiter line of another boundary, and only that. */
  OTHER: 2,
  /** The body opens with "--" but not with a delimiter line. */
  UNCLEAR: 3,
} as const;

export type ProbeVerdict = (typeof ProbeVerdict)[keyof typeof ProbeVerdict];

/** At most this much of an unclear first line goes into a message. */
const SHOWN = 70;
const LF = 0x0a;

/**
 * The start of a body whose first non-blank bytes are "--" but not the declared delimiter. It collects the
 * first KiB (once per connection, into one buffer) and decides from those bytes alone, so the verdict does
 * not depend on how the body was cut into chunks: the declared delimiter anywhere in them wins; else a
 * first line `--X` (sniffBoundary's rules) names the boundary the body really uses.
 */
export class BoundaryProbe {
  private readonly bytes = new FirstBytes(PROBE_BYTES);
  private decided: ProbeVerdict = ProbeVerdict.OPEN;
  private line = '';

  constructor(private readonly delimiter: Buffer) {}

  get verdict(): ProbeVerdict {
    return this.decided;
  }

  /** ProbeVerdict.OTHER: the body's boundary. ProbeVerdict.UNCLEAR: the start of its first line, as printable text. */
  get found(): string {
    return this.line;
  }

  get capacity(): number {
    return this.bytes.capacity;
  }

  /** The bytes taken so far, to be parsed again once the verdict is in. */
  get collected(): Buffer {
    return this.bytes.collected;
  }

  /** Takes bytes from `chunk` at `from`; returns how many it took. */
  take(chunk: Buffer, from: number): number {
    const count = this.bytes.collect(chunk, from);
    this.decide(this.bytes.full);
    return count;
  }

  /** The stream ended: decide on what there is. */
  finish(): void {
    this.decide(true);
  }

  private decide(final: boolean): void {
    const collected = this.bytes.collected;
    if (collected.indexOf(this.delimiter) !== -1) {
      this.decided = ProbeVerdict.DECLARED;
      return;
    }
    if (!final) return;
    const boundary = sniffBoundary(collected);
    if (boundary !== undefined) {
      this.decided = ProbeVerdict.OTHER;
      this.line = boundary;
      return;
    }
    this.decided = ProbeVerdict.UNCLEAR;
    const start = collected.findIndex((byte) => byte === 0x2d);
    const lineEnd = collected.indexOf(LF, start);
    const line = collected.toString('latin1', start, lineEnd === -1 ? collected.length : lineEnd).trimEnd();
    this.line = printableLine(line);
  }
}

/** Body bytes made fit for a one-line message: controls and non-ASCII become '?', long lines are cut. */
function printableLine(text: string): string {
  const clean = text.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > SHOWN ? `${clean.slice(0, SHOWN)}…` : clean;
}
