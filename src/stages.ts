// Load over time (issue 30): `--stages`, k6's ramping stages. Shared ground: the options parse them, the runner
// opens and closes each stream slot by them, and the report cuts its figures by them.

/** One stage: over `durationMs`, the concurrent streams go linearly from the stage before's target to `target`. */
export interface Stage {
  durationMs: number;
  target: number;
}

/** A stage on the run clock: when it begins and ends (ms from the run's start), and the targets at both ends. */
export interface StageSpan {
  /** 1-based, as thresholds name stages (`{stage:2}`). */
  number: number;
  fromMs: number;
  toMs: number;
  fromTarget: number;
  toTarget: number;
  /** The open model's stages only: new viewers per second (Poisson) within it. */
  arrivalsPerSecond?: number;
}

/** A time a stream slot is open, [fromMs, toMs) on the run clock. */
export interface Visit {
  fromMs: number;
  toMs: number;
}

/** The stages placed on the run clock; the first starts from 0 streams. */
export function stageSpans(stages: readonly Stage[]): StageSpan[] {
  const spans: StageSpan[] = [];
  let fromMs = 0;
  let fromTarget = 0;
  for (const [index, stage] of stages.entries()) {
    spans.push({ number: index + 1, fromMs, toMs: fromMs + stage.durationMs, fromTarget, toTarget: stage.target });
    fromMs += stage.durationMs;
    fromTarget = stage.target;
  }
  return spans;
}

/** The run's length under stages or the open model's rate spans: their sum. */
export const stagesDurationMs = (stages: readonly { durationMs: number }[]): number => stages.reduce((sum, s) => sum + s.durationMs, 0);

/** The stream slots the stages need: as many as their highest target. */
export const peakTarget = (stages: readonly Stage[]): number => stages.reduce((peak, s) => Math.max(peak, s.target), 0);

/**
 * When slot `slot` (0-based) changes state within one stage: the target passes the slot's number, going up (it opens)
 * or down (it closes). The streams open are the target rounded up, so slot i is open while the target is above i:
 * a ramp from 0 to 100 over 30 s opens slot 0 at once and slot 99 at 29.7 s, and a ramp down closes the highest
 * first, as k6 stops its highest-numbered VUs first.
 */
function crossing(span: StageSpan, slot: number): { atMs: number; opens: boolean } | undefined {
  const { fromMs, toMs, fromTarget: a, toTarget: b } = span;
  if (a <= slot && slot < b) return { atMs: fromMs + ((toMs - fromMs) * (slot - a)) / (b - a), opens: true };
  if (b <= slot && slot < a) return { atMs: fromMs + ((toMs - fromMs) * (a - slot)) / (a - b), opens: false };
  return undefined;
}

/** Every time slot `slot` is open in the run; a slot open at the last stage's end stays open to the run's end. */
export function slotVisits(spans: readonly StageSpan[], slot: number): Visit[] {
  const visits: Visit[] = [];
  let openedAt: number | undefined;
  for (const span of spans) {
    const change = crossing(span, slot);
    if (change === undefined) continue;
    if (change.opens) {
      // Closed by one stage and opened by the next at the same instant: the viewer never left.
      const last = visits.at(-1);
      if (last?.toMs === change.atMs) openedAt = (visits.pop() as Visit).fromMs;
      else openedAt = change.atMs;
    } else if (openedAt !== undefined) {
      if (change.atMs > openedAt) visits.push({ fromMs: openedAt, toMs: change.atMs });
      openedAt = undefined;
    }
  }
  const endMs = spans.at(-1)?.toMs ?? 0;
  if (openedAt !== undefined && endMs > openedAt) visits.push({ fromMs: openedAt, toMs: endMs });
  return visits;
}

/** The target at `atMs`: the concurrent streams the stages ask for then (a fraction during a ramp). */
export function targetAt(spans: readonly StageSpan[], atMs: number): number {
  for (const s of spans) {
    if (atMs < s.toMs) return s.toMs === s.fromMs ? s.toTarget : s.fromTarget + ((s.toTarget - s.fromTarget) * (atMs - s.fromMs)) / (s.toMs - s.fromMs);
  }
  return spans.at(-1)?.toTarget ?? 0;
}

/** The stage under way at `atMs` (its index in `spans`); the last one from its start on. */
export function stageIndexAt(spans: readonly StageSpan[], atMs: number): number {
  const index = spans.findIndex((s) => atMs < s.toMs);
  return index === -1 ? spans.length - 1 : index;
}

/** `--storm-at`: when every open stream is dropped by the client, and whether it reconnects at once or under its backoff. */
export interface Storm {
  atMs: number;
  immediate: boolean;
}
