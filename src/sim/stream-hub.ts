import type { ServerResponse } from 'node:http';
import type { CameraBehaviour } from './camera-behaviour.js';
import type { SlowClientPolicy } from './options.js';
import type { CameraCounters } from './fleet-stats.js';
import { OpenStreamCounts } from './fleet-timeline.js';
import type { Chunks, PartKind, PartSet, StreamClient, WirePart } from './stream-client.js';

import { timestampLine } from './wire-format.js';

export interface StreamHubOptions {
  fps: number;
  /** Write as fast as each client reads, up to a burst per tick: no pacing, no bandwidth model. */
  maxSpeed?: boolean;
  /** Average part size on the wire, for the bandwidth model. */
  partBytes: number;
  bandwidthBytesPerSecond?: number;
  /** What to do for a client whose socket is full. */
  slowClient: SlowClientPolicy;
}

// A late timer must not turn into a burst that floods every socket at once: at most 50 ms of frames (and at
// least 3) catch up in one tick.
const CATCH_UP_SECONDS = 0.05;
const MIN_CREDIT = 3;
// Frames a client may have queued behind its socket before new ones are dropped: enough to absorb one tick's
// burst at a high frame rate, small enough that a reader who stopped costs us almost nothing.
const BACKLOG_PARTS = 3;
const MAX_SPEED_BURST = 64;
const GOLDEN_RATIO_FRACTION = 0.6180339887498949;

/**
 * Paces every open stream from one timer. Each tick adds elapsed time × fps × scale to each client's credit
 * and writes a frame per whole unit of credit, so the long-run rate is exact whatever the timer's jitter,
 * and a bandwidth budget below demand lowers every stream's rate in proportion.
 */
export class StreamHub {
  private readonly clients = new Set<StreamClient>();
  private readonly tickMs: number;
  /** Bytes a client may have queued behind its socket before the slow-client policy applies. */
  private readonly backlogBytes: number;
  private readonly maxCredit: number;
  private timer: NodeJS.Timeout | undefined;
  private lastTick = 0;
  private flowing = 0;
  private scaleNow = 1;
  /** The capture time of the frames written now, on the performance clock and as epoch milliseconds. */
  private stampPerf = 0;
  private stampEpochMs = 0;
  /** This moment's X-Timestamp line per line ending: built once and shared by every stream written now. */
  private readonly stampLines = new Map<string, Buffer>();
  /** Streams added and removed, counted on add and remove only: the fleet timeline samples them. */
  readonly counts = new OpenStreamCounts();

  constructor(private readonly options: StreamHubOptions) {
    this.maxCredit = Math.max(MIN_CREDIT, options.fps * CATCH_UP_SECONDS);
    this.tickMs = options.maxSpeed ? 1 : Math.min(20, Math.max(4, 1000 / options.fps / 4));
    const slow = options.slowClient;
    this.backlogBytes = (slow.policy === 'queue' ? slow.frames : BACKLOG_PARTS) * options.partBytes;
  }

  get open(): number {
    return this.clients.size;
  }

  /** Share of the nominal frame rate the bandwidth budget allows now (1 = unthrottled). */
  get scale(): number {
    return this.scaleNow;
  }

  /** Starts streaming to `res`, whose headers are already sent: the first frame goes out at once. */
  add(res: ServerResponse, counters: CameraCounters, behaviour: CameraBehaviour, parts: PartSet): void {
    const client: StreamClient = {
      res,
      counters,
      behaviour,
      parts,
      // Spread clients that join together over the frame period instead of serving them all in one tick.
      credit: (this.counts.added * GOLDEN_RATIO_FRACTION) % 1,
      partsWritten: 0,
      cursor: this.counts.added % parts.frames.length,
      stalled: behaviour.stallAfterFrames === 0,
      startedAt: performance.now(),
      lastFrame: undefined,
      delayed: new Set(),
      queued: 0,
      behindSince: undefined,
    };
    this.clients.add(client);
    this.counts.opened();
    counters.openStreams++;
    res.once('close', () => {
      this.remove(client);
      this.cancelDelayed(client);
    });
    if (!client.stalled) this.flowing++;
    this.rescale();
    this.refreshStamp();
    if (!client.stalled) this.write(client);
    if (!this.timer && this.clients.size > 0) {
      this.lastTick = performance.now();
      this.timer = setInterval(this.tick, this.tickMs);
    }
  }

  close(): void {
    for (const client of this.clients) {
      this.cancelDelayed(client);
      client.res.destroy();
    }
    this.clients.clear();
    this.stopTimer();
  }

  private remove(client: StreamClient): void {
    if (!this.clients.delete(client)) return;
    this.counts.closed();
    client.counters.openStreams--;
    client.counters.queuedBytes -= client.queued;
    client.queued = 0;
    if (!client.stalled) this.flowing--;
    this.rescale();
    if (this.clients.size === 0) this.stopTimer();
  }

  private cancelDelayed(client: StreamClient): void {
    for (const timer of client.delayed) clearTimeout(timer);
    client.delayed.clear();
  }

  /** Takes "now" as the capture time of the frames about to be written: once per tick, not per stream. */
  private refreshStamp(): void {
    this.stampPerf = performance.now();
    this.stampEpochMs = performance.timeOrigin + this.stampPerf;
    this.stampLines.clear();
  }

  private stampLine(lineEnding: PartSet['lineEnding']): Buffer {
    let line = this.stampLines.get(lineEnding);
    if (!line) {
      line = timestampLine(this.stampEpochMs, lineEnding);
      this.stampLines.set(lineEnding, line);
    }
    return line;
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private rescale(): void {
    const budget = this.options.bandwidthBytesPerSecond;
    const demand = this.flowing * this.options.fps * this.options.partBytes;
    this.scaleNow = budget === undefined || demand <= budget ? 1 : budget / demand;
  }

  private readonly tick = (): void => {
    const now = performance.now();
    const step = ((now - this.lastTick) / 1000) * this.options.fps * this.scaleNow;
    this.lastTick = now;
    this.refreshStamp();
    for (const client of this.clients) {
      if (client.stalled) continue;
      if (this.options.maxSpeed) {
        for (let k = 0; k < MAX_SPEED_BURST && !client.res.writableNeedDrain; k++) if (!this.write(client)) break;
        continue;
      }
      client.credit = Math.min(client.credit + step, this.maxCredit);
      while (client.credit >= 1) {
        client.credit -= 1;
        if (!this.write(client)) break;
      }
    }
  };

  /** Writes the client's next part; false when the client stopped flowing (dropped or stalled). */
  private write(client: StreamClient): boolean {
    const { res, behaviour } = client;
    this.countQueued(client);
    if (res.writableLength >= Math.max(res.writableHighWaterMark, this.backlogBytes)) return this.behind(client);
    client.behindSince = undefined;
    const n = client.partsWritten + 1;
    client.partsWritten = n;
    const [chunks, kind] = this.nextPart(client, n);
    const drop = behaviour.dropEveryFrames !== undefined && n % behaviour.dropEveryFrames === 0;

    const lag = behaviour.lag;
    const capturedAt = this.stampPerf;
    const delayMs = lag ? Math.min(lag.maxMs, (lag.stepMsPerSecond * (capturedAt - client.startedAt)) / 1000) : 0;
    // Below a millisecond a timer cannot wait any shorter than it would anyway: send at once, as unlagged.
    if (delayMs >= 1) {
      // The delay only grows (or holds at the cap), so timers fire in capture order and parts stay in order.
      const timer = setTimeout(() => {
        client.delayed.delete(timer);
        this.send(client, chunks, kind, drop, capturedAt);
      }, delayMs);
      client.delayed.add(timer);
    } else {
      this.send(client, chunks, kind, drop, undefined);
    }

    if (drop) {
      // Stop writing now; the connection closes once the (possibly delayed) last part has gone out.
      this.remove(client);
      return false;
    }
    if (behaviour.stallAfterFrames !== undefined && n >= behaviour.stallAfterFrames) {
      client.stalled = true;
      this.flowing--;
      this.rescale();
      return false;
    }
    return true;
  }

  /** The bytes the client's socket has not taken, in its camera's gauge and peak. */
  private countQueued(client: StreamClient): void {
    const now = client.res.writableLength;
    client.counters.queuedBytes += now - client.queued;
    client.counters.peakQueuedBytes = Math.max(client.counters.peakQueuedBytes, now);
    client.queued = now;
  }

  /**
   * A client whose socket is full (it reads slower than the stream): the frame is skipped rather than queued without
   * end (drop, or a full queue); with --slow-client disconnect, a client behind for long enough loses its stream.
   * Returns whether the client still flows.
   */
  private behind(client: StreamClient): boolean {
    const slow = this.options.slowClient;
    if (slow.policy === 'disconnect') {
      client.behindSince ??= this.stampPerf;
      if (this.stampPerf - client.behindSince >= slow.afterMs) {
        client.counters.slowDisconnects++;
        this.remove(client);
        client.res.destroy();
        return false;
      }
    }
    client.counters.framesDropped++;
    return true;
  }

  /** The n-th part of a stream: a repeat of the last frame while frozen, else the next image (or a corrupt part). */
  private nextPart(client: StreamClient, n: number): [Chunks, PartKind] {
    const { behaviour, parts } = client;
    const freeze = behaviour.freeze;
    if (freeze && client.lastFrame && (n - 1) % (freeze.freshFrames + freeze.repeatFrames) >= freeze.freshFrames) {
      return [client.lastFrame, 'repeat'];
    }
    const corrupt = behaviour.corruptEveryFrames !== undefined && n % behaviour.corruptEveryFrames === 0;
    const wire = corrupt ? parts.corrupt : (parts.frames[client.cursor++ % parts.frames.length] as WirePart);
    const chunks: Chunks = [wire.head, this.stampLine(parts.lineEnding), wire.tail];
    if (corrupt) return [chunks, 'corrupt'];
    client.lastFrame = chunks;
    return [chunks, 'frame'];
  }

  /** Puts one part on the wire and counts it; `capturedAt` is set when --lag held the part back. */
  private send(client: StreamClient, chunks: Chunks, kind: PartKind, drop: boolean, capturedAt: number | undefined): void {
    const { res, counters } = client;
    if (res.destroyed) return;
    if (kind === 'corrupt') counters.corruptSent++;
    else counters.framesSent++;
    if (kind === 'repeat') counters.framesRepeated++;
    if (drop) counters.serverDrops++;
    if (capturedAt !== undefined) {
      // The delay actually added, timer lateness included: what a client measures as receive − X-Timestamp.
      const delay = performance.now() - capturedAt;
      counters.framesDelayed++;
      counters.lagDelaySumMs += delay;
      counters.lagDelayMaxMs = Math.max(counters.lagDelayMaxMs, delay);
      counters.lagDelayLastMs = delay;
    }
    const [head, stamp, tail] = chunks;
    counters.bytesSent += head.length + stamp.length + tail.length;
    // Corked, the three shared buffers leave in one writev: no per-stream copy of the image.
    res.cork();
    res.write(head);
    res.write(stamp);
    // With --drop-every, close only once the part has reached the socket, so the client receives every byte
    // counted as sent.
    if (drop) res.write(tail, () => res.destroy());
    else res.write(tail);
    res.uncork();
  }
}
