import { describe, expect, it } from 'vitest';
import type { Camera } from '../../src/cameras/camera.js';
import { Runner } from '../../src/run/runner.js';
import type { ViewerPlan } from '../../src/viewers.js';
import { testPlan } from '../helpers/run-plan.js';
import { jpegPart, rawStreamServers } from '../helpers/raw-stream-server.js';

// A server that answers HTTP/1.0 (no keep-alive: the body ends when the connection does) and closes while a viewer
// holds its reading. undici 7's parser, paused by the held body, asserted on the close and took the process down
// (nodejs/undici#5360, fixed upstream in undici 8 by #5474, patched here: patches/undici+*.patch). VLC serves so.

const rawServer = rawStreamServers();

/** Streams 20 KB parts at 20 fps over HTTP/1.0, then ends the connection (FIN) after `closeAfterMs`. */
async function closingServer(closeAfterMs: number): Promise<string> {
  const { url } = await rawServer((socket) => {
    socket.write('HTTP/1.0 200 OK\r\nContent-Type: multipart/x-mixed-replace; boundary=frame\r\n\r\n');
    const timer = setInterval(() => socket.write(jpegPart(20_000)), 50);
    setTimeout(() => {
      clearInterval(timer);
      socket.end();
    }, closeAfterMs);
  });
  return url;
}

describe("a server that closes a held viewer's connection", () => {
  it('ends the connection, not the process: the slow viewer reads to the close, and the run goes on', async () => {
    // 400 KB/s for 2 s, read at 150 KB/s from 1 s on: the viewer reaches the close about 5 s in, held between chunks.
    const url = await closingServer(2_000);
    const camera: Camera = { id: 'vlc-like', name: 'HTTP/1.0 camera', streamUrl: url };
    const viewers: ViewerPlan = { behaviours: [{ group: 'slow', share: 1, bytesPerSecond: 150_000 }], leadInMs: 1_000 };
    const outcome = await new Runner(testPlan([camera], { durationMs: 8_000, viewers: { groups: ['slow'], plan: viewers } })).run(new AbortController().signal);
    const [stream] = outcome.streams;
    // Every frame the server sent (20 fps for 2 s), read to the end of the body, which ended the connection.
    expect(stream?.frames).toBeGreaterThanOrEqual(35);
    expect(stream?.errors.ENDED).toBeGreaterThanOrEqual(1);
    expect(outcome.elapsedMs).toBeGreaterThanOrEqual(8_000);
  });
});
