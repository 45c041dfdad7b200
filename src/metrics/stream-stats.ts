import type { EndCode } from '../end-codes.js';
import type { ParserTally } from './part-counters.js';
import { ParsedParts } from './parsed-parts.js';
import { DEFAULT_FRESHNESS, Freshness, type FreshnessOptions } from './freshness.js';
import { GapHistogram } from './gap-histogram.js';
import { ServerFelt } from './frame-skips.js';
import { Uptime } from './uptime.js';
import type { StartTimes } from './start-waits.js';
import { Visits } from './visits.js';
import type { StreamStages } from './stage-windows.js';
import type { StreamIsolation } from './isolation-window.js';
import { EventLog, frozenText, statusText, type StreamEvent, type StreamEventType } from './stream-events.js';
import type { ViewerGroup } from '../viewers.js';

export type { StreamEvent, StreamEventType } from './stream-events.js';
/** A stream's errors until its first: most streams have none, and an object each was 56 bytes. */
const NO_ERRORS: Readonly<Record<string, number>> = Object.freeze({});
/**
 * Everything measured on one stream, changed only through its methods, one per event of the stream's life (cheap
 * on the per-frame path), and read through getters by the timeline and the report builder. Times are milliseconds
 * on the run's clock (0 = run start).
 */
export class StreamStats {
  #frames = 0;
  #bytes = 0;
  #frameBytes = 0;
  #attempts = 0;
  #stalls = 0;
  #errors: Record<string, number> | undefined;
  #lastError: { code: string; message: string; t: number } | undefined;
  readonly #start: StartTimes = {
    scheduledAt: 0,
    firstAttemptAt: undefined,
    requestSentAt: undefined,
    waitedForSlot: undefined,
    headersAt: undefined,
    firstByteAt: undefined,
  };
  #firstFrameAt: number | undefined;
  #lastFrameAt: number | undefined;
  private readonly uptime = new Uptime();
  /** Under --stages: the times the slot was open (the time away is not the server's), and the stage each figure falls in. */
  readonly visits = new Visits();
  stages: StreamStages | undefined;
  #openAtEnd = false;
  readonly gaps = new GapHistogram();
  readonly freshness: Freshness;
  /** Frames the server skipped (from capture times), and when it first felt a viewer of a group. */
  readonly felt: ServerFelt;
  /** A normal viewer of a run with viewer groups: its part in the isolation windows. */
  isolation: StreamIsolation | undefined;
  /** When the picture last changed (run clock, ms): a repeat's freeze is measured from it. */
  private pictureChangedAt = 0;
  /** What its parsers found: part counts, the boundary, the capture times' header. */
  readonly parsed = new ParsedParts();
  readonly #events = new EventLog();
  /** Told of every event as it happens (the log listens); never called per frame. */
  onEvent: ((stats: StreamStats, event: StreamEvent) => void) | undefined;

  constructor(
    readonly index: number,
    readonly cameraId: string,
    readonly name: string,
    readonly url: string,
    freshness: FreshnessOptions = DEFAULT_FRESHNESS,
    /** Its viewer group: how it reads once the groups begin. */
    readonly viewers: ViewerGroup = 'normal',
  ) {
    this.freshness = new Freshness(freshness);
    this.felt = new ServerFelt(viewers !== 'normal');
  }

  get frames(): number {
    return this.#frames;
  }

  /** Response body bytes received (multipart framing included). */
  get bytes(): number {
    return this.#bytes;
  }

  /** Bytes of valid JPEG frames. */
  get frameBytes(): number {
    return this.#frameBytes;
  }

  /** Connection attempts; every attempt after the first is a reconnection. */
  get attempts(): number {
    return this.#attempts;
  }

  get stalls(): number {
    return this.#stalls;
  }

  /** Connections ended, by code. */
  get errors(): Readonly<Record<string, number>> {
    return this.#errors ?? NO_ERRORS;
  }

  get lastError(): { readonly code: string; readonly message: string; readonly t: number } | undefined {
    return this.#lastError;
  }

  /** Its first request's times, from its place in the ramp-up to its first byte (start-waits.ts). */
  get start(): Readonly<StartTimes> {
    return this.#start;
  }

  get firstFrameAt(): number | undefined {
    return this.#firstFrameAt;
  }

  get lastFrameAt(): number | undefined {
    return this.#lastFrameAt;
  }

  /** Set when the run stops: whether a response was open at that moment. */
  get openAtEnd(): boolean {
    return this.#openAtEnd;
  }

  get events(): readonly StreamEvent[] {
    return this.#events.entries;
  }

  get droppedEvents(): number {
    return this.#events.dropped;
  }

  /** Attempts after each visit's first (a stream never closed by a stage has one visit). */
  get reconnections(): number {
    return Math.max(0, this.#attempts - this.visits.begun);
  }

  get opened(): boolean {
    return this.#firstFrameAt !== undefined;
  }

  get connected(): boolean {
    return this.uptime.connected;
  }
  /** The stream's place in the ramp-up, on the run clock. */
  scheduled(at: number): void {
    this.#start.scheduledAt = at;
  }

  /** A viewer arrives at `at`, planned at `plannedAt` (its stage's, however late): its first attempt is no reconnection. */
  arrived(at: number, plannedAt = at): void {
    this.visits.arrived(at, plannedAt);
    this.stages?.arrived(plannedAt);
    if (this.visits.arrivals > 1) this.event(at, 'arrive');
  }

  /** A stage closed the slot at `at`: the viewer left on purpose, and the time until it is back is not the server's. */
  departed(at: number): void {
    this.visits.departed(at, this.#frames > 0);
    this.stages?.departed(at);
    this.event(at, 'depart');
  }

  /** An arrival planned at `plannedAt` the run stopped before camera-load began it, `lateMs` after its instant. */
  neverStarted(plannedAt: number, lateMs: number): void {
    this.stages?.neverStarted(plannedAt, lateMs);
  }

  /** A storm dropped its open connection: the time until it reconnects is the client's. */
  dropped(at: number): void {
    this.visits.departed(at, true);
    this.event(at, 'depart', 'dropped by a reconnect storm');
  }

  /** It reconnects after a storm: a new visit, whose first attempt is no reconnection of the server's. */
  rejoined(at: number): void {
    this.visits.returned(at);
  }

  /** A connection attempt begins (asking for a connect slot): every one after each visit's first is a reconnection. */
  attemptStarted(at: number): void {
    const before = this.reconnections;
    this.#attempts++;
    if (this.visits.storm) this.visits.storm.attempts++;
    if (this.reconnections > before) this.stages?.reconnected(at);
    const lateMs = this.visits.attempted(at);
    if (lateMs === lateMs) this.stages?.late(this.visits.lastPlannedAt, lateMs);
    this.#start.firstAttemptAt ??= at;
  }

  /** An attempt asks for a connect slot; `allTaken`: none was free. Only the first request's wait is counted. */
  connectSlotAsked(allTaken: boolean): void {
    if (this.#start.requestSentAt === undefined) this.#start.waitedForSlot ??= allTaken;
  }

  requestSent(at: number): void {
    this.#start.requestSentAt ??= at;
    this.visits.requestSent(at);
  }

  /** Response headers came, with any status. */
  responseStarted(at: number, statusCode: number): void {
    this.#start.headersAt ??= at;
    this.event(at, 'connect', statusText(statusCode));
  }

  /** The per-chunk path: the clock is read for the stream's first byte only. */
  bytesReceived(count: number, now: () => number): void {
    this.#start.firstByteAt ??= now();
    this.#bytes += count;
  }

  /** A 2xx response is open: from here the stream is connected. */
  connectionOpened(at: number): void {
    this.felt.newConnection();
    this.uptime.opened(at, this.#frames);
  }

  /** A connection's parser has had its last word: its part counts, boundary and timestamps join the stream's. */
  parserFinished(parser: ParserTally): void {
    this.parsed.add(parser);
  }

  connectionClosed(at: number): void {
    this.uptime.closed(at, this.#frames);
  }

  /** The run stops watching: whether a response is open now is what the report calls open at the end. */
  runStopped(): void {
    this.#openAtEnd = this.connected;
  }

  /** Time up (see Uptime). */
  connectedMs(now: number): number {
    return this.uptime.ms(now, this.#frames);
  }

  /**
   * The per-frame path: no allocation. `repeated`: the parser found the picture byte-identical to the one before it
   * on this connection; `ageMs`: its receive time less its capture time (NaN when its part carried none). A new
   * picture without a capture time touches no freshness state at all.
   */
  frame(sizeBytes: number, at: number, repeated = false, ageMs = Number.NaN): void {
    if (repeated) {
      if (this.freshness.repeat(at, this.pictureChangedAt)) {
        this.event(at, 'frozen', frozenText(this.freshness.frozenAfterMs));
      }
    } else {
      this.pictureChangedAt = at;
      if (ageMs === ageMs) this.freshness.age(at, ageMs);
    }
    // A picture the same as the one before, taken later (a still scene), tells a skip too.
    if (ageMs === ageMs) this.felt.feltPicture(at, ageMs, ageMs - this.freshness.minAgeMs);
    this.#frames++;
    this.#frameBytes += sizeBytes;
    let gapMs = Number.NaN;
    if (this.#lastFrameAt === undefined) {
      this.#firstFrameAt = at;
      this.visitFirstFrame(at);
      this.event(at, 'first-frame');
    } else if (this.visits.pending) {
      // Back after leaving on purpose: the time away is no gap of the server's.
      this.visitFirstFrame(at);
    } else {
      // Gaps span reconnections too: a viewer sees the downtime as one long gap.
      gapMs = at - this.#lastFrameAt;
      this.gaps.record(gapMs);
    }
    const isolation = this.isolation;
    const stages = this.stages;
    if (isolation !== undefined || stages !== undefined) {
      const delayMs = !repeated && ageMs === ageMs ? this.freshness.lastDelayMs : Number.NaN;
      isolation?.frame(at, gapMs, delayMs);
      stages?.frame(at, gapMs, delayMs);
    }
    this.#lastFrameAt = at;
  }

  private visitFirstFrame(at: number): void {
    const waitedMs = this.visits.firstFrame(at);
    if (waitedMs === waitedMs) this.stages?.firstFrame(at, waitedMs);
  }

  /** A connection ended, with the code and message it ended with. */
  error(code: EndCode, message: string, at: number): void {
    this.stages?.ended(at, code);
    this.visits.storm?.ended(code);
    const errors = (this.#errors ??= {});
    errors[code] = (errors[code] ?? 0) + 1;
    this.#lastError = { code, message, t: at };
    if (code === 'STALL') this.#stalls++;
    this.felt.ended(at);
    this.event(at, code === 'STALL' ? 'stall' : 'error', `${code}: ${message}`);
  }

  /** An event of the stream's life, to its listener and its bounded history. */
  event(t: number, type: StreamEventType, detail?: string): void {
    const entry: StreamEvent = detail === undefined ? { t: Math.round(t), type } : { t: Math.round(t), type, detail };
    this.onEvent?.(this, entry);
    this.#events.add(entry);
  }
}
