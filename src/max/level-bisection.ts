/**
 * Where to try next: the start level; while unstable, halve (never below `min`); once a level is stable,
 * bisect between the highest stable and the lowest unstable level until they are `precision` apart. No level
 * is tried twice, so the number of trials is logarithmic in the start level.
 */
export class LevelBisection {
  private highestStable: number | undefined;
  private lowestUnstable: number | undefined;
  private readonly tried = new Set<number>();

  constructor(
    private readonly start: number,
    private readonly min: number,
    private readonly precision: number,
  ) {}

  /** The next level to try, or undefined when the search is over. */
  next(): number | undefined {
    if (this.tried.size === 0) return this.start;
    const stable = this.highestStable;
    const unstable = this.lowestUnstable;
    if (unstable === undefined) return undefined; // the highest level asked for held
    if (stable === undefined) {
      if (unstable <= this.min) return undefined; // even the minimum failed
      return this.untried(Math.max(this.min, Math.floor(unstable / 2)));
    }
    if (unstable - stable <= this.precision) return undefined;
    return this.untried(Math.floor((stable + unstable) / 2));
  }

  record(level: number, stable: boolean): void {
    this.tried.add(level);
    if (stable) this.highestStable = Math.max(this.highestStable ?? level, level);
    else this.lowestUnstable = Math.min(this.lowestUnstable ?? level, level);
  }

  /** The answer so far: the highest stable level, if any. */
  get answer(): number | undefined {
    return this.highestStable;
  }

  private untried(level: number): number | undefined {
    return this.tried.has(level) ? undefined : level;
  }
}
