import { describe, expect, it } from 'vitest';
import type { Camera } from '../../src/cameras/camera.js';
import { parseStages } from '../../src/options/stage-options.js';
import { Runner } from '../../src/run/runner.js';
import { stageSpans, stagesDurationMs } from '../../src/stages.js';
import { testPlan } from '../helpers/run-plan.js';
import { jpegPart, rawStreamServers } from '../helpers/raw-stream-server.js';

// A departure aborts its viewer's request mid-body. undici 7 then put the aborted request back among the pending ones
// and opened a new connection for it, which served no request and sat idle until its keep-alive timeout: one
// connection the camera never asked for per departure (nodejs/undici#5845, fixed upstream by #5846, patched here:
// patches/undici+*.patch).

const rawServer = rawStreamServers();

/** An HTTP/1.1 MJPEG server at 20 fps that counts the TCP connections it accepts and the requests it reads. */
async function countingServer(): Promise<{ url: string; connections: () => number; requests: () => number }> {
  let requests = 0;
  const { url, connections } = await rawServer((socket) => {
    requests++;
    socket.write('HTTP/1.1 200 OK\r\nContent-Type: multipart/x-mixed-replace; boundary=frame\r\nConnection: keep-alive\r\n\r\n');
    const timer = setInterval(() => socket.write(jpegPart(2_000)), 50);
    socket.once('close', () => {
      clearInterval(timer);
    });
  });
  return { url, connections, requests: () => requests };
}

describe("a viewer's departure", () => {
  it('closes its connection and opens none in its place', async () => {
    const { url, connections, requests } = await countingServer();
    const cameras: Camera[] = ['staying', 'leaving'].map((id) => ({ id, name: `a viewer ${id}`, streamUrl: url }));
    // Two viewers by 0.1 s, one of them gone at about 1.2 s; the run goes on for 1.5 s more (undici keeps an idle
    // connection 4 s), held open by the other.
    const stages = parseStages('0.1s:2,1s:2,0.1s:1,1.5s:1');
    const plan = testPlan(cameras, { stages: stageSpans(stages), durationMs: stagesDurationMs(stages) });
    const outcome = await new Runner(plan).run(new AbortController().signal);
    expect(outcome.elapsedMs).toBeGreaterThanOrEqual(2_700);
    for (const stream of outcome.streams) expect(stream.frames).toBeGreaterThanOrEqual(10);
    expect({ connections: connections(), requests: requests() }).toEqual({ connections: 2, requests: 2 });
  });
});
