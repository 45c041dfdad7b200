import type { Storm } from '../stages.js';
import { GapHistogram } from './gap-histogram.js';

// A reconnect storm's recovery (`--storm-at`, issue 30): of the viewers with a stream open at the storm, how long each
// took to have a frame again (an HdrHistogram, so a merge of shards adds them), and the attempts and the codes that
// ended connections meanwhile.

export class StormWindow {
  /** From the storm to each viewer's first frame after it, ms. */
  readonly recoveries = new GapHistogram();
  /** Viewers with a stream open (and delivering) at the storm: the ones it dropped. */
  viewers = 0;
  /** Connection attempts of those viewers until each had a frame again. */
  attempts = 0;
  readonly errors: Record<string, number> = {};
  /** When it struck on the run clock (its timer may fire late on a busy client): recovery counts from here. */
  struckAtMs: number | undefined;

  constructor(readonly storm: Storm) {}

  recovered(at: number): void {
    this.recoveries.record(at - (this.struckAtMs ?? this.storm.atMs));
  }

  ended(code: string): void {
    this.errors[code] = (this.errors[code] ?? 0) + 1;
  }
}
