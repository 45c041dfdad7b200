import { addEncodedHistograms } from '../metrics/encoded-histograms.js';
import { rank, round } from './numbers.js';
import type { IsolationReport, IsolationWindowReport, StreamReport } from './report-types.js';

/**
 * The isolation rule: the slow viewers did not hurt the normal ones when, from the end of the last group's fill
 * time to the end of the run, the normal viewers' fps p5 stays within 5% of the lead-in's, and their frame gap p95
 * and queueing delay p95 rise by no more than 50 ms. 5%: a camera's own rate wanders by less (a 5 fps stream loses
 * a frame in 4 s); 50 ms: above a frame interval's jitter at 20 fps, below what a viewer notices as a stutter.
 */
export const ISOLATION_RULE = { maxFpsDropPct: 5, maxGapRiseMs: 50, maxDelayRiseMs: 50 } as const;

/** One window's bounds and its gap and delay histograms, encoded: one per process (a merge has one per shard). */
export interface WindowInput {
  fromSeconds: number;
  toSeconds: number;
  gapHistograms: readonly string[];
  delayHistograms: readonly string[];
}

/** Each normal stream's fps in one window (frames ÷ seconds viewed in it), when it was viewed 1 s or more of it. */
function windowFps(streams: readonly StreamReport[], pick: 'leadIn' | 'after'): number[] {
  return streams
    .flatMap((s) => {
      const w = s.isolation?.[pick];
      return w && w.seconds >= 1 ? [w.frames / w.seconds] : [];
    })
    .sort((a, b) => a - b);
}

function windowReport(input: WindowInput, fps: readonly number[]): IsolationWindowReport {
  const gaps = addEncodedHistograms(input.gapHistograms, 1);
  const delays = addEncodedHistograms(input.delayHistograms, 0);
  return {
    fromSeconds: round(input.fromSeconds),
    toSeconds: round(input.toSeconds),
    streams: fps.length,
    fpsPerStream: fps.length > 0 ? { p5: round(rank(fps, 5)), p50: round(rank(fps, 50)) } : null,
    frameGapMs: gaps.percentiles,
    frameGapHistogram: gaps.encoded,
    delayMs: delays.percentiles,
    delayHistogram: delays.encoded,
  };
}

const signed = (n: number, unit: string): string => `${n >= 0 ? '+' : '−'}${Math.abs(n).toLocaleString('en-US')}${unit}`;

/** The verdict from the two windows' figures, by ISOLATION_RULE; null when either window lacks them. */
function verdictOf(leadIn: IsolationWindowReport, after: IsolationWindowReport | null): Omit<IsolationReport, 'leadIn' | 'after'> {
  const none = (verdict: string) => ({ fpsChangePct: null, gapChangeMs: null, delayChangeMs: null, holds: null, verdict });
  if (after === null) return none('not judged: the run ended before the viewer groups began');
  if (leadIn.fpsPerStream === null || after.fpsPerStream === null || leadIn.fpsPerStream.p5 === 0)
    return none('not judged: no normal viewer was watched 1 s or more in both the lead-in and the rest of the run');
  const fpsChangePct = round(((after.fpsPerStream.p5 - leadIn.fpsPerStream.p5) / leadIn.fpsPerStream.p5) * 100, 1);
  const gapChangeMs = leadIn.frameGapMs.count > 0 && after.frameGapMs.count > 0 ? after.frameGapMs.p95 - leadIn.frameGapMs.p95 : null;
  const delayChangeMs = leadIn.delayMs.count > 0 && after.delayMs.count > 0 ? after.delayMs.p95 - leadIn.delayMs.p95 : null;
  const { maxFpsDropPct, maxGapRiseMs, maxDelayRiseMs } = ISOLATION_RULE;
  const broken = [
    fpsChangePct < -maxFpsDropPct ? `fps p5 fell ${Math.abs(fpsChangePct)}% (over ${maxFpsDropPct}%)` : undefined,
    gapChangeMs !== null && gapChangeMs > maxGapRiseMs ? `frame gap p95 rose ${gapChangeMs} ms (over ${maxGapRiseMs})` : undefined,
    delayChangeMs !== null && delayChangeMs > maxDelayRiseMs ? `queueing delay p95 rose ${delayChangeMs} ms (over ${maxDelayRiseMs})` : undefined,
  ].filter((b) => b !== undefined);
  const figures =
    `fps p5 ${leadIn.fpsPerStream.p5} → ${after.fpsPerStream.p5} (${signed(fpsChangePct, '%')})` +
    (gapChangeMs === null ? '' : `, frame gap p95 ${signed(gapChangeMs, ' ms')}`) +
    (delayChangeMs === null ? ', no capture times for the delay' : `, queueing delay p95 ${signed(delayChangeMs, ' ms')}`);
  const verdict =
    broken.length === 0
      ? `the normal viewers were not hurt: ${figures}, from ${after.fromSeconds} s against the lead-in`
      : `the normal viewers were hurt: ${broken.join(', ')}; ${figures}, from ${after.fromSeconds} s against the lead-in`;
  return { fpsChangePct, gapChangeMs, delayChangeMs, holds: broken.length === 0, verdict };
}

/**
 * Pure: the normal viewers' figures in the two windows, and whether the slow viewers hurt them. `unfelt`: the groups
 * the server showed no sign of feeling (no skipped frame, no connection ended): not hurt by them is then no finding.
 */
export function isolationReport(
  normal: readonly StreamReport[],
  leadIn: WindowInput,
  after: WindowInput | undefined,
  unfelt: readonly string[] = [],
): IsolationReport {
  const first = windowReport(leadIn, windowFps(normal, 'leadIn'));
  const second = after === undefined ? null : windowReport(after, windowFps(normal, 'after'));
  const judged = verdictOf(first, second);
  if (unfelt.length === 0 || judged.holds === null) return { leadIn: first, after: second, ...judged };
  const which = unfelt.join(' and ');
  const caveat = `; but the server showed no sign of feeling the ${which} viewers (no frame skipped for them, no connection ended): the kernel's buffers, or a queue of the server's, may have held what they did not read`;
  return { leadIn: first, after: second, ...judged, verdict: `${judged.verdict}${caveat}` };
}
