import type { ServerResponse } from 'node:http';
import type { CameraBehaviour } from './camera-behaviour.js';
import type { CameraCounters } from './fleet-stats.js';

/** The pre-built parts one wire format serves: every stream writes these shared buffers, never copies. */
export interface PartSet {
  frames: readonly Buffer[];
  corrupt: Buffer;
}

interface StreamClient {
  res: ServerResponse;
  counters: CameraCounters;
  behaviour: CameraBehaviour;
  parts: PartSet;
  /** Frames owed to this client: grows with time × fps × bandwidth scale, one frame per whole unit. */
  credit: number;
  partsWritten: number;
  cursor: number;
  stalled: boolean;
}

export interface StreamHubOptions {
  fps: number;
  /** Write as fast as each client reads, up to a burst per tick: no pacing, no bandwidth model. */
  maxSpeed?: boolean;
  /** Average part size on the wire, for the bandwidth model. */
  partBytes: number;
  bandwidthBytesPerSecond?: number;
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
  private readonly maxCredit: number;
  private timer: NodeJS.Timeout | undefined;
  private lastTick = 0;
  private flowing = 0;
  private joined = 0;
  private scaleNow = 1;
  peakOpen = 0;

  constructor(private readonly options: StreamHubOptions) {
    this.maxCredit = Math.max(MIN_CREDIT, options.fps * CATCH_UP_SECONDS);
    this.tickMs = options.maxSpeed ? 1 : Math.min(20, Math.max(4, 1000 / options.fps / 4));
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
      credit: (this.joined * GOLDEN_RATIO_FRACTION) % 1,
      partsWritten: 0,
      cursor: this.joined % parts.frames.length,
      stalled: behaviour.stallAfterFrames === 0,
    };
    this.joined++;
    this.clients.add(client);
    counters.openStreams++;
    this.peakOpen = Math.max(this.peakOpen, this.clients.size);
    res.once('close', () => {
      this.remove(client);
    });
    if (!client.stalled) this.flowing++;
    this.rescale();
    if (!client.stalled) this.write(client);
    if (!this.timer && this.clients.size > 0) {
      this.lastTick = performance.now();
      this.timer = setInterval(this.tick, this.tickMs);
    }
  }

  close(): void {
    for (const client of this.clients) client.res.destroy();
    this.clients.clear();
    this.stopTimer();
  }

  private remove(client: StreamClient): void {
    if (!this.clients.delete(client)) return;
    client.counters.openStreams--;
    if (!client.stalled) this.flowing--;
    this.rescale();
    if (this.clients.size === 0) this.stopTimer();
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
    const { res, counters, behaviour, parts } = client;
    // Backpressure: a client that cannot keep up loses frames rather than growing our memory.
    if (res.writableLength >= Math.max(res.writableHighWaterMark, BACKLOG_PARTS * this.options.partBytes)) {
      counters.framesDropped++;
      return true;
    }
    const n = client.partsWritten + 1;
    client.partsWritten = n;
    const corrupt = behaviour.corruptEveryFrames !== undefined && n % behaviour.corruptEveryFrames === 0;
    const part = corrupt ? parts.corrupt : (parts.frames[client.cursor++ % parts.frames.length] as Buffer);
    if (corrupt) counters.corruptSent++;
    else counters.framesSent++;
    counters.bytesSent += part.length;

    if (behaviour.dropEveryFrames !== undefined && n % behaviour.dropEveryFrames === 0) {
      counters.serverDrops++;
      // Close only once the part has reached the socket, so the client receives every byte counted as sent.
      res.write(part, () => res.destroy());
      this.remove(client);
      return false;
    }
    res.write(part);
    if (behaviour.stallAfterFrames !== undefined && n >= behaviour.stallAfterFrames) {
      client.stalled = true;
      this.flowing--;
      this.rescale();
      return false;
    }
    return true;
  }
}
