// A prototype engine, as a whole process: bench/raw-client.ts's undici Agent (the same options), but each stream
// read through `dispatcher.dispatch(opts, handler)` with undici 7's handler API, so that each chunk reaches the
// handler straight from undici's HTTP parser: no response Readable, no `data` events, no nextTick per read. With
// `parse`, each chunk goes to camera-load's per-stream work (bench/engine-sink.ts) instead of a byte count. At the
// end every response is aborted through its controller and the dispatcher destroyed, as raw-client.ts does.
// Usage: node dist-bench/bench/raw-dispatch-client.js PORT STREAMS SECONDS [parse]
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, type Dispatcher } from 'undici';
import { streamUrls } from './phases.js';
import { clientArgs, printResult, sinks, Tally, type Sink } from './engine-sink.js';

const args = clientArgs(process.argv.slice(2));
const { port, streams, seconds } = args;
const dispatcher = new Agent({ connections: null, pipelining: 1, headersTimeout: 0, bodyTimeout: 0 });
const tally = new Tally(streams);
const STOP = new Error('the run is over');

/** One stream's response, read in undici's own callbacks. */
class StreamHandler implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | undefined;
  private closed = false;

  constructor(private readonly sink: Sink) {}

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[] | undefined>): void {
    // undici's controller keeps the raw header Buffers for the response's life, and they are views of the socket's
    // first read: without this, each stream holds that read's whole backing store (about 64 KB; 600 MB at 10,000).
    controller.rawHeaders = null;
    const type = headers['content-type'];
    this.sink.start(statusCode, Array.isArray(type) ? type[0] : type);
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.sink.data(chunk);
  }

  onResponseEnd(): void {
    this.close(false);
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    if (error !== STOP) tally.errors++;
    this.close(error === STOP);
  }

  stop(): void {
    this.controller?.abort(STOP);
  }

  private close(stopped: boolean): void {
    if (this.closed) return;
    this.closed = true;
    this.sink.close(stopped);
  }
}

const urls = streamUrls(port, streams);
const streamSinks = sinks(tally, urls, args);
const origin = `http://127.0.0.1:${port}`;
const handlers = urls.map((url, i) => {
  const handler = new StreamHandler(streamSinks.list[i] as Sink);
  dispatcher.dispatch({ origin, path: new URL(url).pathname, method: 'GET' }, handler);
  return handler;
});
await sleep(seconds * 1000);
for (const handler of handlers) handler.stop();
await dispatcher.destroy().catch(() => undefined);
printResult(tally, streamSinks);
