// A prototype engine at Node's floor, as a whole process: one `net.connect` per stream with the `onread` option
// (every socket reads into one shared static buffer; the callback gets the byte count, no Buffer is allocated per
// read and no stream machinery runs), an HTTP/1.1 GET written by hand, the response head skipped up to its blank
// line (status and Content-Type read from it), and the body de-chunked here (bench/lean-server.ts answers with
// Transfer-Encoding: chunked, as a Node server does without a Content-Length): the bytes counted and handed on are
// the body's, as undici hands them on. With `parse`, the body goes to camera-load's per-stream work
// (bench/engine-sink.ts). The parser copies what it keeps across chunks, so a view of the shared buffer is safe.
// At the end every socket is destroyed. No keep-alive, redirects, proxies, TLS or errors beyond counting them.
// Usage: node dist-bench/bench/raw-socket-client.js PORT STREAMS SECONDS [parse]
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { streamUrls } from './phases.js';
import { clientArgs, printResult, sinks, Tally, type Sink } from './engine-sink.js';

const args = clientArgs(process.argv.slice(2));
const { port, streams, seconds } = args;
const tally = new Tally(streams);
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);
const HEAD_END = Buffer.from('\r\n\r\n');
const MAX_HEAD = 16 * 1024;
let stopping = false;

const enum Chunked {
  SIZE,
  EXTENSION,
  DATA,
  AFTER_DATA,
  DONE,
}

/** Hex digit value, or -1. */
const hex = (c: number): number => (c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1);

/** One stream's socket: its response head, then its body de-chunked into the sink. */
class SocketStream {
  private head: Buffer | undefined = Buffer.alloc(0);
  private chunked = false;
  private state = Chunked.SIZE;
  private size = 0;
  private left = 0;
  private closed = false;

  constructor(private readonly sink: Sink) {}

  readonly onRead = (nread: number, buf: Buffer): boolean => {
    if (this.head === undefined) this.body(buf, 0, nread);
    else this.readHead(buf, nread);
    return true;
  };

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.sink.close(stopping);
  }

  /** The head rarely spans reads; a part of it is copied until its blank line comes. */
  private readHead(buf: Buffer, nread: number): void {
    const held = this.head ?? Buffer.alloc(0);
    const bytes = held.length === 0 ? buf.subarray(0, nread) : Buffer.concat([held, buf.subarray(0, nread)]);
    const end = bytes.indexOf(HEAD_END);
    if (end === -1) {
      this.head = bytes.length > MAX_HEAD ? undefined : Buffer.from(bytes);
      if (this.head === undefined) tally.errors++;
      return;
    }
    this.head = undefined;
    const lines = bytes.toString('latin1', 0, end).split('\r\n');
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '')?.[1] ?? 0);
    const header = (name: string): string | undefined => {
      const line = lines.find((l) => l.toLowerCase().startsWith(`${name}:`));
      return line?.slice(name.length + 1).trim();
    };
    this.chunked = header('transfer-encoding')?.toLowerCase() === 'chunked';
    this.sink.start(status, header('content-type'));
    this.body(bytes, end + HEAD_END.length, bytes.length);
  }

  /** Body bytes from..to of `buf`: as they are, or de-chunked (sizes, extensions and CRLFs dropped). */
  private body(buf: Buffer, from: number, to: number): void {
    if (!this.chunked) {
      if (to > from) this.sink.data(buf.subarray(from, to));
      return;
    }
    let i = from;
    while (i < to) {
      if (this.state === Chunked.DATA) {
        const end = Math.min(to, i + this.left);
        this.sink.data(buf.subarray(i, end));
        this.left -= end - i;
        i = end;
        if (this.left === 0) this.state = Chunked.AFTER_DATA;
        continue;
      }
      const c = buf[i++] ?? 0;
      if (this.state === Chunked.AFTER_DATA) {
        if (c === 0x0a) this.state = Chunked.SIZE;
      } else if (this.state === Chunked.SIZE || this.state === Chunked.EXTENSION) {
        if (c === 0x0a) this.sizeLineEnded();
        else if (this.state === Chunked.SIZE && hex(c) >= 0) this.size = this.size * 16 + hex(c);
        else if (c !== 0x0d) this.state = Chunked.EXTENSION;
      }
    }
  }

  private sizeLineEnded(): void {
    if (this.size === 0) {
      // The last chunk: the body is over (its trailers are not read).
      this.state = Chunked.DONE;
      this.close();
      return;
    }
    this.left = this.size;
    this.size = 0;
    this.state = Chunked.DATA;
  }
}

const urls = streamUrls(port, streams);
const streamSinks = sinks(tally, urls, args);
let open = 0;
let allClosed: (() => void) | undefined;
const sockets: Socket[] = urls.map((url, i) => {
  const stream = new SocketStream(streamSinks.list[i] as Sink);
  const socket = connect({ host: '127.0.0.1', port, noDelay: true, onread: { buffer: READ_BUFFER, callback: stream.onRead } });
  open++;
  socket.write(`GET ${new URL(url).pathname} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
  socket.on('error', () => {
    if (!stopping) tally.errors++;
  });
  socket.once('close', () => {
    stream.close();
    if (--open === 0) allClosed?.();
  });
  return socket;
});
await sleep(seconds * 1000);
stopping = true;
const closed = new Promise<void>((resolve) => {
  allClosed = resolve;
  if (open === 0) resolve();
});
for (const socket of sockets) socket.destroy();
// Bounded: a socket that never reports its close does not hold the process (nor does the bound, once they all have).
await Promise.race([closed, sleep(10_000, undefined, { ref: false })]);
printResult(tally, streamSinks);
