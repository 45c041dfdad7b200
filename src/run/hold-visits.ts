import { onAbort, sleepUnlessAborted } from '../connection/abort-fan-out.js';
import type { StreamStats } from '../metrics/stream-stats.js';
import { slotVisits, type Visit } from '../stages.js';
import type { RunPlan } from './run-plan.js';
import { withoutStackTrace } from './without-stack-traces.js';

/**
 * Why a visit's signal ends: one Error for every departure, so that ending a visit captures no stack trace (under
 * churn, one a departure, read again by Node's stream teardown: about 200 ms of a 40 s churning run's CPU).
 */
const VISIT_ENDED = new Error('the viewer left: its visit ended');

/** A departure is placed this far before its planned instant: within the stage that instant ends. */
const DEPARTURE_BEFORE_MS = 0.001;

export interface VisitDeps {
  /** Milliseconds on the run's clock. */
  now: () => number;
  /** The run's stop. */
  stop: AbortSignal;
  /** Under --stages or --arrival-rate: each visit is an arrival, and each that ends before the run a departure. */
  staged: boolean;
  runEndMs: number;
  /** The run's stop instant on its clock, once it has stopped. */
  stoppedAt: () => number;
  /** Holds the stream open (reconnecting as it must) until `signal` ends it. */
  session: (signal: AbortSignal) => Promise<void>;
}

/** One stream slot: each of its visits in turn, from its time on the run clock until the visit or the run ends. */
export async function holdVisits(stats: StreamStats, visits: readonly Visit[], deps: VisitDeps): Promise<void> {
  const { now, stop } = deps;
  const first = visits[0];
  if (first === undefined) return;
  stats.scheduled(first.fromMs);
  for (const [index, visit] of visits.entries()) {
    // Until the visit's own time on the run clock, so that the set-up of the streams before it does not push the
    // whole ramp back.
    const wait = visit.fromMs - now();
    if (wait > 0 && !(await sleepUnlessAborted(wait, stop))) return;
    // Its time away ends when it arrives, at the earliest its planned instant (Node's timers can fire a millisecond early).
    if (deps.staged) stats.arrived(Math.max(now(), visit.fromMs), visit.fromMs);
    if (visit.toMs >= deps.runEndMs) {
      await deps.session(stop);
      return;
    }
    await deps.session(visitSignal(stop, visit.toMs - now()));
    if (stop.aborted) {
      notStarted(stats, visits.slice(index + 1), deps.stoppedAt());
      return;
    }
    // A departure at a stage's end is that stage's (a ramp down from 8 to 2 takes its 6), however late the close.
    stats.departed(Math.min(now(), visit.toMs - DEPARTURE_BEFORE_MS));
  }
}

/**
 * The slot's visits planned before the stop that it never began: the visit before them outlasted its planned end
 * (camera-load was late closing it), so they are camera-load's own lateness, at least from their instant to the stop.
 */
function notStarted(stats: StreamStats, rest: readonly Visit[], stoppedAt: number): void {
  for (const visit of rest) {
    if (visit.fromMs >= stoppedAt) return;
    stats.neverStarted(visit.fromMs, stoppedAt - visit.fromMs);
  }
}

/**
 * A visit's own signal, ended after `ms` or by the run's stop, whichever comes first; it lets go of both once it
 * has ended (AbortSignal.any keeps a reference per call on the run's signal until that aborts: under churn, one per
 * visit; onAbort fans out from one listener).
 */
function visitSignal(stop: AbortSignal, ms: number): AbortSignal {
  const leave = new AbortController();
  const stopListening = onAbort(stop, () => {
    leave.abort(stop.reason);
  });
  const timer = setTimeout(() => {
    withoutStackTrace(() => {
      leave.abort(VISIT_ENDED);
    });
  }, ms);
  leave.signal.addEventListener(
    'abort',
    () => {
      clearTimeout(timer);
      stopListening();
    },
    { once: true },
  );
  return leave.signal;
}

/**
 * Each stream's visits: the open model's plan, the stages' schedule for its slot, or else one visit from its place in
 * the ramp-up to the run's end.
 */
export function visitsOf(plan: RunPlan): (readonly Visit[])[] {
  const { stages, indexes, arrivals } = plan;
  const count = plan.streams.length;
  const spacing = count > 1 ? plan.rampUpMs / count : 0;
  return plan.streams.map((_, index) => {
    if (arrivals) return arrivals.visits[index] ?? [];
    return stages ? slotVisits(stages, indexes?.[index] ?? index) : [{ fromMs: spacing * index, toMs: Infinity }];
  });
}
