import type { StreamStats } from '../metrics/stream-stats.js';
import { slotVisits, type Visit } from '../stages.js';
import type { RunPlan } from './run-plan.js';
import { withoutStackTrace } from './without-stack-traces.js';

/**
 * Why a visit's session ends: one Error for every departure, so that ending a visit captures no stack trace (under
 * churn, one a departure, read again by Node's stream teardown: about 200 ms of a 40 s churning run's CPU).
 */
const VISIT_ENDED = new Error('the viewer left: its visit ended');

/** A departure is placed this far before its planned instant: within the stage that instant ends. */
const DEPARTURE_BEFORE_MS = 0.001;

/** What a slot's visit holds open: the stream's session, started once the slot holds it. */
export interface VisitSession {
  start(): void;
  /** Ends the session (the visit's end or the run's stop); it tells the slot (sessionEnded) once it is over. */
  stop(reason: unknown): void;
}

/** What every slot of a run shares: one object for the run. */
export interface VisitRun {
  /** Milliseconds on the run's clock. */
  now: () => number;
  /** The run has stopped: a slot that has not begun its visit ends. */
  stopped: () => boolean;
  /** Under --stages or --arrival-rate: each visit is an arrival, and each that ends before the run a departure. */
  staged: boolean;
  runEndMs: number;
  /** The run's stop instant on its clock, once it has stopped. */
  stoppedAt: () => number;
  /** The slot is done: its last visit ended, or the run stopped. */
  slotEnded(slot: VisitSlot): void;
}

/**
 * One stream slot: each of its visits in turn, from its time on the run clock until the visit or the run ends. Its
 * timers and its session call it back; nothing of it waits on a promise.
 */
export abstract class VisitSlot {
  /** The visit under way, or the one the slot waits for. */
  private current = 0;
  /** The wait for the current visit's time, or (with a session open) for its end. */
  private timer: NodeJS.Timeout | undefined;
  private session: VisitSession | undefined;

  constructor(
    readonly stats: StreamStats,
    private readonly visits: readonly Visit[],
    private readonly run: VisitRun,
  ) {}

  start(): void {
    const first = this.visits[0];
    if (first === undefined) {
      this.run.slotEnded(this);
      return;
    }
    this.stats.scheduled(first.fromMs);
    this.await(0);
  }

  /** A session that holds the slot's stream open (reconnecting as it must) until it is stopped: one a visit. */
  protected abstract openSession(): VisitSession;

  /** The run has stopped: the visit's session is stopped with `reason`; a slot waiting for its visit is done. */
  runStopped(reason: unknown): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
      if (this.session === undefined) {
        this.run.slotEnded(this);
        return;
      }
    }
    this.session?.stop(reason);
  }

  /** Until the visit's own time on the run clock, so that the set-up of the streams before it does not push the whole ramp back. */
  private await(index: number): void {
    this.current = index;
    const visit = this.visits[index];
    if (visit === undefined) {
      this.run.slotEnded(this);
      return;
    }
    const wait = visit.fromMs - this.run.now();
    if (wait <= 0) this.arrive();
    else if (this.run.stopped()) this.run.slotEnded(this);
    else
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.arrive();
      }, wait);
  }

  private arrive(): void {
    const { run, stats } = this;
    const visit = this.visits[this.current] as Visit;
    // Its time away ends when it arrives, at the earliest its planned instant (Node's timers can fire a millisecond early).
    if (run.staged) stats.arrived(Math.max(run.now(), visit.fromMs), visit.fromMs);
    // A session begun after the stop would end at once.
    if (run.stopped()) {
      this.sessionEnded();
      return;
    }
    const session = this.openSession();
    this.session = session;
    if (visit.toMs < run.runEndMs) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        withoutStackTrace(() => {
          this.session?.stop(VISIT_ENDED);
        });
      }, visit.toMs - run.now());
    }
    session.start();
  }

  /** The visit's session is over: the visit ended, or the run did. */
  sessionEnded(): void {
    this.session = undefined;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const { run, stats, visits, current } = this;
    const visit = visits[current] as Visit;
    if (visit.toMs >= run.runEndMs) {
      run.slotEnded(this);
      return;
    }
    if (run.stopped()) {
      notStarted(stats, visits.slice(current + 1), run.stoppedAt());
      run.slotEnded(this);
      return;
    }
    // A departure at a stage's end is that stage's (a ramp down from 8 to 2 takes its 6), however late the close.
    stats.departed(Math.min(run.now(), visit.toMs - DEPARTURE_BEFORE_MS));
    this.await(current + 1);
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

/** The one visit of a stream held from the run's start to its end: the same for every such stream, never written. */
const WHOLE_RUN: readonly Visit[] = Object.freeze([Object.freeze({ fromMs: 0, toMs: Infinity })]);

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
    if (stages) return slotVisits(stages, indexes?.[index] ?? index);
    const fromMs = spacing * index;
    return fromMs === 0 ? WHOLE_RUN : [{ fromMs, toMs: Infinity }];
  });
}
