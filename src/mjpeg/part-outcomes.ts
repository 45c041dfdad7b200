import type { TimestampSource } from './frame-timestamp.js';
import { NO_FINGERPRINT, type PartBody } from './part-body.js';
import { PartType } from './header-line.js';
import type { HeaderBlock, TimestampHeaders } from './part-headers.js';
import { newParserCounters, type FrameSink, type MjpegParserOptions, type ParserCounters, type ParserProblemKind } from './parser-types.js';

/**
 * What each part came to: one counter per part, a frame or problem event, and what tells a frame that repeats the
 * one before. Per connection, as the parser is: a reconnection starts afresh.
 */
export class PartOutcomes {
  readonly counters: ParserCounters = newParserCounters();
  private readonly frames: FrameSink | undefined;
  private readonly onProblem: MjpegParserOptions['onProblem'];
  private source: TimestampSource | undefined;
  /** The last frame's fingerprint (a hash of its last bytes, see PartBody) and length: equal both, and it repeats. */
  private lastFingerprint = 0;
  private lastLength = -1;

  constructor(
    options: MjpegParserOptions,
    private readonly now: () => number,
    private readonly timestampHeaders: TimestampHeaders,
  ) {
    const { onFrame } = options;
    this.frames = options.frames ?? (onFrame && { frame: onFrame });
    this.onProblem = options.onProblem;
  }

  /** The header the latest capture time came from, and its unit; undefined before one was read. */
  get timestampSource(): TimestampSource | undefined {
    return this.source;
  }

  /**
   * A part ended: counted by what its body holds, whatever its Content-Length said (`lengthLied`: it missed the
   * delimiter, counted too). `at` is the frame's time, or -1 for now.
   */
  part(body: PartBody, headers: HeaderBlock, lengthLied: boolean, at: number): void {
    if (lengthLied) this.problem('length-mismatch', 'lengthMismatches');
    const outcome = countPart(this.counters, body.length, headers.typeKind === PartType.OTHER, lengthLied, body.jpegCheck());
    if (outcome === 'frame') this.frame(body, headers, at);
    else this.onProblem?.(outcome);
  }

  /** A part cut short: by a delimiter line inside its headers, or by the end of the stream. */
  truncated(bodyBytes: number): void {
    this.counters.bodyBytes += bodyBytes;
    this.problem('truncated-part', 'truncatedParts');
  }

  oversizedHeaders(): void {
    this.problem('oversized-headers', 'oversizedHeaders');
  }

  /** A body past the part cap: its bytes are counted, the part is not (see oversizedPart). */
  discarded(bodyBytes: number): void {
    this.counters.bodyBytes += bodyBytes;
  }

  oversizedPart(): void {
    this.problem('oversized-part', 'oversizedParts');
  }

  private problem(kind: ParserProblemKind, counter: 'lengthMismatches' | 'truncatedParts' | 'oversizedHeaders' | 'oversizedParts'): void {
    this.counters[counter]++;
    this.onProblem?.(kind);
  }

  private frame(body: PartBody, headers: HeaderBlock, at: number): void {
    const timestamp = headers.timestamp;
    // A new object only when the header or unit changes: not per frame.
    const header = this.timestampHeaders.names[headers.timestampHeader];
    if (header !== undefined && (this.source?.unit !== timestamp.unit || this.source.header !== header)) {
      this.source = { header, unit: timestamp.unit };
    }
    const length = body.length;
    const fingerprint = body.fingerprint();
    const repeated = fingerprint !== NO_FINGERPRINT && length === this.lastLength && fingerprint === this.lastFingerprint;
    this.lastLength = length;
    this.lastFingerprint = fingerprint;
    this.frames?.frame(length, at >= 0 ? at : this.now(), repeated, timestamp.ms);
  }
}

/**
 * Counts a finished part by what lies between its delimiters, whatever its Content-Length said; says 'frame' or
 * the problem, for the callbacks.
 */
export function countPart(
  c: ParserCounters,
  size: number,
  nonImage: boolean,
  lengthMismatch: boolean,
  jpeg: 'ok' | 'no-soi' | 'no-eoi',
): 'frame' | ParserProblemKind {
  c.bodyBytes += size;
  if (size === 0) {
    c.emptyParts++;
    return 'empty-part';
  }
  if (nonImage) {
    c.nonImageParts++;
    return 'non-image-part';
  }
  if (jpeg === 'ok') {
    c.frames++;
    c.frameBytes += size;
    return 'frame';
  }
  c.corruptFrames++;
  if (lengthMismatch) {
    c.corruptLengthMismatch++;
    return 'corrupt-length-mismatch';
  }
  if (jpeg === 'no-soi') {
    c.corruptNoSoi++;
    return 'corrupt-no-soi';
  }
  c.corruptNoEoi++;
  return 'corrupt-no-eoi';
}
