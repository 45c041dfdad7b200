import type { ViewerBehaviour } from '../viewers.js';

/** What the pacing holds and lets go: its connection's socket, or the response body (body-gate.ts). */
export interface Pausable {
  pause(): unknown;
  resume(): unknown;
}

/** Why a stream is held, as bits: more than one can hold it at once, and it reads again when none does. */
const RATE = 1;
const PAUSE = 2;
const STUCK = 4;

/**
 * A slow viewer reads on until it is this far ahead of its rate, then holds for all of it: it reads in bursts of
 * about a second's worth and waits about as long. Holding the response body after every chunk it ran ahead by
 * (hundreds of ms each) made undici put back, and join again on every resume, what its socket had read ahead:
 * `npm run bench -- slow-viewers-cpu` measured 3.6× the CPU per GB of the run without groups; with 1 s, 1.5×. A held
 * socket (paced-socket.ts) keeps nothing it read, but every hold is a timer and two system calls.
 */
export const SLOW_VIEWER_BURST_MS = 1000;

/**
 * How one stream of a slow, pausing or stuck viewer group reads, across its connections. It holds its socket (or its
 * response body) rather than dropping what it read, so TCP's flow control carries the viewer's pace back to the
 * server, as a phone on a slow link does. Nothing changes before begin(): the lead-in reads at full speed.
 */
export class ViewerPacing {
  #holds = 0;
  private body: Pausable | undefined;
  /** The socket of its latest connection, when its dispatcher hands it over (paced-socket.ts): held in place of the body. */
  private socket: Pausable | undefined;
  private begun = false;
  private framesOnConnection = 0;
  /** A slow viewer's budget on its current connection: from its first chunk after begin(), on the run clock. */
  private budgetFrom: number | undefined;
  private readSince = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    readonly behaviour: ViewerBehaviour,
    private readonly now: () => number,
  ) {}

  /** Reading stopped on purpose: the stall watchdog does not count this time. */
  get holding(): boolean {
    return this.#holds !== 0;
  }

  /** Its dispatcher opened a connection: attach() holds that socket (undefined: one it cannot hold, so the body). */
  readonly connected = (socket: Pausable | undefined): void => {
    this.socket = socket;
  };

  /** A connection's body to pace from now (its socket, when its dispatcher handed it over); held at once when the stream is. */
  attach(body: Pausable): void {
    this.body = this.socket ?? body;
    this.framesOnConnection = 0;
    this.budgetFrom = undefined;
    this.readSince = 0;
    if (this.#holds !== 0) body.pause();
  }

  /**
   * The connection ended. A rate hold and a stuck viewer's hold belonged to it (a new connection reads its first frame
   * again); a pause window belongs to the stream and holds a new connection at once.
   */
  detach(): void {
    this.body = undefined;
    if (this.behaviour.group === 'slow') this.clearTimer();
    this.#holds &= ~(RATE | STUCK);
  }

  /** The lead-in is over: the group's behaviour begins. */
  begin(): void {
    if (this.begun || this.stopped) return;
    this.begun = true;
    if (this.behaviour.group === 'pausing') this.pauseWindow(this.behaviour.pauseMs, this.behaviour.everyMs);
    else if (this.behaviour.group === 'stuck' && this.framesOnConnection > 0) this.hold(STUCK);
  }

  /**
   * A chunk of the body was read (slow viewers): once it has read SLOW_VIEWER_BURST_MS ahead of its rate, held for as
   * long as it takes the rate to pay for all it read.
   */
  chunk(bytes: number): void {
    if (!this.begun || this.behaviour.group !== 'slow') return;
    const at = this.now();
    this.budgetFrom ??= at;
    this.readSince += bytes;
    const { bytesPerSecond } = this.behaviour;
    const aheadMs = (this.readSince / bytesPerSecond) * 1000 - (at - this.budgetFrom);
    if (aheadMs <= SLOW_VIEWER_BURST_MS || this.stopped) return;
    this.hold(RATE);
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.release(RATE);
    }, aheadMs);
    this.timer.unref();
  }

  /** A frame arrived whole (stuck viewers): after the first of a connection, once begun, it reads no more. */
  frame(): void {
    this.framesOnConnection++;
    if (this.begun && this.behaviour.group === 'stuck') this.hold(STUCK);
  }

  /** The run is over: no timer outlives it. */
  stop(): void {
    this.stopped = true;
    this.clearTimer();
  }

  /** Holds for `pauseMs`, then reads until the next window, `everyMs` after this one began. */
  private pauseWindow(pauseMs: number, everyMs: number): void {
    this.hold(PAUSE);
    this.schedule(pauseMs, () => {
      this.release(PAUSE);
      this.schedule(everyMs - pauseMs, () => {
        this.pauseWindow(pauseMs, everyMs);
      });
    });
  }

  private schedule(ms: number, then: () => void): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      then();
    }, ms);
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private hold(reason: number): void {
    const was = this.#holds;
    this.#holds |= reason;
    if (was === 0) this.body?.pause();
  }

  private release(reason: number): void {
    if ((this.#holds & reason) === 0) return;
    this.#holds &= ~reason;
    if (this.#holds === 0) this.body?.resume();
  }
}
