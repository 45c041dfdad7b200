import type { TimestampHeaders } from './part-headers.js';

export type ParserProblemKind =
  | 'corrupt-no-soi'
  | 'corrupt-no-eoi'
  | 'corrupt-length-mismatch'
  /** A Content-Length disagreed with where the delimiter was (the part itself is counted by what it holds). */
  | 'length-mismatch'
  | 'empty-part'
  | 'non-image-part'
  | 'truncated-part'
  | 'oversized-headers'
  | 'oversized-part';

export type ParserFailureCode = 'NOT_MULTIPART' | 'BOUNDARY_MISMATCH' | 'PART_HEADERS_TOO_LARGE' | 'PART_TOO_LARGE';

/** Why the parser stopped reading: the stream is not one it can count, and the connection should end. */
export interface ParserFailure {
  code: ParserFailureCode;
  /** One plain sentence naming the cause, with figures. */
  message: string;
}

/** The body used another boundary than the declared one, and the parser followed the body. */
export interface BoundaryMismatch {
  declared: string;
  found: string;
}

export interface MjpegParserOptions {
  /** From the Content-Type; when absent the parser sniffs it from the start of the body. */
  boundary?: string;
  maxHeaderBytes?: number;
  maxPartBytes?: number;
  /** Injected clock (ms) for frame completion times. */
  now?: () => number;
  /** The part headers that carry a capture time; default X-Timestamp and X-Frame-Timestamp, unit from the value. */
  timestampHeaders?: TimestampHeaders;
  /**
   * A complete frame: its size, when it arrived, whether it repeats the frame before it on this stream (same length
   * and fingerprint: byte-identical, in practice) and its capture time in ms in the sender's clock (NaN: none).
   */
  onFrame?: (sizeBytes: number, atMs: number, repeated: boolean, capturedMs: number) => void;
  /** As onFrame, told to an object's method (the engine's connection): no closure a stream. Given, onFrame is not called. */
  frames?: FrameSink;
  onProblem?: (kind: ParserProblemKind) => void;
}

/** Who is told of each complete frame, as `onFrame` is. */
export interface FrameSink {
  frame(sizeBytes: number, atMs: number, repeated: boolean, capturedMs: number): void;
}

export interface ParserCounters {
  frames: number;
  /** Bytes of valid frames. */
  frameBytes: number;
  /** Body bytes of every part, valid or not. */
  bodyBytes: number;
  corruptFrames: number;
  corruptNoSoi: number;
  corruptNoEoi: number;
  /** Corrupt parts whose Content-Length also lied (a complete JPEG behind a lying length is a frame). */
  corruptLengthMismatch: number;
  emptyParts: number;
  nonImageParts: number;
  truncatedParts: number;
  oversizedHeaders: number;
  oversizedParts: number;
  /** Content-Length values that the bytes after them contradicted. */
  lengthMismatches: number;
}

export function newParserCounters(): ParserCounters {
  return {
    frames: 0,
    frameBytes: 0,
    bodyBytes: 0,
    corruptFrames: 0,
    corruptNoSoi: 0,
    corruptNoEoi: 0,
    corruptLengthMismatch: 0,
    emptyParts: 0,
    nonImageParts: 0,
    truncatedParts: 0,
    oversizedHeaders: 0,
    oversizedParts: 0,
    lengthMismatches: 0,
  };
}

/** A body with no delimiter in its first MiB is not the stream we were promised. */
export const GIVE_UP_BYTES = 1024 * 1024;

/** The caps on a part's header block and body. */
export interface PartLimits {
  maxHeaderBytes: number;
  maxPartBytes: number;
}
