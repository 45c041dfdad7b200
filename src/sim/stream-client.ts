import type { ServerResponse } from 'node:http';
import type { CameraBehaviour } from './camera-behaviour.js';
import type { CameraCounters } from './fleet-stats.js';

// The parts the fleet writes, and what its stream hub keeps for each client it writes them to.

/** One pre-built part, split around the X-Timestamp line, which is the only piece that changes per frame. */
export interface WirePart {
  /** `--frame`, Content-Type and Content-Length lines. */
  head: Buffer;
  /** The image and the line ending after it. */
  tail: Buffer;
}

/** The pre-built parts one wire format serves: every stream writes these shared buffers, never copies. */
export interface PartSet {
  frames: readonly WirePart[];
  corrupt: WirePart;
  lineEnding: '\r\n' | '\n';
}

/** What one write puts on the wire: head, timestamp line, tail; kept whole so that freeze can re-send it. */
export type Chunks = readonly [Buffer, Buffer, Buffer];
export type PartKind = 'frame' | 'repeat' | 'corrupt';

/** What the hub keeps per open stream. */
export interface StreamClient {
  res: ServerResponse;
  counters: CameraCounters;
  behaviour: CameraBehaviour;
  parts: PartSet;
  /** Frames owed to this client: grows with time × fps × bandwidth scale, one frame per whole unit. */
  credit: number;
  partsWritten: number;
  cursor: number;
  stalled: boolean;
  /** performance.now() when the stream started: --lag grows with the stream's age. */
  startedAt: number;
  /** The last JPEG part written, which --freeze re-sends byte for byte. */
  lastFrame: Chunks | undefined;
  /** Parts --lag is holding back; cleared when the stream closes. */
  delayed: Set<NodeJS.Timeout>;
  /** Bytes its socket had not taken at the last write, as counted in its camera's queuedBytes. */
  queued: number;
  /** Since when its socket has been full (--slow-client disconnect); undefined while it keeps up. */
  behindSince: number | undefined;
}
