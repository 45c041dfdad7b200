// What each prototype client (bench/raw-dispatch-client.ts, raw-socket-client.ts, raw-request-client.ts) does
// with a stream's body bytes, so that only the engine that delivers them differs: either count them as
// bench/raw-client.ts does (and date each stream's first bytes and first complete frame), or, with `parse`, hand
// them to camera-load's own per-stream work as its engine does per chunk (StreamStats.bytesReceived, then
// MjpegParser.push, whose frames go to StreamStats.frame). Prints the same JSON line as bench/raw-client.ts, plus
// frames counted and parser failures.
import { parseMultipartContentType } from '../src/mjpeg/content-type.js';
import { MjpegParser } from '../src/mjpeg/mjpeg-parser.js';
import { firstFrameWatcher } from './first-frame-watch.js';
import { StreamStats } from '../src/metrics/stream-stats.js';

export interface ClientArgs {
  port: number;
  streams: number;
  seconds: number;
  parse: boolean;
  /** With `parse`: the bytes of each part the server sends, when all are alike, for a check of every stream's count. */
  partBytes: number;
}

/** `PORT STREAMS SECONDS [parse [PART_BYTES]]`, as bench/raw-client.ts takes the first three. */
export function clientArgs(argv: readonly string[]): ClientArgs {
  const [port, streams, seconds] = argv.slice(0, 3).map(Number);
  return { port: port ?? 0, streams: streams ?? 0, seconds: seconds ?? 0, parse: argv[3] === 'parse', partBytes: Number(argv[4] ?? NaN) };
}

/** The run's shared figures. A typed array for the byte total: a closure number past 2^31 would box on every chunk. */
export class Tally {
  readonly total = new Float64Array(1);
  readonly started = performance.now();
  readonly firstBytes: number[] = [];
  readonly firstFrames: number[] = [];
  allCpuSeconds = NaN;
  failures = 0;
  errors = 0;
  readonly now = (): number => performance.now() - this.started;

  constructor(readonly streams: number) {}

  firstFrame(): void {
    this.firstFrames.push(this.now());
    if (this.firstFrames.length === this.streams) {
      const { user, system } = process.cpuUsage();
      this.allCpuSeconds = (user + system) / 1e6;
    }
  }
}

export interface Sink {
  /** The response's status and Content-Type came. */
  start(statusCode: number, contentType: string | undefined): void;
  /** Body bytes (the chunk may be a view of a buffer reused after the call). */
  data(chunk: Buffer): void;
  /** The connection is over: the run's stop (`stopped`) or the server's end. */
  close(stopped: boolean): void;
}

/** Counts bytes only, as bench/raw-client.ts does, with its first-byte and first-frame dates. */
class CountSink implements Sink {
  private watching: ((chunk: Buffer) => boolean) | undefined = firstFrameWatcher(() => {
    this.tally.firstFrame();
  });
  private seen = false;

  constructor(private readonly tally: Tally) {}

  start(): void {
    // Nothing to open: the bytes are the figure.
  }

  data(chunk: Buffer): void {
    const { tally } = this;
    if (!this.seen) {
      this.seen = true;
      tally.firstBytes.push(tally.now());
    }
    tally.total[0] = (tally.total[0] ?? 0) + chunk.length;
    if (this.watching?.(chunk) === true) {
      // Dropped once done: its closure holds the first part's bytes.
      this.watching = undefined;
    }
  }

  close(): void {
    // Nothing held.
  }
}

/**
 * camera-load's per-stream work on the same bytes, as src/connection/stream-session.ts does it for a normal viewer
 * with no decoder: its StreamStats and, once the response is open, an MjpegParser whose frames go to the stats.
 */
class ParseSink implements Sink {
  readonly stats: StreamStats;
  private parser: MjpegParser | undefined;
  private readonly epochAtZero: number;
  private closed = false;

  constructor(
    private readonly tally: Tally,
    index: number,
    url: string,
  ) {
    this.stats = new StreamStats(index, String(index), `bench ${index}`, url);
    this.epochAtZero = performance.timeOrigin + performance.now() - tally.now();
    const at = tally.now();
    this.stats.attemptStarted(at);
    this.stats.requestSent(at);
  }

  start(statusCode: number, contentType: string | undefined): void {
    const { stats, tally } = this;
    stats.responseStarted(tally.now(), statusCode);
    const multipart = parseMultipartContentType(contentType);
    this.parser = new MjpegParser({ ...(multipart ? { boundary: multipart.boundary } : {}), now: tally.now, onFrame: this.onFrame });
    stats.connectionOpened(tally.now());
  }

  /** The engine's per-chunk path: bytesReceived, then the parser, then its failure checked. */
  data(chunk: Buffer): void {
    const { tally } = this;
    this.stats.bytesReceived(chunk.length, tally.now);
    const parser = this.parser as MjpegParser;
    parser.push(chunk);
    if (parser.failure) tally.failures++;
  }

  private readonly onFrame = (size: number, at: number, repeated: boolean, capturedMs: number): void => {
    this.stats.frame(size, at, repeated, this.epochAtZero + at - capturedMs);
    if (this.stats.frames === 1) this.tally.firstFrame();
  };

  close(stopped: boolean): void {
    const { stats, parser, tally } = this;
    if (this.closed) return;
    this.closed = true;
    if (parser) {
      if (stopped) parser.stop();
      else parser.end();
      stats.parserFinished(parser);
    }
    stats.connectionClosed(tally.now());
    if (stats.start.firstByteAt !== undefined) tally.firstBytes.push(stats.start.firstByteAt);
  }
}

export interface Totals {
  bytes: () => number;
  /** Frames the parsers counted (NaN: bytes only). */
  frames: () => number;
  /** Streams whose count is not the whole parts their bytes hold (or one more: a part whose image came but not its last CRLF). */
  streamsOff: () => number;
}

/** The sinks of a run: one per stream; with `parse`, camera-load's per-stream work, else a byte count. */
export function sinks(tally: Tally, urls: readonly string[], args: ClientArgs): { list: Sink[] } & Totals {
  if (!args.parse) return { list: urls.map(() => new CountSink(tally)), frames: () => NaN, bytes: () => tally.total[0] ?? 0, streamsOff: () => NaN };
  const list = urls.map((url, i) => new ParseSink(tally, i, url));
  const off = (s: ParseSink): boolean => {
    const whole = Math.floor(s.stats.bytes / args.partBytes);
    return s.stats.frames !== whole && s.stats.frames !== whole + 1;
  };
  return {
    list,
    frames: () => list.reduce((n, s) => n + s.stats.frames, 0),
    bytes: () => list.reduce((n, s) => n + s.stats.bytes, 0),
    streamsOff: () => (Number.isNaN(args.partBytes) ? NaN : list.filter(off).length),
  };
}

const percentiles = (values: number[], streams: number): { p50: number; p95: number; max: number; missing: number } => {
  const sorted = values.sort((a, b) => a - b);
  const rank = (p: number): number => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
  return { p50: rank(50), p95: rank(95), max: sorted.at(-1) ?? NaN, missing: streams - sorted.length };
};

/** bench/raw-client.ts's JSON line, with the frames counted (NaN when only bytes were), parser failures and socket errors. */
export function printResult(tally: Tally, totals: Totals): void {
  const { streams } = tally;
  const result = {
    bytes: totals.bytes(),
    frames: totals.frames(),
    streamsOff: totals.streamsOff(),
    firstByteMs: percentiles(tally.firstBytes, streams),
    firstFrameMs: percentiles(tally.firstFrames, streams),
    allCpuSeconds: tally.allCpuSeconds,
    failures: tally.failures,
    errors: tally.errors,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
