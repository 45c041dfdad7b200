// The whole-process baseline: a bare undici client that holds the same streams for the same time and only counts
// their bytes, then closes them and exits, as `camera-load run` does. Prints the bytes read, and when each stream's
// first bytes and first complete frame came (ms from the start, for the connect bench: p50/p95/max, how many had
// none) with the CPU spent until the last of them. A first frame is complete when its part's declared
// Content-Length has arrived (the moment camera-load dates a frame with an honest length by, too).
// Usage: node dist-bench/bench/raw-client.js PORT STREAMS SECONDS
import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';
import { firstFrameWatcher } from './first-frame-watch.js';
import { streamUrls } from './phases.js';

const [port, streams, seconds] = process.argv.slice(2).map(Number);
const dispatcher = new Agent({ connections: null, pipelining: 1, headersTimeout: 0, bodyTimeout: 0 });
const controller = new AbortController();
setMaxListeners(0, controller.signal);
// A typed array: a closure number past 2^31 would box on every chunk (as in bench/consumer.ts).
const total = new Float64Array(1);
const started = performance.now();
const firstBytes: number[] = [];
const firstFrames: number[] = [];
let allCpuSeconds = NaN;
for (const url of streamUrls(port ?? 0, streams ?? 0)) {
  void request(url, { dispatcher, signal: controller.signal })
    .then(({ body }) => {
      const watch = firstFrameWatcher(() => {
        firstFrames.push(performance.now() - started);
        if (firstFrames.length === streams) {
          const { user, system } = process.cpuUsage();
          allCpuSeconds = (user + system) / 1e6;
        }
      });
      // Dropped once done: its closure holds the first part's bytes (a whole frame), about 20 KB a stream that a
      // client which only counts bytes would not keep (200 MB of the baseline's RSS at 10,000 streams).
      let watching: typeof watch | undefined = watch;
      body.once('data', () => firstBytes.push(performance.now() - started));
      body.on('data', (chunk: Buffer) => {
        total[0] = (total[0] ?? 0) + chunk.length;
        if (watching?.(chunk) === true) watching = undefined;
      });
      body.on('error', () => undefined);
    })
    .catch(() => undefined);
}
await sleep((seconds ?? 0) * 1000);
controller.abort();
await dispatcher.destroy().catch(() => undefined);
const percentiles = (values: number[]): { p50: number; p95: number; max: number; missing: number } => {
  const sorted = values.sort((a, b) => a - b);
  const rank = (p: number): number => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
  return { p50: rank(50), p95: rank(95), max: sorted.at(-1) ?? NaN, missing: (streams ?? 0) - sorted.length };
};
process.stdout.write(
  `${JSON.stringify({ bytes: total[0] ?? 0, firstByteMs: percentiles(firstBytes), firstFrameMs: percentiles(firstFrames), allCpuSeconds })}\n`,
);
