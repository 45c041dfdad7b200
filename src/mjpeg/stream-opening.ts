import { BoundaryProbe, ProbeVerdict } from './boundary-probe.js';
import { BoundarySniffer } from './content-type.js';
import type { BoundaryMismatch, ParserFailure } from './parser-types.js';

/**
 * How the body opens: the boundary it uses (the declared one, one sniffed from its first line when none was
 * declared, or its own when it differs from the declared one), and what to say when no delimiter comes. Each
 * question is decided once per connection, from the body's first bytes (collected, then parsed again).
 */
export class StreamOpening {
  private sniffer: BoundarySniffer | undefined;
  private probe: BoundaryProbe | undefined;
  private decided = false;
  private mismatch: BoundaryMismatch | undefined;
  /** The body's first line when it began with "--" but was no delimiter line: named if no delimiter comes. */
  private unclearLine: string | undefined;

  /** `declared`: the Content-Type's boundary, or undefined when none was declared. */
  constructor(private readonly declared: string | undefined) {}

  /** Set when the body used another boundary than the declared one and the parser followed the body. */
  get boundaryMismatch(): BoundaryMismatch | undefined {
    return this.mismatch;
  }

  /** The boundary in use is settled: the body's start need not be probed (again). */
  get settled(): boolean {
    return this.decided;
  }

  /** Bytes held for the body's first line or KiB. */
  get capacity(): number {
    return (this.sniffer?.capacity ?? 0) + (this.probe?.capacity ?? 0);
  }

  /** Undeclared boundary: bytes other than blanks arrived before one could be sniffed. */
  get sniffedText(): boolean {
    return this.sniffer?.sawText ?? false;
  }

  /** No boundary declared: takes bytes of the body's first line from `chunk` at `from`; returns how many. */
  sniff(chunk: Buffer, from: number): number {
    this.sniffer ??= new BoundarySniffer();
    return this.sniffer.take(chunk, from);
  }

  /** The delimiter the body's first line names, once sniffed. */
  get sniffedDelimiter(): string | undefined {
    const boundary = this.sniffer?.boundary;
    return boundary === undefined ? undefined : `--${boundary}`;
  }

  /** The first line is not a delimiter line: the body is not multipart. */
  get hopeless(): boolean {
    return this.sniffer?.hopeless ?? false;
  }

  /** The boundary was sniffed: the bytes collected, to be parsed again with it. */
  endSniff(): Buffer {
    const collected = this.sniffer?.collected ?? Buffer.alloc(0);
    this.sniffer = undefined;
    this.decided = true;
    return collected;
  }

  /** The body opens with "--" but not visibly with `delimiter`: takes bytes of its first KiB; returns how many. */
  probeFor(delimiter: Buffer, chunk: Buffer, from: number): number {
    this.probe ??= new BoundaryProbe(delimiter);
    return this.probe.take(chunk, from);
  }

  /** The probe has decided which boundary the body uses. */
  get probed(): boolean {
    return this.probe !== undefined && this.probe.verdict !== ProbeVerdict.OPEN;
  }

  /**
   * Decides now (the stream may have ended) and returns what the probe collected, to be parsed again with the
   * boundary the body turned out to use (the body's own when `boundaryMismatch` is set); undefined when no probe ran.
   */
  endProbe(): Buffer | undefined {
    const probe = this.probe;
    if (!probe) return undefined;
    if (probe.verdict === ProbeVerdict.OPEN) probe.finish();
    this.probe = undefined;
    this.decided = true;
    if (probe.verdict === ProbeVerdict.OTHER && this.declared !== undefined) {
      this.mismatch = { declared: this.declared, found: probe.found };
    } else if (probe.verdict === ProbeVerdict.UNCLEAR) {
      this.unclearLine = probe.found;
    }
    return probe.collected;
  }

  /**
   * No `delimiter` came: in the first `within` bytes, or (without it) in the `sent` bytes of a stream that ended.
   * Another boundary's line at the start makes it BOUNDARY_MISMATCH, else NOT_MULTIPART.
   */
  noDelimiter(delimiter: Buffer, sent: number, within?: number): ParserFailure {
    const where = within === undefined ? `in the ${sent} bytes the stream sent` : `in the first ${within} bytes`;
    const text = delimiter.toString('latin1');
    if (this.declared === undefined) {
      const looked = this.sniffer?.collected.length ?? sent;
      return { code: 'NOT_MULTIPART', message: `no boundary was declared and the body's first ${looked} bytes do not start with a '--boundary' line` };
    }
    if (this.unclearLine !== undefined) {
      return {
        code: 'BOUNDARY_MISMATCH',
        message: `the Content-Type declares boundary '${this.declared}' but the body starts with '${this.unclearLine}' and has no '${text}' delimiter ${where}`,
      };
    }
    return { code: 'NOT_MULTIPART', message: `no '${text}' delimiter ${where}` };
  }
}
