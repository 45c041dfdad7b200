export type ParserProblemKind =
  | 'corrupt-no-soi'
  | 'corrupt-no-eoi'
  | 'corrupt-length-mismatch'
  | 'empty-part'
  | 'non-image-part'
  | 'truncated-part'
  | 'oversized-headers'
  | 'oversized-part';

export interface MjpegParserOptions {
  /** From the Content-Type; when absent the parser sniffs it from the start of the body. */
  boundary?: string;
  maxHeaderBytes?: number;
  maxPartBytes?: number;
  /** Injected clock (ms) for frame completion times. */
  now?: () => number;
  onFrame?: (sizeBytes: number, atMs: number) => void;
  onProblem?: (kind: ParserProblemKind) => void;
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

/** Counts a finished part by what it turned out to be; says 'frame' or the problem, for the callbacks. */
export function countPart(
  c: ParserCounters,
  size: number,
  nonImage: boolean,
  lengthMismatch: boolean,
  jpeg: 'ok' | 'no-soi' | 'no-eoi',
): 'frame' | ParserProblemKind {
  c.bodyBytes += size;
  if (size === 0 && !lengthMismatch) {
    c.emptyParts++;
    return 'empty-part';
  }
  if (nonImage) {
    c.nonImageParts++;
    return 'non-image-part';
  }
  if (lengthMismatch) {
    c.corruptFrames++;
    c.corruptLengthMismatch++;
    return 'corrupt-length-mismatch';
  }
  if (jpeg !== 'ok') {
    c.corruptFrames++;
    if (jpeg === 'no-soi') c.corruptNoSoi++;
    else c.corruptNoEoi++;
    return jpeg === 'no-soi' ? 'corrupt-no-soi' : 'corrupt-no-eoi';
  }
  c.frames++;
  c.frameBytes += size;
  return 'frame';
}
