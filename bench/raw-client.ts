// The whole-process baseline: a bare undici client that holds the same streams for the same time and only counts
// their bytes, then closes them and exits, as `camera-load run` does. Prints the bytes read.
// Usage: node dist-bench/bench/raw-client.js PORT STREAMS SECONDS
import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';
import { streamUrls } from './phases.js';

const [port, streams, seconds] = process.argv.slice(2).map(Number);
const dispatcher = new Agent({ connections: null, pipelining: 1, headersTimeout: 0, bodyTimeout: 0 });
const controller = new AbortController();
setMaxListeners(0, controller.signal);
// A typed array: a closure number past 2^31 would box on every chunk (as in bench/consumer.ts).
const total = new Float64Array(1);
for (const url of streamUrls(port ?? 0, streams ?? 0)) {
  void request(url, { dispatcher, signal: controller.signal })
    .then(({ body }) => {
      body.on('data', (chunk: Buffer) => (total[0] = (total[0] ?? 0) + chunk.length));
      body.on('error', () => undefined);
    })
    .catch(() => undefined);
}
await sleep((seconds ?? 0) * 1000);
controller.abort();
await dispatcher.destroy().catch(() => undefined);
process.stdout.write(`${JSON.stringify({ bytes: total[0] ?? 0 })}\n`);
