import type { Dispatcher } from 'undici';
import type { ClientDrop } from '../connection/client-drop.js';
import { StreamSession, type SessionDeps, type SessionStream } from '../connection/stream-session.js';
import type { StreamTarget } from '../connection/stream-target.js';
import type { ViewerPacing } from '../connection/viewer-pacing.js';
import type { StreamStats } from '../metrics/stream-stats.js';
import type { Visit } from '../stages.js';
import { VisitSlot, type VisitRun } from './hold-visits.js';
import type { PlannedStream, RunPlan } from './run-plan.js';
import { streamRandom } from './viewer-groups.js';

/** Where each stream of a run connects and how it reads, by its index in the run's streams: one object for the run. */
export interface SlotPlaces {
  plan: RunPlan;
  /** Each stream's dispatcher, in the order of the run's streams. */
  dispatcherOf: readonly Dispatcher[];
  /** Each stream's pacing, when the run has viewer groups. */
  pacings: readonly (ViewerPacing | undefined)[] | undefined;
  /** Each stream's handle for the run's storms, when it has some. */
  drops: readonly ClientDrop[] | undefined;
  /** What every session of the run shares. */
  sessionDeps: SessionDeps;
}

/**
 * One stream of a run: its visits in turn (VisitSlot), and what its sessions read of it, looked up in the run's
 * tables by its index rather than copied into an object of deps per stream and visit.
 */
export class StreamSlot extends VisitSlot implements SessionStream {
  /** This visit's backoff jitter: made at its first reconnection, the same sequence each visit (as the stream's seed gives). */
  private jitter: (() => number) | undefined;

  constructor(
    stats: StreamStats,
    visits: readonly Visit[],
    run: VisitRun,
    private readonly index: number,
    private readonly places: SlotPlaces,
  ) {
    super(stats, visits, run);
  }

  get target(): StreamTarget {
    return (this.places.plan.streams[this.index] as PlannedStream).target;
  }

  get dispatcher(): Dispatcher {
    return this.places.dispatcherOf[this.index] as Dispatcher;
  }

  get pacing(): ViewerPacing | undefined {
    return this.places.pacings?.[this.index];
  }

  get drop(): ClientDrop | undefined {
    return this.places.drops?.[this.index];
  }

  /** A new visit's session: its backoff draws start the stream's sequence again. */
  protected openSession(): StreamSession {
    this.jitter = undefined;
    return new StreamSession(this.stats, this.places.sessionDeps, this);
  }

  random(): number {
    const { plan } = this.places;
    this.jitter ??= plan.random ?? (plan.seed === undefined ? Math.random : streamRandom(plan.seed, this.stats.index));
    return this.jitter();
  }
}
