import type { Transform } from 'node:stream';
import { acceptStream } from './accept-stream.js';
import { MjpegParser, type FrameSink } from '../mjpeg/mjpeg-parser.js';
import { defined } from '../defined.js';
import { ClientDropError } from './client-drop.js';
import { BodyGate } from './body-gate.js';
import { ConnectionRequest, Phase, type Controller, type Headers } from './connection-request.js';
import type { ConnectionOutcome } from './connection-owner.js';

/** Why camera-load ends a stream it reads (one Error for all). */
const ENDED_HERE = new Error('camera-load ended the connection');

/**
 * One connection of a stream, in the steps of undici's dispatch() handler: its request (ConnectionRequest), the
 * response's start (status, content type, encoding), its data (each chunk through the decoder and the parser), its
 * end or error, and the teardown. Each chunk comes straight from undici's HTTP parser: no response stream, no promise
 * pending while the body streams. It owns its state (its abort, its parser, its entry in the watchdog); the figures
 * change through StreamStats.
 */
export class StreamConnection extends ConnectionRequest implements FrameSink {
  private parser: MjpegParser | undefined;
  private decoder: Transform | undefined;
  /** A paced viewer's body, as its pacing holds it. */
  private gate: BodyGate | undefined;

  /** The answer came: a stream camera-load can read opens with its parser; any other answer ends it. */
  protected onAnswer(controller: Controller, statusCode: number, headers: Headers, refused: string | undefined): void {
    const { stats, owner } = this;
    const { run, stream } = owner;
    const accepted = acceptStream({ statusCode, headers }, refused);
    if ('code' in accepted) {
      this.refuse(accepted.code, accepted.message, controller, headers);
      return;
    }
    this.parser = new MjpegParser({
      ...(accepted.multipart ? { boundary: accepted.multipart.boundary } : {}),
      ...defined({ timestampHeaders: run.timestampHeaders }),
      now: run.now,
      frames: this,
    });
    stats.connectionOpened(run.now());
    run.watchdog.watch(this);
    stream.drop?.attach(() => {
      this.abort(new ClientDropError('dropped by the client'));
    });
    this.phase = Phase.STREAM;
    if (accepted.decoding.kind === 'decode') this.decode(accepted.decoding.create(), accepted.decoding.encoding);
    if (stream.pacing) {
      this.gate = new BodyGate(controller, this);
      stream.pacing.attach(this.gate);
    }
  }

  private decode(decoder: Transform, encoding: string): void {
    this.decoder = decoder;
    decoder.on('data', (chunk: Buffer) => {
      this.parse(chunk);
    });
    decoder.once('end', () => {
      this.parsed();
    });
    decoder.on('error', (error: Error) => {
      this.end(this.outcome('DECODING_FAILED', `the ${encoding} body could not be decoded (${error.message})`));
    });
  }

  protected data(chunk: Buffer): void {
    if (this.gate) this.gate.data(chunk);
    else this.take(chunk);
  }

  /** The hot path, once per chunk: no clock read and no allocation (the watchdog watches the frame count). */
  take(chunk: Buffer): void {
    this.stats.bytesReceived(chunk.length, this.owner.run.now);
    if (this.decoder) this.decoder.write(chunk);
    else this.parse(chunk);
    // A paced viewer reads, then holds as long as its pace asks.
    if (this.gate) this.owner.stream.pacing?.chunk(chunk.length);
  }

  /** Decoded bytes into the parser; a parser that gave up on the body ends the connection. */
  private parse(chunk: Buffer): void {
    const parser = this.parser as MjpegParser;
    parser.push(chunk);
    const failure = parser.failure;
    if (failure) this.end(this.outcome(failure.code, failure.message));
  }

  /** A complete frame. Its age: when it arrived, on this machine's wall clock, less the capture time its part carried. */
  frame(size: number, at: number, repeated: boolean, capturedMs: number): void {
    this.stats.frame(size, at, repeated, this.owner.epochAtZero + at - capturedMs);
    if (this.gate) this.owner.stream.pacing?.frame();
  }

  /** A held body ends once what it held has been read. */
  protected complete(): void {
    if (this.gate) this.gate.end();
    else this.bodyEnded();
  }

  /** The server ended the body (every chunk of it read): through the decoder's end, if any, to the parser's. */
  bodyEnded(): void {
    if (this.decoder) this.decoder.end();
    else this.parsed();
  }

  /** The parser had the whole body. The end can settle what it was: a short body that never showed a delimiter is not a stream. */
  private parsed(): void {
    const parser = this.parser as MjpegParser;
    parser.end();
    const failure = parser.failure;
    this.settle(failure ? this.outcome(failure.code, failure.message) : this.outcome('ENDED', 'the server ended the stream'));
  }

  override onResponseError(controller: Controller | undefined, error: Error): void {
    // What a held body kept is dropped, as a stream destroyed with an error drops what it buffered.
    this.gate?.failed();
    super.onResponseError(controller, error);
  }

  /** Ends the connection from this side, with how it ended. */
  private end(outcome: ConnectionOutcome): void {
    this.settle(outcome);
    this.controller?.abort(ENDED_HERE);
  }

  /**
   * The connection is over, however it ended. A frame that arrived whole counts however the connection ended; a
   * part cut short counts as truncated only when the server (or its silence) cut it, not when the run ended.
   */
  protected close(): void {
    const { stats, owner, parser } = this;
    const { run, stream } = owner;
    stream.pacing?.detach();
    stream.drop?.detach();
    run.watchdog.unwatch(this);
    if (parser) {
      // Cut short on purpose (the run's end, a storm): a part in flight is not truncated.
      if (owner.stopped || this.abortReason instanceof ClientDropError) parser.stop();
      else parser.end();
      stats.parserFinished(parser);
    }
    // After the parser's last word: a frame it confirms only now (its closing delimiter never came) made this
    // connection one that delivered, and so up.
    stats.connectionClosed(run.now());
  }
}
