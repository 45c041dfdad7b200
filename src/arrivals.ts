import { seededRandom } from './random.js';
import { stagesDurationMs, type StageSpan, type Visit } from './stages.js';

// The open model of issue 30 (`--arrival-rate`, `--watch-time`, `--camera-popularity`), planned whole before the
// run: viewers arrive as a Poisson process, each stays for its watch time and opens a camera drawn by popularity (at
// most --max-streams viewers open at once; an arrival beyond them is dropped, as k6 counts it). Every draw comes from the seed, so every shard plans the same arrivals and keeps its own slots'.

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
  /** --max-streams: the most viewers open at once. */
  slots: number;
  cameras: number;
  popularity: Popularity;
  seed: number;
}

/** One stream slot of the open model: a camera (its index in the plan's order) and the visits it holds, in time order. */
export interface ArrivalSlot {
  camera: number;
  visits: Visit[];
}

export interface ArrivalPlan {
  slots: ArrivalSlot[];
  /** Arrivals that found --max-streams viewers open, at their instants (ms on the run clock). */
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

/** A binary min-heap by a numeric key. */
class MinHeap<T> {
  private readonly items: T[] = [];
  constructor(private readonly key: (item: T) => number) {}

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const items = this.items;
    items.push(item);
    for (let i = items.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (this.key(items[parent] as T) <= this.key(item)) break;
      items[i] = items[parent] as T;
      items[parent] = item;
      i = parent;
    }
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    items[0] = last;
    for (let i = 0; ;) {
      const [l, r] = [2 * i + 1, 2 * i + 2];
      let least = i;
      if (l < items.length && this.key(items[l] as T) < this.key(items[least] as T)) least = l;
      if (r < items.length && this.key(items[r] as T) < this.key(items[least] as T)) least = r;
      if (least === i) break;
      [items[i], items[least]] = [items[least] as T, items[i] as T];
      i = least;
    }
    return top;
  }
}

/** A visit under way: its end, and the camera's slot it holds. */
interface Open {
  toMs: number;
  camera: number;
  slot: number;
}

/**
 * The whole open-model plan. Each arrival, in time order, is dropped when --max-streams viewers are open at its
 * instant (visits ended by then have left); otherwise it opens a camera drawn by popularity and takes that camera's
 * lowest free slot, or a new one. A slot keeps one camera, so the report's streams[] stay one entry per slot with
 * its camera, however many viewers pass through it; the slots are in camera order.
 */
export function planArrivals(input: ArrivalPlanInput): ArrivalPlan {
  const random = seededRandom(input.seed);
  const times = arrivalTimes(input.rates, random);
  const pick = cameraPicker(input.cameras, input.popularity, random);
  const runMs = stagesDurationMs(input.rates);
  const perCamera = new Map<number, Visit[][]>();
  const free = new Map<number, MinHeap<number>>();
  const open = new MinHeap<Open>((o) => o.toMs);
  const dropped: number[] = [];
  for (const at of times) {
    const toMs = Math.min(runMs, at + watchMs(input.watch, random));
    const camera = pick();
    for (let left = open.peek(); left !== undefined && left.toMs <= at; left = open.peek()) {
      (free.get(left.camera) as MinHeap<number>).push((open.pop() as Open).slot);
    }
    if (open.size >= input.slots) {
      dropped.push(at);
      continue;
    }
    const slots = perCamera.get(camera) ?? [];
    perCamera.set(camera, slots);
    const freeHere = free.get(camera) ?? new MinHeap<number>((slot) => slot);
    free.set(camera, freeHere);
    const slot = freeHere.pop() ?? slots.push([]) - 1;
    (slots[slot] as Visit[]).push({ fromMs: at, toMs });
    open.push({ toMs, camera, slot });
  }
  const cameras = [...perCamera.keys()].sort((a, b) => a - b);
  return { slots: cameras.flatMap((camera) => (perCamera.get(camera) as Visit[][]).map((visits) => ({ camera, visits }))), dropped };
}

/**
 * The open model's stages: one per rate span, each with its rate and, as its target, the concurrency Little's law
 * expects once the rate has held for a watch time (rate × mean watch time, at most --max-streams): a steady state,
 * not a ramp the client follows.
 */
export function openModelSpans(model: OpenModel, maxStreams: number): StageSpan[] {
  const meanSeconds = meanWatchMs(model.watch) / 1000;
  let fromMs = 0;
  let fromTarget = 0;
  return model.rates.map(({ durationMs, perSecond }, index) => {
    const toTarget = Math.min(maxStreams, Math.round(perSecond * meanSeconds));
    const span = { number: index + 1, fromMs, toMs: fromMs + durationMs, fromTarget, toTarget, arrivalsPerSecond: perSecond };
    fromMs += durationMs;
    fromTarget = toTarget;
    return span;
  });
}
