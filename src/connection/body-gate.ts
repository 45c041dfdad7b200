import type { Dispatcher } from 'undici';
import type { Pausable } from './viewer-pacing.js';

/** Who reads what a gate lets through. */
export interface GatedReader {
  /** A chunk of the body; the gate may be held again while it is read. */
  take(chunk: Buffer): void;
  /** The body ended, every chunk of it taken. */
  bodyEnded(): void;
}

/**
 * A paced viewer's response body, as its pacing holds it when it has no socket of its own to hold (through a proxy,
 * or TLS). Held, the gate pauses undici's controller: undici stops its parser after the chunk in hand and puts the rest
 * of its read back on the socket, so what the viewer does not take waits in TCP's buffers, where the server feels it.
 * What undici still delivers while held (that chunk; the rest of the socket when the server closes it) waits here, in
 * order, with the body's end after it, as a paused response stream keeps what it buffered.
 */
export class BodyGate implements Pausable {
  private held = false;
  private waiting: Buffer[] | undefined;
  private endWaiting = false;

  constructor(
    private readonly controller: Dispatcher.DispatchController,
    private readonly reader: GatedReader,
  ) {}

  pause(): void {
    this.held = true;
    this.controller.pause();
  }

  /** What waited is read first, in order, until a hold it brings on; then undici reads on, or the body ends. */
  resume(): void {
    this.held = false;
    if (!this.readWaiting()) return;
    if (this.endWaiting) {
      this.endWaiting = false;
      this.reader.bodyEnded();
      return;
    }
    this.controller.resume();
  }

  /** Reads what waited, until a hold: true when all of it was read. */
  private readWaiting(): boolean {
    const waiting = this.waiting;
    if (waiting === undefined) return true;
    for (let chunk = waiting.shift(); chunk !== undefined; chunk = waiting.shift()) {
      this.reader.take(chunk);
      if (this.held) return false;
    }
    this.waiting = undefined;
    return true;
  }

  /** undici delivers a chunk: read now, or kept while held (or while older chunks wait). */
  data(chunk: Buffer): void {
    if (!this.held && this.waiting === undefined) {
      this.reader.take(chunk);
      return;
    }
    (this.waiting ??= []).push(chunk);
    this.controller.pause();
  }

  /** undici delivered the body's end: it ends once what waits has been read. */
  end(): void {
    if (this.waiting === undefined || this.waiting.length === 0) this.reader.bodyEnded();
    else this.endWaiting = true;
  }

  /** The body failed: what waited is dropped, as a destroyed stream drops what it buffered. */
  failed(): void {
    this.waiting = undefined;
    this.endWaiting = false;
  }
}
