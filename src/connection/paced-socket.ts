import { connect as netConnect, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { errors, type buildConnector } from 'undici';
import type { Pausable } from './viewer-pacing.js';

/**
 * Every paced socket reads into this one buffer, and each read is copied out at once: a socket held by its viewer
 * keeps nothing read in memory of its own (what the viewer does not take waits in the kernel).
 */
const READ_BUFFER = Buffer.alloc(64 * 1024);

/** What a paced socket holds for undici between its reads: a read of READ_BUFFER's size fits, so a read stops the socket only when undici lags. */
const UNDICI_BUFFER = 64 * 1024;

/**
 * A paced viewer's connection as undici reads it: a socket read only while the viewer's pacing lets it. Holding the
 * response body instead made undici stop its parser mid-chunk and put the rest back on the socket, to be joined again
 * on every resume (a new buffer each time, promoted and freed only by a full collection: `npm run bench --
 * slow-viewers-cpu` measured 1.43–1.6× the CPU per GB of the run without groups). Held here, the socket stops reading
 * before undici sees a byte, so undici never pauses, and what the viewer does not take waits in TCP's buffers, where
 * the server feels it.
 */
export class PacedSocket extends Duplex {
  #held = false;
  /** undici wants more: the last read was taken, or undici has read since one was refused. */
  #wanted = true;
  /** The socket beneath reads: changed only when the two above say otherwise, each change being a system call. */
  #reading = true;

  /** What the viewer's pacing holds and lets go. */
  readonly gate: Pausable = {
    pause: () => {
      this.#held = true;
      this.flow();
    },
    resume: () => {
      this.#held = false;
      this.flow();
    },
  };

  private readonly inner: Socket;

  /** `open` connects the socket beneath, reading through the callback it is given (net.connect's `onread`). */
  constructor(open: (onRead: (n: number, buffer: Buffer) => boolean) => Socket) {
    // As a net.Socket: its readable side ending ends its writable side.
    super({ highWaterMark: UNDICI_BUFFER, allowHalfOpen: false });
    this.inner = open((n, buffer) => {
      if (this.push(Buffer.from(buffer.subarray(0, n)))) return true;
      // Refused: false stops the socket's reading at once.
      this.#wanted = false;
      this.#reading = false;
      return false;
    });
    this.inner.once('end', () => this.push(null));
    this.inner.once('error', (error) => this.destroy(error));
    this.inner.once('close', () => {
      if (!this.destroyed) this.destroy();
    });
  }

  /** Calls `done` once: when the socket beneath has connected, or with why it did not within `timeoutMs`. */
  whenConnected(timeoutMs: number, where: string, done: (error: Error | undefined) => void): void {
    let settled = false;
    const settle = (error: Error | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      this.off('error', settle);
      done(error);
    };
    const timer = setTimeout(() => {
      settle(new errors.ConnectTimeoutError(`Connect Timeout Error (attempted address: ${where}, timeout: ${timeoutMs}ms)`));
      this.destroy();
    }, timeoutMs);
    this.inner.once('connect', () => {
      settle(undefined);
    });
    this.once('error', settle);
  }

  private flow(): void {
    const read = this.#wanted && !this.#held;
    if (read === this.#reading) return;
    this.#reading = read;
    if (read) this.inner.resume();
    else this.inner.pause();
  }

  override _read(): void {
    this.#wanted = true;
    this.flow();
  }

  override _write(chunk: Buffer, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.inner.write(chunk, encoding, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.inner.end(callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.inner.destroy(error ?? undefined);
    callback(error);
  }

  /** undici unrefs an idle connection's socket, and refs it again for a request. */
  ref(): this {
    this.inner.ref();
    return this;
  }

  unref(): this {
    this.inner.unref();
    return this;
  }
}

/**
 * A connector for one paced viewer's dispatcher: each plain-HTTP connection a PacedSocket whose gate goes to
 * `connected`, so the viewer's pacing holds the socket itself. An https:// camera's TLS socket (Node reads it into
 * buffers of its own) goes through undici's connector unchanged, and `connected(undefined)` leaves the pacing to hold
 * the response body. undici reads a connector's socket as a stream: read(), write(), cork(), destroy(), its events.
 */
export function pacedConnector(
  base: buildConnector.connector,
  connectTimeoutMs: number,
  connected: (gate: Pausable | undefined) => void,
): buildConnector.connector {
  return (options, callback) => {
    if (options.protocol !== 'http:') {
      connected(undefined);
      base(options, callback);
      return;
    }
    const port = Number(options.port) || 80;
    const paced = new PacedSocket((onRead) =>
      netConnect({
        host: options.hostname,
        port,
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
        // As undici's own connector sets them.
        noDelay: true,
        keepAlive: true,
        keepAliveInitialDelay: 60_000,
        onread: { buffer: READ_BUFFER, callback: onRead },
      }),
    );
    paced.whenConnected(connectTimeoutMs, `${options.hostname}:${port}`, (error) => {
      if (error !== undefined) {
        callback(error, null);
        return;
      }
      connected(paced.gate);
      callback(null, paced as unknown as Socket);
    });
  };
}
