import type { Dispatcher } from 'undici';
import { createDispatcher } from '../connection/network.js';
import type { RunPlan } from './run-plan.js';

/** Streams that share one undici dispatcher (and its pool of connections); see dispatchersFor(). */
export const STREAMS_PER_DISPATCHER = 64;

/**
 * A slow, pausing or stuck viewer's socket reads at most this much ahead of undici (undici's own default is 64 KiB):
 * what the viewer does not take waits in the kernel, not in camera-load's memory (a stuck viewer held 80 KiB, now 32).
 */
const PACED_SOCKET_HIGH_WATER_MARK = 16 * 1024;

/**
 * One dispatcher per STREAMS_PER_DISPATCHER streams, the paced viewers' apart (their sockets read less ahead): undici's pool looks through every connection it holds for a
 * free one on each request, so one pool for all streams costs O(n²) over a run's connections. The stall watchdog
 * and the run's signal decide when a connection is dead, with one exception: an abort does not end a TCP handshake
 * (undici waits for the socket), so the handshake gets the stall timeout as its own limit, or a camera that never
 * answers would hold a connect slot for undici's 10 s.
 */
export function dispatchersFor(plan: RunPlan): { all: Dispatcher[]; of: Dispatcher[] } {
  const pool = (streams: number, paced: boolean): Dispatcher[] =>
    Array.from({ length: Math.max(1, Math.ceil(streams / STREAMS_PER_DISPATCHER)) }, () =>
      createDispatcher(
        plan.network,
        { connections: null, pipelining: 1, headersTimeout: 0, bodyTimeout: 0, connectTimeout: plan.stallTimeoutMs },
        paced ? PACED_SOCKET_HIGH_WATER_MARK : undefined,
      ),
    );
  const groups = plan.viewers?.groups;
  const isPaced = (index: number): boolean => (groups?.[index] ?? 'normal') !== 'normal';
  const pacedCount = plan.streams.filter((_, index) => isPaced(index)).length;
  const normal = pool(plan.streams.length - pacedCount, false);
  const paced = pacedCount > 0 ? pool(pacedCount, true) : [];
  const taken = { normal: 0, paced: 0 };
  const of = plan.streams.map((_, index) => {
    const [from, key] = isPaced(index) ? ([paced, 'paced'] as const) : ([normal, 'normal'] as const);
    return from[taken[key]++ % from.length] as Dispatcher;
  });
  return { all: [...normal, ...paced], of };
}
