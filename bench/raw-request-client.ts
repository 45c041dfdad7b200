// camera-load's engine today, reduced to its reading: bench/raw-client.ts's undici `request()` and the body
// Readable's `data` events (as src/connection/stream-session.ts reads a normal viewer's body), feeding the same
// sinks as the prototype engines (bench/engine-sink.ts): without `parse` the same byte count as raw-client.ts (a
// control: the two should cost the same), with `parse` camera-load's per-stream work on request().
// Usage: node dist-bench/bench/raw-request-client.js PORT STREAMS SECONDS [parse]
import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';
import { streamUrls } from './phases.js';
import { clientArgs, printResult, sinks, Tally, type Sink } from './engine-sink.js';

const args = clientArgs(process.argv.slice(2));
const { port, streams, seconds } = args;
const dispatcher = new Agent({ connections: null, pipelining: 1, headersTimeout: 0, bodyTimeout: 0 });
const controller = new AbortController();
setMaxListeners(0, controller.signal);
const tally = new Tally(streams);

const urls = streamUrls(port, streams);
const streamSinks = sinks(tally, urls, args);
urls.forEach((url, i) => {
  const sink = streamSinks.list[i] as Sink;
  void request(url, { dispatcher, signal: controller.signal })
    .then(({ statusCode, headers, body }) => {
      const type = headers['content-type'];
      sink.start(statusCode, Array.isArray(type) ? type[0] : type);
      body.on('data', (chunk: Buffer) => {
        sink.data(chunk);
      });
      body.once('end', () => {
        sink.close(false);
      });
      body.on('error', () => {
        sink.close(controller.signal.aborted);
      });
    })
    .catch(() => {
      tally.errors++;
    });
});
await sleep(seconds * 1000);
controller.abort();
await dispatcher.destroy().catch(() => undefined);
printResult(tally, streamSinks);
