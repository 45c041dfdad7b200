import type { Dispatcher } from 'undici';
import { createDispatcher, createPacedDispatcher } from '../connection/network.js';
import type { RunPlan } from './run-plan.js';
import type { ViewerPacing } from '../connection/viewer-pacing.js';

/** Streams that share one undici dispatcher (and its pool of connections); see dispatchersFor(). */
export const STREAMS_PER_DISPATCHER = 64;

/**
 * A slow, pausing or stuck viewer's socket reads at most this much ahead of undici when its pacing holds the response
 * body (through a proxy): what the viewer does not take waits in the kernel, not in camera-load's memory.
 */
const PACED_SOCKET_HIGH_WATER_MARK = 16 * 1024;

/**
 * One dispatcher per STREAMS_PER_DISPATCHER normal streams: undici's pool looks through every connection it holds for
 * a free one on each request, so one pool for all streams costs O(n²) over a run's connections. A slow, pausing or
 * stuck viewer has one of its own, whose connector hands each socket to the viewer's pacing (paced-socket.ts). The
 * stall watchdog and the run's signal decide when a connection is dead, with one exception: an abort does not end a
 * TCP handshake (undici waits for the socket), so the handshake gets the stall timeout as its own limit, or a camera
 * that never answers would hold a connect slot for undici's 10 s.
 */
export function dispatchersFor(plan: RunPlan, pacings: readonly (ViewerPacing | undefined)[] = []): { all: Dispatcher[]; of: Dispatcher[] } {
  const tuning = { pipelining: 1, headersTimeout: 0, bodyTimeout: 0, connectTimeout: plan.stallTimeoutMs };
  const normalCount = plan.streams.filter((_, index) => pacings[index] === undefined).length;
  const normal = Array.from({ length: Math.max(1, Math.ceil(normalCount / STREAMS_PER_DISPATCHER)) }, () =>
    createDispatcher(plan.network, { ...tuning, connections: null }),
  );
  const paced: Dispatcher[] = [];
  let taken = 0;
  const of = plan.streams.map(({ target }, index) => {
    const pacing = pacings[index];
    if (pacing === undefined) return normal[taken++ % normal.length] as Dispatcher;
    const dispatcher = createPacedDispatcher(plan.network, new URL(target.url).origin, tuning, PACED_SOCKET_HIGH_WATER_MARK, pacing.connected);
    paced.push(dispatcher);
    return dispatcher;
  });
  return { all: [...normal, ...paced], of };
}
