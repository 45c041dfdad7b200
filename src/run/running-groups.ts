import { ViewerPacing } from '../connection/viewer-pacing.js';
import { IsolationWindow, StreamIsolation } from '../metrics/isolation-window.js';
import type { StreamStats } from '../metrics/stream-stats.js';
import type { ViewerGroup, ViewerPlan } from '../viewers.js';

/** The normal viewers' two windows as a run ends: the lead-in, and the rest from when a group was last felt. */
export interface IsolationWindows {
  leadIn: IsolationWindow;
  /** When the groups began, on the run clock: the lead-in's end; undefined: they never did. */
  leadInEndMs: number | undefined;
  /** undefined: the groups never began (the run ended in the lead-in). */
  after: IsolationWindow | undefined;
}

/**
 * The viewer groups of one run: each slow, pausing or stuck viewer's pacing, the timer that begins them at the
 * lead-in's end, and the normal viewers' isolation windows: the lead-in's second half (after the ramp-up), and the window compared with it, which starts when the groups begin and again each time the server has felt half the viewers of a group more (its fill time), so that
 * it holds only time in which the server felt every group it was going to.
 */
export class RunningGroups {
  /** Each stream's pacing, in the order of the run's streams; undefined for a normal viewer. */
  readonly pacings: readonly (ViewerPacing | undefined)[];
  private leadIn: IsolationWindow;
  private after: IsolationWindow | undefined;
  private beganAt: number | undefined;
  private readonly filled = new Set<ViewerGroup>();
  private readonly timers: NodeJS.Timeout[];

  constructor(
    private readonly streams: readonly StreamStats[],
    private readonly plan: ViewerPlan,
    private readonly now: () => number,
    rampUpMs: number,
  ) {
    this.pacings = streams.map(({ viewers }) => {
      const behaviour = plan.behaviours.find((b) => b.group === viewers);
      return behaviour && new ViewerPacing(behaviour, now);
    });
    for (const s of streams) if (s.viewers === 'normal') s.isolation = new StreamIsolation();
    // The lead-in's first half after the ramp-up lets the streams settle (their connections, the server's warm-up):
    // the baseline is its second half.
    const settleAt = rampUpMs + (plan.leadInMs - rampUpMs) / 2;
    this.leadIn = new IsolationWindow(settleAt);
    this.timers = [setTimeout(this.settle, settleAt), setTimeout(this.begin, plan.leadInMs)];
  }

  private readonly settle = (): void => {
    const at = this.now();
    this.leadIn = new IsolationWindow(at);
    for (const s of this.streams) s.isolation?.settled(this.leadIn, at);
  };

  /** The lead-in is over: the slow, pausing and stuck viewers begin to read as their groups do. */
  private readonly begin = (): void => {
    const at = this.now();
    this.beganAt = at;
    for (const s of this.streams) s.felt.groupsBeganAt = at;
    for (const pacing of this.pacings) pacing?.begin();
    this.compareFrom(at);
  };

  /** Every tick: a group the server has felt half of for the first time starts the compared window again. */
  check(at: number): void {
    if (this.after === undefined) return;
    for (const { group } of this.plan.behaviours) {
      if (this.filled.has(group)) continue;
      const members = this.streams.filter((s) => s.viewers === group);
      const felt = members.filter((s) => s.felt.at !== undefined).length;
      if (members.length > 0 && felt * 2 >= members.length) {
        this.filled.add(group);
        this.compareFrom(at);
      }
    }
  }

  private compareFrom(at: number): void {
    const window = new IsolationWindow(at);
    this.after = window;
    for (const s of this.streams) s.isolation?.enter(window, at);
  }

  /** The run is over: no timer outlives it. */
  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    for (const pacing of this.pacings) pacing?.stop();
  }

  get windows(): IsolationWindows {
    return { leadIn: this.leadIn, leadInEndMs: this.beganAt, after: this.after };
  }
}
