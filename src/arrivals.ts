import { seededRandom } from './random.js';
import type { Visit } from './stages.js';

// The open model of issue 30 (`--arrival-rate`, `--watch-time`, `--camera-popularity`), planned whole before the
// run: viewers arrive as a Poisson process, each stays for its watch time, takes the lowest free stream slot (at
// most --max-streams open at once; an arrival with none free is dropped, as k6 counts it) and opens a camera drawn
// by popularity. Every draw comes from the seed, so every shard plans the same arrivals and keeps its own slots'.
// Not wired to the command line yet: the flags come with the per-camera aggregates a slot that changes camera needs.

/** The arrival rate over one span of the run: `perSecond` from the previous span's end for `durationMs`. */
export interface RateSpan {
  durationMs: number;
  perSecond: number;
}

export type WatchTime = { kind: 'fixed'; ms: number } | { kind: 'exp'; meanMs: number } | { kind: 'uniform'; minMs: number; maxMs: number };

export type Popularity = { kind: 'uniform' } | { kind: 'zipf'; s: number };

/** `--arrival-rate`, `--watch-time` and `--camera-popularity`, checked: the open model a run follows. */
export interface OpenModel {
  /** One span for a plain rate (`20/s`, for --duration); one per stage for a staged one (`1m:5/s,5m:20/s`). */
  rates: RateSpan[];
  watch: WatchTime;
  popularity: Popularity;
}

/** The mean of a watch time, for Little's law (the concurrency an arrival rate settles at). */
export function meanWatchMs(watch: WatchTime): number {
  switch (watch.kind) {
    case 'fixed':
      return watch.ms;
    case 'exp':
      return watch.meanMs;
    case 'uniform':
      return (watch.minMs + watch.maxMs) / 2;
  }
}

export interface ArrivalPlanInput {
  rates: readonly RateSpan[];
  watch: WatchTime;
  /** Stream slots: the most viewers open at once. */
  slots: number;
  cameras: number;
  popularity: Popularity;
  seed: number;
}

/** One arrival's visit: its slot's time open, and the camera (its index in the plan's order) it watches. */
export interface ArrivalVisit extends Visit {
  camera: number;
}

export interface ArrivalPlan {
  /** Per slot, its visits in time order. */
  visits: ArrivalVisit[][];
  /** Arrivals that found every slot taken, at their instants (ms on the run clock). */
  dropped: number[];
}

/** Arrival instants of a Poisson process whose rate is constant within each span (memoryless: each span starts afresh). */
export function arrivalTimes(rates: readonly RateSpan[], random: () => number): number[] {
  const times: number[] = [];
  let fromMs = 0;
  for (const { durationMs, perSecond } of rates) {
    const toMs = fromMs + durationMs;
    let at = fromMs;
    while (perSecond > 0) {
      // 1 − random() is in (0, 1]: the log is finite.
      at += (-Math.log(1 - random()) / perSecond) * 1000;
      if (at >= toMs) break;
      times.push(at);
    }
    fromMs = toMs;
  }
  return times;
}

function watchMs(watch: WatchTime, random: () => number): number {
  switch (watch.kind) {
    case 'fixed':
      return watch.ms;
    case 'exp':
      return -Math.log(1 - random()) * watch.meanMs;
    case 'uniform':
      return watch.minMs + random() * (watch.maxMs - watch.minMs);
  }
}

/** Draws a camera index: uniform, or Zipf's law over the cameras in plan order (the first the most watched). */
export function cameraPicker(cameras: number, popularity: Popularity, random: () => number): () => number {
  if (popularity.kind === 'uniform') return () => Math.floor(random() * cameras);
  const cumulative: number[] = [];
  let total = 0;
  for (let k = 1; k <= cameras; k++) {
    total += 1 / k ** popularity.s;
    cumulative.push(total);
  }
  return () => {
    const target = random() * total;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((cumulative[mid] as number) > target) high = mid;
      else low = mid + 1;
    }
    return low;
  };
}

/** A binary min-heap of numbers by a key. */
class MinHeap {
  private readonly items: number[] = [];
  constructor(private readonly key: (item: number) => number) {}

  get size(): number {
    return this.items.length;
  }

  peek(): number | undefined {
    return this.items[0];
  }

  push(item: number): void {
    const items = this.items;
    items.push(item);
    for (let i = items.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (this.key(items[parent] as number) <= this.key(item)) break;
      items[i] = items[parent] as number;
      items[parent] = item;
      i = parent;
    }
  }

  pop(): number | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    items[0] = last;
    for (let i = 0; ;) {
      const [l, r] = [2 * i + 1, 2 * i + 2];
      let least = i;
      if (l < items.length && this.key(items[l] as number) < this.key(items[least] as number)) least = l;
      if (r < items.length && this.key(items[r] as number) < this.key(items[least] as number)) least = r;
      if (least === i) break;
      [items[i], items[least]] = [items[least] as number, items[i] as number];
      i = least;
    }
    return top;
  }
}

/**
 * The whole open-model plan: each arrival, in time order, takes the lowest slot free at its instant (slots freed by
 * then are returned to the free heap first), or is dropped when none is.
 */
export function planArrivals(input: ArrivalPlanInput): ArrivalPlan {
  const random = seededRandom(input.seed);
  const times = arrivalTimes(input.rates, random);
  const pick = cameraPicker(input.cameras, input.popularity, random);
  const runMs = input.rates.reduce((sum, r) => sum + r.durationMs, 0);
  const visits: ArrivalVisit[][] = Array.from({ length: input.slots }, () => []);
  const freeAt = new Array<number>(input.slots).fill(0);
  const free = new MinHeap((slot) => slot);
  const busy = new MinHeap((slot) => freeAt[slot] as number);
  for (let slot = 0; slot < input.slots; slot++) free.push(slot);
  const dropped: number[] = [];
  for (const at of times) {
    const toMs = Math.min(runMs, at + watchMs(input.watch, random));
    const camera = pick();
    while (busy.size > 0 && (freeAt[busy.peek() as number] as number) <= at) free.push(busy.pop() as number);
    const slot = free.pop();
    if (slot === undefined) {
      dropped.push(at);
      continue;
    }
    (visits[slot] as ArrivalVisit[]).push({ fromMs: at, toMs, camera });
    freeAt[slot] = toMs;
    busy.push(slot);
  }
  return { visits, dropped };
}
