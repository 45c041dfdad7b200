import type { TimestampSource } from '../mjpeg/frame-timestamp.js';
import { newParserCounters, type BoundaryMismatch, type ParserCounters } from '../mjpeg/parser-types.js';
import { DEFAULT_FRESHNESS, Freshness, type FreshnessOptions } from './freshness.js';
import { GapHistogram } from './gap-histogram.js';

export type StreamEventType = 'connect' | 'first-frame' | 'error' | 'reconnect' | 'stall' | 'frozen';

export interface StreamEvent {
  /** Milliseconds since the run started. */
  t: number;
  type: StreamEventType;
  detail?: string;
}

const MAX_EVENTS = 40;

const PART_KEYS = [
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
function zeroPartCounters(): PartCounters {
  const { frames: _frames, frameBytes: _frameBytes, bodyBytes: _bodyBytes, ...parts } = newParserCounters();
  return parts;
}

/**
 * Everything measured on one stream, as plain fields updated in place: cheap on the per-frame path and read
 * by the timeline and the report builder. Times are milliseconds on the run's clock (0 = run start).
 */
export class StreamStats {
  frames = 0;
  /** Response body bytes received (multipart framing included). */
  bytes = 0;
  /** Bytes of valid JPEG frames. */
  frameBytes = 0;
  parts: PartCounters = zeroPartCounters();
  /** Connection attempts; every attempt after the first is a reconnection. */
  attempts = 0;
  stalls = 0;
  errors: Record<string, number> = {};
  lastError: { code: string; message: string; t: number } | undefined;
  /**
   * A stream's start, on the run clock: when it was meant to start (its place in the ramp-up), when it asked for a
   * connect slot (camera-load's own lateness before), when its first request left (the connect queue before) and
   * when its first response headers came. The server's figures count from the request leaving.
   */
  scheduledAt = 0;
  firstAttemptAt: number | undefined;
  requestSentAt: number | undefined;
  /** Every connect slot was taken when the first request asked for one: its wait was the connect queue's. */
  waitedForSlot: boolean | undefined;
  headersAt: number | undefined;
  firstByteAt: number | undefined;
  firstFrameAt: number | undefined;
  lastFrameAt: number | undefined;
  /** Milliseconds with a 2xx response open that delivered a frame, closed connections only; see connectedMs(). */
  private connectedMsClosed = 0;
  /** When the open 2xx response began, and the frame count then. */
  private connectedSince: number | undefined;
  private framesAtConnect = 0;
  /** The body used another boundary than its Content-Type declared, and was read with the body's. */
  boundaryMismatch: BoundaryMismatch | undefined;
  /** Set when the run ends: whether a response was open at that moment. */
  openAtEnd = false;
  readonly gaps = new GapHistogram();
  readonly freshness: Freshness;
  /** When the picture last changed (run clock, ms): a repeat's freeze is measured from it. */
  private pictureChangedAt = 0;
  /** The part header the capture times came from, and its unit, once a frame carried one. */
  timestampSource: TimestampSource | undefined;
  /** Timestamp header values that could not be read, folded in when each connection ends. */
  invalidTimestamps = 0;
  readonly events: StreamEvent[] = [];
  droppedEvents = 0;
  /** Told of every event as it happens (the log listens); never called per frame. */
  onEvent: ((stats: StreamStats, event: StreamEvent) => void) | undefined;

  constructor(
    readonly index: number,
    readonly cameraId: string,
    readonly name: string,
    readonly url: string,
    freshness: FreshnessOptions = DEFAULT_FRESHNESS,
  ) {
    this.freshness = new Freshness(freshness);
  }

  /**
   * What the first request waited for before it left, up to `now` for a wait not over (ms; undefined: not begun):
   * camera-load's own lateness (from its scheduled start to asking for a slot, and, with a slot free, on to leaving)
   * and the connect queue (asking to leaving, when every slot was taken). The report and the live metrics read it.
   */
  startWaits(now: number): { clientLatenessMs: number | undefined; connectQueueMs: number | undefined } {
    const asked = this.firstAttemptAt ?? (now > this.scheduledAt ? now : undefined);
    const left = this.requestSentAt ?? (this.firstAttemptAt === undefined ? undefined : now);
    const wait = left === undefined || this.firstAttemptAt === undefined ? undefined : Math.max(0, left - this.firstAttemptAt);
    const queued = this.waitedForSlot !== false;
    return {
      clientLatenessMs: asked === undefined ? undefined : Math.max(0, asked - this.scheduledAt) + (queued ? 0 : (wait ?? 0)),
      connectQueueMs: wait === undefined ? undefined : queued ? wait : 0,
    };
  }

  get reconnections(): number {
    return Math.max(0, this.attempts - 1);
  }

  get opened(): boolean {
    return this.firstFrameAt !== undefined;
  }

  get connected(): boolean {
    return this.connectedSince !== undefined;
  }

  /** A 2xx response is open: from here the stream is connected. */
  connectionOpened(at: number): void {
    this.connectedSince = at;
    this.framesAtConnect = this.frames;
  }

  connectionClosed(at: number): void {
    this.connectedMsClosed += this.deliveringMs(at);
    this.connectedSince = undefined;
  }

  /**
   * Time up: a response open that delivered at least one frame. A stream answering 200 with nothing usable
   * (wrong boundary, HTML, endless headers) is not up, however long its connection lasts.
   */
  connectedMs(now: number): number {
    return this.connectedMsClosed + this.deliveringMs(now);
  }

  private deliveringMs(now: number): number {
    return this.connectedSince === undefined || this.frames === this.framesAtConnect ? 0 : now - this.connectedSince;
  }

  /**
   * The per-frame path: no allocation. `repeated`: the parser found the picture byte-identical to the one before it
   * on this connection; `ageMs`: its receive time less its capture time (NaN when its part carried none). A new
   * picture without a capture time touches no freshness state at all.
   */
  frame(sizeBytes: number, at: number, repeated = false, ageMs = Number.NaN): void {
    if (repeated) {
      if (this.freshness.repeat(at, this.pictureChangedAt)) {
        this.event(at, 'frozen', `FROZEN: the same picture for over ${this.freshness.frozenAfterMs} ms while frames kept coming`);
      }
    } else {
      this.pictureChangedAt = at;
      if (ageMs === ageMs) this.freshness.age(at, ageMs);
    }
    this.frames++;
    this.frameBytes += sizeBytes;
    if (this.lastFrameAt === undefined) {
      this.firstFrameAt = at;
      this.event(at, 'first-frame');
    } else {
      // Gaps span reconnections too: a viewer sees the downtime as one long gap.
      this.gaps.record(at - this.lastFrameAt);
    }
    this.lastFrameAt = at;
  }

  error(code: string, message: string, at: number): void {
    this.errors[code] = (this.errors[code] ?? 0) + 1;
    this.lastError = { code, message, t: at };
    if (code === 'STALL') this.stalls++;
    this.event(at, code === 'STALL' ? 'stall' : 'error', `${code}: ${message}`);
  }

  addParts(counters: PartCounters): void {
    for (const key of PART_KEYS) this.parts[key] += counters[key];
  }

  /** A short, bounded history: the first events and the most recent ones matter, the middle is counted. */
  event(t: number, type: StreamEventType, detail?: string): void {
    const entry: StreamEvent = detail === undefined ? { t: Math.round(t), type } : { t: Math.round(t), type, detail };
    this.onEvent?.(this, entry);
    if (this.events.length < MAX_EVENTS) {
      this.events.push(entry);
      return;
    }
    this.droppedEvents++;
    // Keep the first half as it was; the second half rolls.
    this.events.splice(MAX_EVENTS / 2, 1);
    this.events.push(entry);
  }
}
