import type { TimestampSource } from '../mjpeg/frame-timestamp.js';
import { newParserCounters, type BoundaryMismatch, type ParserCounters } from '../mjpeg/parser-types.js';

// What a stream keeps of each connection's parser: its part counters, the first boundary mismatch, the timestamps
// it could not read and where it read them.

export const PART_KEYS = [
  'corruptFrames',
  'corruptNoSoi',
  'corruptNoEoi',
  'corruptLengthMismatch',
  'emptyParts',
  'nonImageParts',
  'truncatedParts',
  'lengthMismatches',
  'oversizedHeaders',
  'oversizedParts',
] as const satisfies readonly (keyof ParserCounters)[];

/** The parser's part counters that a stream keeps, folded in when each connection ends. */
export type PartCounters = Pick<ParserCounters, (typeof PART_KEYS)[number]>;

// The parser's own zeros less the counts the stream keeps itself: built from PART_KEYS (Object.fromEntries) they
// took 35 ms of the start of a 10,000-stream run.
export function zeroPartCounters(): PartCounters {
  const { frames: _frames, frameBytes: _frameBytes, bodyBytes: _bodyBytes, ...parts } = newParserCounters();
  return parts;
}

/** What a connection's parser found, folded into its stream when the connection ends. */
export interface ParserTally {
  readonly counters: PartCounters;
  readonly boundaryMismatch: BoundaryMismatch | undefined;
  readonly invalidTimestamps: number;
  readonly timestampSource: TimestampSource | undefined;
}
